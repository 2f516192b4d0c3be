/**
 * Voxel-value statistics and histograms, optionally inside a mask. NaN voxels are ignored.
 * Percentiles interpolate linearly between order statistics (numpy's default): p = v[⌊q(n−1)⌋] + …
 * SD is the population SD (divides by n).
 */
import { RachisError } from '../core/errors.js';
import type { Image } from './image.js';
import { assertSameGeometry, checkImage } from './image.js';
import type { Histogram, Statistics } from './types.js';

function checkMask(img: Image, mask: Image | undefined, what: string): void {
  if (!mask) return;
  checkImage(mask, what);
  assertSameGeometry(img, mask, `${what}: image and mask`);
}

/** Values to sort for the order statistics: small integer types use a counting table instead. */
type OrderStats = (rank: number) => number;

function countingOrder(img: Image, mask: Image | undefined, offset: number, range: number): OrderStats {
  const counts = new Float64Array(range);
  const src = img.data;
  const m = mask?.data;
  for (let p = 0; p < src.length; p++) if (!m || m[p] !== 0) counts[src[p]! + offset]!++;
  // Cumulative counts let every rank query be a binary search.
  for (let i = 1; i < range; i++) counts[i]! += counts[i - 1]!;
  return (rank) => {
    let lo = 0;
    let hi = range - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (counts[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    return lo - offset;
  };
}

/** Rearranges `a` so a[k] is the k-th smallest (Hoare quickselect, median-of-three pivot). */
function select(a: Float32Array | Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Order statistics of float data by selection (O(n) per query) instead of a full sort. */
function selectedOrder(img: Image, mask: Image | undefined, count: number): OrderStats {
  const src = img.data;
  const m = mask?.data;
  // Float32 only for float32 data: 32-bit integers need a double to stay exact.
  const vals = src instanceof Float32Array ? new Float32Array(count) : new Float64Array(count);
  let q = 0;
  for (let p = 0; p < src.length; p++) {
    const v = src[p]!;
    if ((!m || m[p] !== 0) && v === v) vals[q++] = v;
  }
  return (rank) => {
    select(vals, rank);
    return vals[rank]!;
  };
}

function percentile(order: OrderStats, n: number, q: number): number {
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const a = order(lo);
  return lo + 1 < n ? a + (pos - lo) * (order(lo + 1) - a) : a;
}

/** Statistics of voxel values, optionally inside mask ≠ 0 (same geometry required). */
export function statistics(img: Image, mask?: Image): Statistics {
  checkImage(img, 'statistics');
  checkMask(img, mask, 'statistics');
  const src = img.data;
  const m = mask?.data;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < src.length; p++) {
    if (m && m[p] === 0) continue;
    const v = src[p]!;
    if (v !== v) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count: 0, mean: NaN, sd: NaN, min: NaN, max: NaN, median: NaN, p5: NaN, p95: NaN, sum: 0 };
  const mean = sum / count;
  let ss = 0;
  for (let p = 0; p < src.length; p++) {
    if (m && m[p] === 0) continue;
    const v = src[p]!;
    if (v === v) ss += (v - mean) * (v - mean);
  }
  const small = src instanceof Int8Array || src instanceof Uint8Array || src instanceof Int16Array || src instanceof Uint16Array;
  const order = small ? countingOrder(img, mask, src instanceof Int8Array ? 128 : src instanceof Int16Array ? 32768 : 0, src instanceof Int8Array || src instanceof Uint8Array ? 256 : 65536) : selectedOrder(img, mask, count);
  return {
    count,
    mean,
    sd: Math.sqrt(ss / count),
    min,
    max,
    median: percentile(order, count, 0.5),
    p5: percentile(order, count, 0.05),
    p95: percentile(order, count, 0.95),
    sum,
  };
}

/**
 * `bins` equal-width bins over `range` (default [min, max] of the selected values); values outside
 * the range are not counted, the upper edge belongs to the last bin. edges.length = bins + 1.
 */
export function histogram(img: Image, bins: number, range?: [number, number], mask?: Image): Histogram {
  checkImage(img, 'histogram');
  checkMask(img, mask, 'histogram');
  if (!Number.isInteger(bins) || bins < 1 || bins > 1e7) throw new RachisError('INVALID_ARGUMENT', `histogram: bins must be a positive integer, got ${bins}`);
  const src = img.data;
  const m = mask?.data;
  let [lo, hi] = range ?? [Infinity, -Infinity];
  if (!range) {
    for (let p = 0; p < src.length; p++) {
      if (m && m[p] === 0) continue;
      const v = src[p]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo > hi) [lo, hi] = [0, 1];
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) throw new RachisError('INVALID_ARGUMENT', `histogram: bad range ${lo}..${hi}`);
  if (hi === lo) hi = lo + 1; // a constant image: one value, all in the first bin
  const counts = new Array<number>(bins).fill(0);
  const scale = bins / (hi - lo);
  for (let p = 0; p < src.length; p++) {
    if (m && m[p] === 0) continue;
    const v = src[p]!;
    if (!(v >= lo && v <= hi)) continue;
    const b = Math.min(bins - 1, Math.floor((v - lo) * scale));
    counts[b]!++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  return { edges, counts };
}
