/**
 * Inter-rater agreement statistics for ordinal grades 0..k−1 (Genant grades, here).
 * Written by hand: a few lines of arithmetic, no maintained JS package covers weighted and
 * Fleiss kappa together. Formulas: Cohen 1960 / 1968 (weighted), Fleiss 1971.
 */

export type KappaWeights = 'none' | 'linear' | 'quadratic';

export interface KappaResult {
  kappa: number;
  /** Observed (weighted) agreement. */
  observed: number;
  /** Chance-expected (weighted) agreement. */
  expected: number;
  /** Number of paired ratings. */
  n: number;
  /** confusion[a][b] = count of items rated a by rater 1 and b by rater 2. */
  confusion: number[][];
}

function checkRating(v: number, categories: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= categories) {
    throw new RangeError(`rating ${v} is not an integer category in 0..${categories - 1}`);
  }
}

/** Agreement weight between categories i and j (1 = full agreement). */
function weight(i: number, j: number, categories: number, w: KappaWeights): number {
  if (w === 'none') return i === j ? 1 : 0;
  const d = Math.abs(i - j) / (categories - 1);
  return w === 'linear' ? 1 - d : 1 - d * d;
}

/**
 * Cohen's kappa between two raters over the same items; `weights` gives the weighted kappa.
 * Returns NaN kappa when expected agreement is 1 (both raters used a single identical category):
 * kappa is undefined there, not perfect.
 */
export function cohenKappa(
  a: readonly number[],
  b: readonly number[],
  categories: number,
  weights: KappaWeights = 'none',
): KappaResult {
  if (a.length !== b.length) throw new RangeError(`rating lists differ in length: ${a.length} vs ${b.length}`);
  if (categories < 2) throw new RangeError('kappa needs at least 2 categories');
  const n = a.length;
  const confusion = Array.from({ length: categories }, () => new Array<number>(categories).fill(0));
  for (let t = 0; t < n; t++) {
    const x = a[t]!;
    const y = b[t]!;
    checkRating(x, categories);
    checkRating(y, categories);
    confusion[x]![y]! += 1;
  }
  if (n === 0) return { kappa: Number.NaN, observed: Number.NaN, expected: Number.NaN, n, confusion };
  const rowSum = confusion.map((r) => r.reduce((s, v) => s + v, 0));
  const colSum = Array.from({ length: categories }, (_, j) => confusion.reduce((s, r) => s + r[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < categories; i++) {
    for (let j = 0; j < categories; j++) {
      const wij = weight(i, j, categories, weights);
      observed += (wij * confusion[i]![j]!) / n;
      expected += (wij * rowSum[i]! * colSum[j]!) / (n * n);
    }
  }
  const kappa = expected >= 1 ? Number.NaN : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, n, confusion };
}

export interface FleissResult {
  kappa: number;
  /** Mean per-item agreement P̄. */
  observed: number;
  /** Chance agreement P̄e. */
  expected: number;
  /** Items rated by every rater. */
  n: number;
  raters: number;
}

/**
 * Fleiss' kappa: `ratings[item]` = the categories given to that item, one per rater; every item
 * must have the same number of raters (≥ 2).
 */
export function fleissKappa(ratings: ReadonlyArray<readonly number[]>, categories: number): FleissResult {
  const n = ratings.length;
  const m = ratings[0]?.length ?? 0;
  if (n === 0) return { kappa: Number.NaN, observed: Number.NaN, expected: Number.NaN, n, raters: m };
  if (m < 2) throw new RangeError('Fleiss kappa needs at least 2 raters per item');
  const totals = new Array<number>(categories).fill(0);
  let pBar = 0;
  for (const item of ratings) {
    if (item.length !== m) throw new RangeError(`every item needs ${m} ratings, got ${item.length}`);
    const counts = new Array<number>(categories).fill(0);
    for (const v of item) {
      checkRating(v, categories);
      counts[v]! += 1;
    }
    let agree = 0;
    counts.forEach((c, j) => {
      agree += c * (c - 1);
      totals[j]! += c;
    });
    pBar += agree / (m * (m - 1));
  }
  pBar /= n;
  const pe = totals.reduce((s, t) => s + (t / (n * m)) ** 2, 0);
  const kappa = pe >= 1 ? Number.NaN : (pBar - pe) / (1 - pe);
  return { kappa, observed: pBar, expected: pe, n, raters: m };
}
