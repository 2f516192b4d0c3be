/**
 * IBSI-1 3.5 intensity-volume histogram.
 * The IVH runs over a set of candidate intensities X_1 < … < X_K:
 * - discretisation 'none' (IBSI "direct"): the intensities themselves; for integer data every integer
 *   between the bounds (so levels absent from the ROI still count, as in the digital phantom);
 * - 'fbs': the bin centres X_min + (i − ½)·w of bins 1..Ng;
 * - 'fbn': the bin numbers 1..Ng.
 * The bounds are the re-segmentation range where it is set (IBSI 3.5), else the ROI extremes.
 * ν(X) = fraction of ROI voxels with intensity ≥ X; γ = (X − X_min)/(X_max − X_min).
 */
import type { Discretised } from '../preprocess/discretise.js';
import type { Discretisation, RadiomicsSettings } from '../settings.js';
import { maskedValues } from './util.js';

export function ivhFeatures(
  intensities: Float64Array,
  mask: Uint8Array,
  d: Discretisation,
  disc: Discretised | null,
  range: RadiomicsSettings['resegmentation']['range'],
): Map<string, number> {
  let values: Float64Array;
  let lo: number, hi: number;
  let candidates: Float64Array;
  if (d.method === 'none' || !disc) {
    values = maskedValues(intensities, mask).sort();
    lo = range && range[0] !== null && Number.isFinite(range[0]) ? range[0] : values[0]!;
    hi = range && range[1] !== null && Number.isFinite(range[1]) ? range[1] : values[values.length - 1]!;
    const integer = values.every((v) => Number.isInteger(v)) && Number.isInteger(lo) && Number.isInteger(hi) && hi - lo < 1e7;
    if (integer) {
      candidates = new Float64Array(hi - lo + 1);
      for (let i = 0; i < candidates.length; i++) candidates[i] = lo + i;
    } else {
      candidates = Float64Array.from(new Set(values));
    }
  } else {
    const lv = maskedValues(disc.levels, mask);
    const toX = d.method === 'fbs' ? (i: number): number => disc.lower + (i - 0.5) * disc.width : (i: number): number => i;
    values = lv.map(toX).sort();
    candidates = new Float64Array(disc.ng);
    for (let i = 0; i < disc.ng; i++) candidates[i] = toX(i + 1);
    lo = candidates[0]!;
    hi = candidates[disc.ng - 1]!;
  }
  const n = values.length;
  // ν(X): fraction ≥ X, by binary search in the sorted values
  const nu = (x: number): number => {
    let a = 0, b = n;
    while (a < b) { const m = (a + b) >> 1; if (values[m]! < x) a = m + 1; else b = m; }
    return (n - a) / n;
  };
  const span = hi - lo;
  const vAt = (g: number): number => {
    // fraction of voxels with γ ≥ g
    let count = 0;
    for (let i = 0; i < n; i++) if ((span > 0 ? (values[i]! - lo) / span : 0) >= g) count++;
    return count / n;
  };
  const iAt = (x: number): number => {
    for (let k = 0; k < candidates.length; k++) if (nu(candidates[k]!) < x) return candidates[k]!;
    return candidates[candidates.length - 1]!;
  };
  const v10 = vAt(0.1), v90 = vAt(0.9), i10 = iAt(0.1), i90 = iAt(0.9);
  return new Map([
    ['ivh_v10', v10], ['ivh_v90', v90], ['ivh_i10', i10], ['ivh_i90', i90],
    ['ivh_diff_v10_v90', v10 - v90], ['ivh_diff_i10_i90', i10 - i90],
  ]);
}
