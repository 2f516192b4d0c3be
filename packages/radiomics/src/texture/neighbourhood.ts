/**
 * IBSI-1 3.10 neighbourhood grey tone difference matrix and 3.11 neighbouring grey level dependence
 * matrix. Neighbourhood: Chebyshev distance 1 (26 voxels in 3D, 8 in-plane in 2D); only neighbours
 * inside the ROI count. NGTDM skips voxels without any ROI neighbour (IBSI 3.10).
 */
import type { DiscreteRoi, ZoneAggregation } from '../types.js';
import { averageMaps, renameKeys, sizeMatrixFeatures } from './common.js';

const NGL: Record<string, string> = {
  se: 'ngl_lde', le: 'ngl_hde', lge: 'ngl_lgce', hge: 'ngl_hgce', slge: 'ngl_ldlge', shge: 'ngl_ldhge',
  llge: 'ngl_hdlge', lhge: 'ngl_hdhge', glnu: 'ngl_glnu', glnu_norm: 'ngl_glnu_norm', jnu: 'ngl_dcnu',
  jnu_norm: 'ngl_dcnu_norm', perc: 'ngl_dc_perc', gl_var: 'ngl_gl_var', j_var: 'ngl_dc_var', entr: 'ngl_dc_entr',
  energy: 'ngl_dc_energy',
};

interface NeighbourStats {
  /** NGTDM: n_i and s_i per level (index level−1). */
  readonly n: Float64Array;
  readonly s: Float64Array;
  /** NGLDM counts m[(i−1)·nj + (j−1)] and N_v. */
  readonly dep: Float64Array;
  nv: number;
}

function collect(roi: DiscreteRoi, z: number | null, alpha: number): NeighbourStats {
  const { nx, ny, nz, levels, ng } = roi;
  const z0 = z ?? 0, z1 = z ?? nz - 1;
  const nj = z === null ? 27 : 9;
  const st: NeighbourStats = { n: new Float64Array(ng), s: new Float64Array(ng), dep: new Float64Array(ng * nj), nv: 0 };
  for (let k = z0; k <= z1; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const a = levels[(k * ny + y) * nx + x]!;
        if (a === 0) continue;
        st.nv++;
        let sum = 0, count = 0, dep = 1;
        for (let dz = z === null ? -1 : 0; dz <= (z === null ? 1 : 0); dz++) {
          const zz = k + dz;
          if (zz < z0 || zz > z1) continue;
          for (let dy = -1; dy <= 1; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= ny) continue;
            for (let dx = -1; dx <= 1; dx++) {
              if (dx === 0 && dy === 0 && dz === 0) continue;
              const xx = x + dx;
              if (xx < 0 || xx >= nx) continue;
              const b = levels[(zz * ny + yy) * nx + xx]!;
              if (b === 0) continue;
              sum += b; count++;
              if (Math.abs(b - a) <= alpha) dep++;
            }
          }
        }
        st.dep[(a - 1) * nj + dep - 1]!++;
        if (count > 0) { st.n[a - 1]!++; st.s[a - 1]! += Math.abs(a - sum / count); }
      }
  return st;
}

export function ngtdmFeatures(n: Float64Array, s: Float64Array): Map<string, number> | null {
  const ng = n.length;
  let nvc = 0;
  for (let i = 0; i < ng; i++) nvc += n[i]!;
  if (nvc === 0) return null;
  const p = n.map((v) => v / nvc);
  let ngp = 0, ps = 0, sSum = 0;
  for (let i = 0; i < ng; i++) { if (p[i]! > 0) ngp++; ps += p[i]! * s[i]!; sSum += s[i]!; }
  let c1 = 0, busyDen = 0, complexity = 0, strengthNum = 0;
  for (let i = 0; i < ng; i++) {
    if (p[i] === 0) continue;
    for (let j = 0; j < ng; j++) {
      if (p[j] === 0) continue;
      const li = i + 1, lj = j + 1;
      c1 += p[i]! * p[j]! * (li - lj) ** 2;
      busyDen += Math.abs(li * p[i]! - lj * p[j]!);
      complexity += Math.abs(li - lj) * (p[i]! * s[i]! + p[j]! * s[j]!) / (p[i]! + p[j]!);
      strengthNum += (p[i]! + p[j]!) * (li - lj) ** 2;
    }
  }
  return new Map([
    ['ngt_coarseness', ps > 0 ? 1 / ps : 1e6],
    ['ngt_contrast', ngp > 1 ? (c1 / (ngp * (ngp - 1))) * (sSum / nvc) : 0],
    ['ngt_busyness', busyDen > 0 ? ps / busyDen : 0],
    ['ngt_complexity', complexity / nvc],
    ['ngt_strength', sSum > 0 ? strengthNum / sSum : 0],
  ]);
}

/** NGTDM and NGLDM features for the requested aggregations (2D: per slice averaged; 2.5D: slices merged). */
export function neighbourhoodFamilies(
  roi: DiscreteRoi,
  aggregations: readonly ZoneAggregation[],
  alpha: number,
): { ngt: Map<ZoneAggregation, Map<string, number>>; ngl: Map<ZoneAggregation, Map<string, number>> } {
  const ngt = new Map<ZoneAggregation, Map<string, number>>();
  const ngl = new Map<ZoneAggregation, Map<string, number>>();
  const ng = roi.ng;
  const nglOf = (st: NeighbourStats, nj: number): Map<string, number> | null => {
    const f = sizeMatrixFeatures(st.dep, ng, nj, st.nv);
    return f && renameKeys(f, NGL);
  };
  if (aggregations.includes('2D') || aggregations.includes('2_5D')) {
    const slices: NeighbourStats[] = [];
    for (let z = 0; z < roi.nz; z++) {
      const st = collect(roi, z, alpha);
      if (st.nv > 0) slices.push(st);
    }
    if (aggregations.includes('2D')) {
      ngt.set('2D', averageMaps(slices.map((st) => ngtdmFeatures(st.n, st.s)).filter((m): m is Map<string, number> => m !== null)));
      ngl.set('2D', averageMaps(slices.map((st) => nglOf(st, 9)).filter((m): m is Map<string, number> => m !== null)));
    }
    if (aggregations.includes('2_5D')) {
      const merged: NeighbourStats = { n: new Float64Array(ng), s: new Float64Array(ng), dep: new Float64Array(ng * 9), nv: 0 };
      for (const st of slices) {
        for (let i = 0; i < ng; i++) { merged.n[i]! += st.n[i]!; merged.s[i]! += st.s[i]!; }
        for (let i = 0; i < merged.dep.length; i++) merged.dep[i]! += st.dep[i]!;
        merged.nv += st.nv;
      }
      const t = ngtdmFeatures(merged.n, merged.s);
      if (t) ngt.set('2_5D', t);
      const l = nglOf(merged, 9);
      if (l) ngl.set('2_5D', l);
    }
  }
  if (aggregations.includes('3D')) {
    const st = collect(roi, null, alpha);
    const t = ngtdmFeatures(st.n, st.s);
    if (t) ngt.set('3D', t);
    const l = nglOf(st, 27);
    if (l) ngl.set('3D', l);
  }
  return { ngt, ngl };
}
