/** Shared helpers for first-order features. */

/** Percentile with linear interpolation between order statistics (numpy's default, used by IBSI implementations). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (p / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Values of `values` where mask ≠ 0. */
export function maskedValues(values: ArrayLike<number>, mask: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  const out = new Float64Array(n);
  let o = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[o++] = values[i]!;
  return out;
}

/** Descriptive statistics shared by the statistics and intensity-histogram families (IBSI 3.3/3.4). */
export function descriptive(values: Float64Array): Record<string, number> {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let sum = 0, sq = 0;
  for (let i = 0; i < n; i++) { sum += values[i]!; sq += values[i]! * values[i]!; }
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0, mad = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; mad += Math.abs(d);
  }
  m2 /= n; m3 /= n; m4 /= n; mad /= n;
  const median = percentileSorted(sorted, 50);
  const p10 = percentileSorted(sorted, 10), p90 = percentileSorted(sorted, 90);
  const p25 = percentileSorted(sorted, 25), p75 = percentileSorted(sorted, 75);
  // robust MAD: mean absolute deviation from the mean of the voxels within [P10, P90]
  let rn = 0, rsum = 0;
  for (let i = 0; i < n; i++) { const v = values[i]!; if (v >= p10 && v <= p90) { rn++; rsum += v; } }
  const rmean = rsum / rn;
  let rmad = 0, medad = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v >= p10 && v <= p90) rmad += Math.abs(v - rmean);
    medad += Math.abs(v - median);
  }
  return {
    mean,
    var: m2,
    skew: m2 === 0 ? 0 : m3 / m2 ** 1.5,
    kurt: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
    median,
    min: sorted[0]!,
    p10,
    p90,
    max: sorted[n - 1]!,
    iqr: p75 - p25,
    range: sorted[n - 1]! - sorted[0]!,
    mad,
    rmad: rmad / rn,
    medad: medad / n,
    cov: Math.sqrt(m2) / mean,
    qcod: (p75 - p25) / (p75 + p25),
    energy: sq,
    rms: Math.sqrt(sq / n),
  };
}
