/** IBSI-1 3.7 grey level run length matrix. */
import type { Aggregation, DiscreteRoi } from '../types.js';
import { aggregateDirectional, renameKeys, sizeMatrixFeatures } from './common.js';
import type { CountMatrix, Dir } from './common.js';

const NAMES: Record<string, string> = {
  se: 'rlm_sre', le: 'rlm_lre', lge: 'rlm_lgre', hge: 'rlm_hgre', slge: 'rlm_srlge', shge: 'rlm_srhge',
  llge: 'rlm_lrlge', lhge: 'rlm_lrhge', glnu: 'rlm_glnu', glnu_norm: 'rlm_glnu_norm', jnu: 'rlm_rlnu',
  jnu_norm: 'rlm_rlnu_norm', perc: 'rlm_r_perc', gl_var: 'rlm_gl_var', j_var: 'rlm_rl_var', entr: 'rlm_rl_entr',
};

/** Run-length counts m[(level−1)·maxRun + (length−1)] for one direction over slice z or the volume. */
export function glrlmCounts(roi: DiscreteRoi, dir: Dir, z: number | null, maxRun: number): CountMatrix {
  const { nx, ny, nz, levels, ng } = roi;
  const m = new Float64Array(ng * maxRun);
  const [dx, dy, dz] = dir;
  const z0 = z ?? 0, z1 = z ?? nz - 1;
  const inside = (x: number, y: number, k: number): boolean => x >= 0 && x < nx && y >= 0 && y < ny && k >= z0 && k <= z1;
  let nv = 0;
  for (let k = z0; k <= z1; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const a = levels[(k * ny + y) * nx + x]!;
        if (a === 0) continue;
        nv++;
        // a run starts where the previous voxel along the direction differs
        const px = x - dx, py = y - dy, pz = k - dz;
        if (inside(px, py, pz) && levels[(pz * ny + py) * nx + px] === a) continue;
        let len = 1, cx = x + dx, cy = y + dy, cz = k + dz;
        while (inside(cx, cy, cz) && levels[(cz * ny + cy) * nx + cx] === a) { len++; cx += dx; cy += dy; cz += dz; }
        m[(a - 1) * maxRun + len - 1]!++;
      }
  return { m, nv };
}

export function glrlm(roi: DiscreteRoi, aggregations: readonly Aggregation[]): Map<Aggregation, Map<string, number>> {
  const maxRun = Math.max(roi.nx, roi.ny, roi.nz);
  return aggregateDirectional(
    roi, aggregations, roi.ng * maxRun,
    (d, z) => glrlmCounts(roi, d, z, maxRun),
    (c) => { const f = sizeMatrixFeatures(c.m, roi.ng, maxRun, c.nv); return f && renameKeys(f, NAMES); },
  );
}
