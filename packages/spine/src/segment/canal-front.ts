/**
 * The spinal canal lies behind the posterior wall of the vertebral bodies, so canal-labelled
 * voxels in front of that wall are not canal. The canal mask comes from the 2 mm work grid by
 * nearest neighbour, where a 1 mm cortical wall can fall between the samples; in a low-density
 * body (marrow ≤ 100 HU, as enclosed as the canal) the canal label then reaches through the wall
 * into the marrow, which the hole filling never takes (it leaves the canal alone). On the low-BMD
 * phantom (95 HU marrow) this left the back of L1 and L2 out of their masks: posterior heights
 * −0.65 and −1.90 mm.
 *
 * A canal voxel is released (unlabelled, so that the filling may take it) when, along the
 * anterior–posterior image axis, it lies in a strip at most STRIP_MM deep between a body voxel in
 * front and a wall (≥ WALL_HU) behind, with canal-like tissue (< BONE_HU) within OPEN_MM behind
 * that wall. The wall itself, if labelled canal, is released too. The strip is shallower than a
 * canal (lumbar AP ~15 mm; under 10 mm is severe stenosis), so the lamina behind a canal is not
 * taken for the wall; in a canal narrowed below 8 mm it can be, and the canal label is released
 * (the hole filling still takes only what a body's own outline encloses).
 */
import type { Volume } from '@rachis/imaging';
import { BONE_HU } from './bodies.js';
import type { Box } from './box.js';
import { indexAxisAlong } from './grid.js';

/** Cortex; above what the canal holds (CSF, fat, cord, a contrast-filled epidural vein ≤ ~250 HU). */
const WALL_HU = 300;
/** Deepest strip between a body and its wall that is released: four 2 mm work voxels (the low-BMD phantom's L2 needed more than 6 mm). */
const STRIP_MM = 8;
/** Behind the wall the canal opens within this distance (a wall, not the start of more bone). */
const OPEN_MM = 3;
const PART_BODY = 1;
const PART_CANAL = 3;

/** Index axis that points most nearly posterior (+y in LPS) and its sign. */
function posteriorAxis(direction: readonly number[]): { axis: 0 | 1 | 2; sign: 1 | -1 } {
  const axis = indexAxisAlong(direction, 1);
  return { axis, sign: direction[3 + axis]! > 0 ? 1 : -1 };
}

/** Releases the canal voxels in front of a posterior body wall (see the file comment); returns how many. */
export function releaseCanalInFrontOfWall(volume: Volume, instance: Uint8Array, part: Uint8Array, box: Box): number {
  const { axis, sign } = posteriorAxis(volume.direction);
  const size = volume.size;
  const step = [1, size[0], size[0] * size[1]][axis]! * sign;
  const mm = volume.spacing[axis]!;
  const strip = Math.round(STRIP_MM / mm);
  const open = Math.round(OPEN_MM / mm);
  const hu = volume.data;
  const [nx, ny] = size;
  const release: number[] = [];
  for (let k = box.lo[2]; k <= box.hi[2]; k++) {
    for (let j = box.lo[1]; j <= box.hi[1]; j++) {
      for (let i = box.lo[0]; i <= box.hi[0]; i++) {
        const p = i + nx * (j + ny * k);
        if (part[p] !== PART_CANAL || instance[p]) continue;
        const c = [i, j, k][axis]!;
        // Offsets t along the posterior direction that stay inside the image.
        const inside = (t: number): boolean => c + sign * t >= 0 && c + sign * t < size[axis]!;
        let body = 0;
        for (let t = 1; t < strip && inside(-t) && !body; t++) if (instance[p - t * step] !== 0 && part[p - t * step] === PART_BODY) body = t;
        if (!body) continue;
        let wall = -1;
        for (let t = 0; body + t <= strip && inside(t) && wall < 0; t++) if (hu[p + t * step]! >= WALL_HU) wall = t;
        if (wall < 0) continue;
        let opens = false;
        for (let t = wall + 1; t <= wall + open && inside(t) && !opens; t++) opens = hu[p + t * step]! < BONE_HU;
        if (opens) release.push(p);
      }
    }
  }
  for (const p of release) part[p] = 0;
  return release.length;
}
