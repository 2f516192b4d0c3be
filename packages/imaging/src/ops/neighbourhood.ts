/** Voxel neighbourhoods for 6/18/26 connectivity. */
import type { Connectivity } from './image.js';
import { RachisError } from '../core/errors.js';

export type Offset = readonly [number, number, number];

/** All neighbour offsets of the given connectivity (|d|² ≤ 1, 2 or 3). */
export function neighbourOffsets(connectivity: Connectivity): Offset[] {
  if (connectivity !== 6 && connectivity !== 18 && connectivity !== 26) {
    throw new RachisError('INVALID_ARGUMENT', `connectivity must be 6, 18 or 26, got ${String(connectivity)}`);
  }
  const maxSq = connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const out: Offset[] = [];
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const sq = dx * dx + dy * dy + dz * dz;
        if (sq > 0 && sq <= maxSq) out.push([dx, dy, dz]);
      }
    }
  }
  return out;
}

/** The neighbours visited before the current voxel in x-fastest scan order. */
export function backwardOffsets(connectivity: Connectivity): Offset[] {
  return neighbourOffsets(connectivity).filter(([dx, dy, dz]) => dz < 0 || (dz === 0 && (dy < 0 || (dy === 0 && dx < 0))));
}
