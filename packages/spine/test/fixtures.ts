import type { CanalPath } from '../src/segment/canal.js';

/** A straight vertical canal at (x, y) grid mm through all `nz` slices of a grid of `n` voxels; `gapMm` is its posteriorGapMm, which the stages take as the distance to the body ahead. */
export function straightCanal(nz: number, n: number, x: number, y: number, gapMm: number, score = 10): CanalPath {
  return {
    k0: 0,
    k1: nz - 1,
    x: new Float64Array(nz).fill(x),
    y: new Float64Array(nz).fill(y),
    score: new Float32Array(nz).fill(score),
    posteriorGapMm: new Float32Array(nz).fill(gapMm),
    enclosure: new Float32Array(n),
  };
}
