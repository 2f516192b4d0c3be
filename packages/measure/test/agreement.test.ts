import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cohenKappa, fleissKappa } from '../src/agreement.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

test('Cohen kappa: textbook 2×2 example (po 0.7, pe 0.5 → 0.4)', () => {
  // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no (Wikipedia "Cohen's kappa" worked example).
  const a = [...Array(25).fill(1), ...Array(25).fill(0)];
  const b = [...Array(20).fill(1), ...Array(5).fill(0), ...Array(10).fill(1), ...Array(15).fill(0)];
  const k = cohenKappa(a, b, 2);
  close(k.observed, 0.7);
  close(k.expected, 0.5);
  close(k.kappa, 0.4);
  // With two categories every weighting is the same kappa.
  close(cohenKappa(a, b, 2, 'quadratic').kappa, 0.4);
});

test('weighted kappa matches an independent numpy computation', () => {
  const a = [0, 1, 2, 3, 1, 0, 2, 2, 1, 0];
  const b = [0, 2, 2, 3, 0, 0, 1, 3, 1, 1];
  close(cohenKappa(a, b, 4, 'none').kappa, 0.32432432432432434);
  close(cohenKappa(a, b, 4, 'linear').kappa, 0.5689655172413793);
  close(cohenKappa(a, b, 4, 'quadratic').kappa, 0.7706422018348619);
});

test('kappa is undefined (NaN) when both raters use one category; bad ratings throw', () => {
  assert.ok(Number.isNaN(cohenKappa([0, 0, 0], [0, 0, 0], 4).kappa));
  assert.throws(() => cohenKappa([0, 4], [0, 0], 4), RangeError);
  assert.throws(() => cohenKappa([0], [0, 1], 4), RangeError);
});

test('Fleiss kappa: Wikipedia 10 subjects × 14 raters example → 0.210', () => {
  const table = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
  ];
  const ratings = table.map((row) => row.flatMap((c, j) => Array<number>(c).fill(j)));
  const f = fleissKappa(ratings, 5);
  close(f.observed, 0.378, 1e-3);
  close(f.expected, 0.213, 1e-3);
  close(f.kappa, 0.21, 1e-3);
});
