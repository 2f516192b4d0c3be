/** IBSI-1 3.6 grey level co-occurrence matrix (distance 1, symmetric). */
import type { Aggregation, DiscreteRoi } from '../types.js';
import { aggregateDirectional } from './common.js';
import type { CountMatrix, Dir } from './common.js';

/** Symmetric co-occurrence counts for one direction, over slice z or the whole volume. */
export function glcmCounts(roi: DiscreteRoi, dir: Dir, z: number | null): CountMatrix {
  const { nx, ny, nz, levels, ng } = roi;
  const m = new Float64Array(ng * ng);
  const [dx, dy, dz] = dir;
  const z0 = z ?? 0, z1 = z ?? nz - 1;
  let nv = 0;
  for (let k = z0; k <= z1; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const a = levels[(k * ny + y) * nx + x]!;
        if (a === 0) continue;
        nv++;
        const xx = x + dx, yy = y + dy, zz = k + dz;
        if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
        const b = levels[(zz * ny + yy) * nx + xx]!;
        if (b === 0) continue;
        m[(a - 1) * ng + b - 1]!++;
        m[(b - 1) * ng + a - 1]!++;
      }
  return { m, nv };
}

/** The 25 IBSI GLCM features of one matrix; null when the matrix is empty. */
export function glcmFeatures(c: CountMatrix, ng: number): Map<string, number> | null {
  let total = 0;
  for (let k = 0; k < c.m.length; k++) total += c.m[k]!;
  if (total === 0) return null;
  const p = c.m.map((v) => v / total);
  const pi = new Float64Array(ng), pj = new Float64Array(ng);
  const pDiff = new Float64Array(ng), pSum = new Float64Array(2 * ng + 1);
  let jointMax = 0, muI = 0, muJ = 0, entropy = 0, energy = 0, contrast = 0, dissim = 0;
  let invDiff = 0, invDiffN = 0, idm = 0, idmN = 0, autoCorr = 0;
  for (let i = 1; i <= ng; i++)
    for (let j = 1; j <= ng; j++) {
      const v = p[(i - 1) * ng + j - 1]!;
      if (v === 0) continue;
      const d = Math.abs(i - j);
      pi[i - 1]! += v; pj[j - 1]! += v;
      pDiff[d]! += v; pSum[i + j]! += v;
      if (v > jointMax) jointMax = v;
      muI += i * v; muJ += j * v;
      entropy -= v * Math.log2(v);
      energy += v * v;
      contrast += d * d * v;
      dissim += d * v;
      invDiff += v / (1 + d);
      invDiffN += v / (1 + d / ng);
      idm += v / (1 + d * d);
      idmN += v / (1 + (d * d) / (ng * ng));
      autoCorr += i * j * v;
    }
  let jointVar = 0, sdI = 0, sdJ = 0, tend = 0, shade = 0, prom = 0, cov = 0;
  for (let i = 1; i <= ng; i++)
    for (let j = 1; j <= ng; j++) {
      const v = p[(i - 1) * ng + j - 1]!;
      if (v === 0) continue;
      jointVar += (i - muI) ** 2 * v;
      const s = i + j - muI - muJ;
      tend += s * s * v; shade += s ** 3 * v; prom += s ** 4 * v;
      cov += (i - muI) * (j - muJ) * v;
    }
  for (let i = 1; i <= ng; i++) { sdI += (i - muI) ** 2 * pi[i - 1]!; sdJ += (i - muJ) ** 2 * pj[i - 1]!; }
  sdI = Math.sqrt(sdI); sdJ = Math.sqrt(sdJ);
  let diffAvg = 0, diffEnt = 0, invVar = 0;
  for (let k = 0; k < ng; k++) {
    const v = pDiff[k]!;
    diffAvg += k * v;
    if (v > 0) diffEnt -= v * Math.log2(v);
    if (k > 0) invVar += v / (k * k);
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k]!;
  let sumAvg = 0, sumEnt = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = pSum[k]!;
    sumAvg += k * v;
    if (v > 0) sumEnt -= v * Math.log2(v);
  }
  let sumVar = 0;
  for (let k = 2; k <= 2 * ng; k++) sumVar += (k - sumAvg) ** 2 * pSum[k]!;
  // information correlation (HXY = joint entropy)
  let hx = 0, hxy1 = 0, hxy2 = 0;
  for (let i = 0; i < ng; i++) if (pi[i]! > 0) hx -= pi[i]! * Math.log2(pi[i]!);
  for (let i = 0; i < ng; i++)
    for (let j = 0; j < ng; j++) {
      const q = pi[i]! * pj[j]!;
      if (q <= 0) continue;
      hxy1 -= p[i * ng + j]! * Math.log2(q);
      hxy2 -= q * Math.log2(q);
    }
  const infoCorr1 = hx > 0 ? (entropy - hxy1) / hx : 0; // symmetric matrix: HX = HY
  const infoCorr2 = Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - entropy))));
  return new Map([
    ['cm_joint_max', jointMax], ['cm_joint_avg', muI], ['cm_joint_var', jointVar], ['cm_joint_entr', entropy],
    ['cm_diff_avg', diffAvg], ['cm_diff_var', diffVar], ['cm_diff_entr', diffEnt],
    ['cm_sum_avg', sumAvg], ['cm_sum_var', sumVar], ['cm_sum_entr', sumEnt],
    ['cm_energy', energy], ['cm_contrast', contrast], ['cm_dissimilarity', dissim],
    ['cm_inv_diff', invDiff], ['cm_inv_diff_norm', invDiffN], ['cm_inv_diff_mom', idm], ['cm_inv_diff_mom_norm', idmN],
    ['cm_inv_var', invVar], ['cm_corr', sdI * sdJ > 0 ? cov / (sdI * sdJ) : 1], ['cm_auto_corr', autoCorr],
    ['cm_clust_tend', tend], ['cm_clust_shade', shade], ['cm_clust_prom', prom],
    ['cm_info_corr1', infoCorr1], ['cm_info_corr2', infoCorr2],
  ]);
}

export function glcm(roi: DiscreteRoi, aggregations: readonly Aggregation[]): Map<Aggregation, Map<string, number>> {
  return aggregateDirectional(roi, aggregations, roi.ng * roi.ng, (d, z) => glcmCounts(roi, d, z), (c) => glcmFeatures(c, roi.ng));
}
