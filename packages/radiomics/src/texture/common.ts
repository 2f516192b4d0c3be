/** Shared pieces of the texture families: directions, aggregation, and "size-matrix" features. */
import type { Aggregation, DiscreteRoi } from '../types.js';

export type Dir = readonly [number, number, number];

/** The 4 in-plane directions (IBSI 2D) followed by the 9 out-of-plane ones: 13 unique 3D directions. */
export const IN_PLANE: readonly Dir[] = [[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -1, 0]];
export const OUT_OF_PLANE: readonly Dir[] = [
  [0, 0, 1], [1, 0, 1], [1, 0, -1], [0, 1, 1], [0, 1, -1], [1, 1, 1], [1, 1, -1], [1, -1, 1], [1, -1, -1],
];

/** A matrix with the number of voxels it was built from (IBSI N_v, summed when matrices are merged). */
export interface CountMatrix {
  readonly m: Float64Array;
  nv: number;
}

export function addInto(a: CountMatrix, b: CountMatrix): void {
  for (let i = 0; i < a.m.length; i++) a.m[i]! += b.m[i]!;
  a.nv += b.nv;
}

export function sumMatrices(list: readonly CountMatrix[], size: number): CountMatrix {
  const out: CountMatrix = { m: new Float64Array(size), nv: 0 };
  for (const c of list) addInto(out, c);
  return out;
}

/** Average of feature maps (keys of the first map); maps for empty matrices are skipped by callers. */
export function averageMaps(maps: readonly Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  if (maps.length === 0) return out;
  for (const k of maps[0]!.keys()) {
    let s = 0;
    for (const m of maps) s += m.get(k)!;
    out.set(k, s / maps.length);
  }
  return out;
}

/** Number of ROI voxels of slice z (or of the whole ROI when z is null). */
export function roiVoxels(roi: DiscreteRoi, z: number | null): number {
  const plane = roi.nx * roi.ny;
  const a = z === null ? 0 : z * plane, b = z === null ? roi.levels.length : (z + 1) * plane;
  let n = 0;
  for (let i = a; i < b; i++) if (roi.levels[i]! > 0) n++;
  return n;
}

/**
 * Directional aggregation (GLCM, GLRLM). `build(dir, z)` returns the matrix for one direction,
 * over one slice z (in-plane directions only) or the whole volume (z = null).
 * `features` returns null for an empty matrix.
 */
export function aggregateDirectional(
  roi: DiscreteRoi,
  aggregations: readonly Aggregation[],
  size: number,
  build: (dir: Dir, z: number | null) => CountMatrix,
  features: (c: CountMatrix) => Map<string, number> | null,
): Map<Aggregation, Map<string, number>> {
  const out = new Map<Aggregation, Map<string, number>>();
  const want = (a: Aggregation): boolean => aggregations.includes(a);
  const nonNull = (x: Map<string, number> | null): x is Map<string, number> => x !== null;
  if (want('2D_avg') || want('2D_comb') || want('2_5D_avg') || want('2_5D_comb')) {
    const perSlice: CountMatrix[][] = []; // [z][dir]
    for (let z = 0; z < roi.nz; z++) perSlice.push(IN_PLANE.map((d) => build(d, z)));
    if (want('2D_avg')) out.set('2D_avg', averageMaps(perSlice.flat().map(features).filter(nonNull)));
    if (want('2D_comb')) out.set('2D_comb', averageMaps(perSlice.map((ms) => features(sumMatrices(ms, size))).filter(nonNull)));
    const perDir = IN_PLANE.map((_, d) => sumMatrices(perSlice.map((ms) => ms[d]!), size));
    if (want('2_5D_avg')) out.set('2_5D_avg', averageMaps(perDir.map(features).filter(nonNull)));
    if (want('2_5D_comb')) out.set('2_5D_comb', features(sumMatrices(perDir, size)) ?? new Map());
  }
  if (want('3D_avg') || want('3D_comb')) {
    const all = [...IN_PLANE, ...OUT_OF_PLANE].map((d) => build(d, null));
    if (want('3D_avg')) out.set('3D_avg', averageMaps(all.map(features).filter(nonNull)));
    if (want('3D_comb')) out.set('3D_comb', features(sumMatrices(all, size)) ?? new Map());
  }
  return out;
}

/**
 * Features of an Ng × Nj "size" matrix m[(i−1)·nj + (j−1)] (GLRLM, GLSZM, GLDZM, NGLDM share them):
 * emphases, non-uniformities, percentage, variances, entropy and energy (IBSI 3.7–3.11).
 * Keys: se, le, lge, hge, slge, shge, llge, lhge, glnu, glnu_norm, jnu, jnu_norm, perc, gl_var, j_var, entr, energy.
 */
export function sizeMatrixFeatures(
  m: Float64Array, ng: number, nj: number, nv: number,
  /** Value of j for each column (default: column + 1); lets sparse size ranges use few columns. */
  jValues?: ArrayLike<number>,
): Map<string, number> | null {
  let ns = 0;
  for (let k = 0; k < m.length; k++) ns += m[k]!;
  if (ns === 0) return null;
  const rows = new Float64Array(ng), cols = new Float64Array(nj);
  let se = 0, le = 0, lge = 0, hge = 0, slge = 0, shge = 0, llge = 0, lhge = 0, entr = 0, energy = 0, mi = 0, mj = 0;
  for (let i = 1; i <= ng; i++) {
    const i2 = i * i;
    for (let col = 1; col <= nj; col++) {
      const v = m[(i - 1) * nj + col - 1]!;
      if (v === 0) continue;
      const j = jValues ? jValues[col - 1]! : col;
      const j2 = j * j;
      rows[i - 1]! += v; cols[col - 1]! += v;
      se += v / j2; le += v * j2; lge += v / i2; hge += v * i2;
      slge += v / (i2 * j2); shge += v * i2 / j2; llge += v * j2 / i2; lhge += v * i2 * j2;
      const p = v / ns;
      entr -= p * Math.log2(p); energy += p * p;
      mi += i * p; mj += j * p;
    }
  }
  let glnu = 0, jnu = 0, glVar = 0, jVar = 0;
  for (let i = 1; i <= ng; i++) { const r = rows[i - 1]!; glnu += r * r; glVar += (i - mi) ** 2 * r / ns; }
  for (let col = 1; col <= nj; col++) {
    const c = cols[col - 1]!, j = jValues ? jValues[col - 1]! : col;
    jnu += c * c; jVar += (j - mj) ** 2 * c / ns;
  }
  return new Map([
    ['se', se / ns], ['le', le / ns], ['lge', lge / ns], ['hge', hge / ns],
    ['slge', slge / ns], ['shge', shge / ns], ['llge', llge / ns], ['lhge', lhge / ns],
    ['glnu', glnu / ns], ['glnu_norm', glnu / (ns * ns)], ['jnu', jnu / ns], ['jnu_norm', jnu / (ns * ns)],
    ['perc', ns / nv], ['gl_var', glVar], ['j_var', jVar], ['entr', entr], ['energy', energy],
  ]);
}

/** Rename generic size-matrix keys to a family's IBSI tags. */
export function renameKeys(src: Map<string, number>, names: Record<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, tag] of Object.entries(names)) {
    const v = src.get(k);
    if (v !== undefined) out.set(tag, v);
  }
  return out;
}
