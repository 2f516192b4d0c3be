import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discPositions } from '../src/segment/runs.js';

/** A column profile (HU per 2 mm step) of `n` bodies with `pitch` steps each, disc at the end of each. */
function profile(n: number, pitch: number, layer: (phase: number) => number): Float64Array {
  return Float64Array.from({ length: n * pitch }, (_, s) => layer(s % pitch));
}

test('resolved discs: every dark gap between bright endplates is a cut, at the gap', () => {
  // marrow 200, endplates 350 (one step each side), disc 80 at phase 0
  const p = profile(5, 12, (ph) => (ph === 0 ? 80 : ph === 1 || ph === 11 ? 350 : 200));
  assert.deepEqual(discPositions(p, 15), [12, 24, 36, 48]);
});

test('thin discs: a bright endplate band between darker marrow is a cut', () => {
  // two endplates blurred into one 300 HU band at phases 0–1, marrow 190–210 in between
  const p = profile(6, 10, (ph) => (ph <= 1 ? 300 : 190 + (ph % 3) * 10));
  const cuts = discPositions(p, 15);
  assert.deepEqual(cuts, [10, 20, 30, 40, 50]);
});

test('a uniform or gently varying body has no disc', () => {
  const p = Float64Array.from({ length: 40 }, (_, s) => 220 + 10 * Math.sin(s / 3));
  assert.deepEqual(discPositions(p, 15), []);
});

test('cuts keep at least 0.45 typical heights apart (one disc, not its two endplates)', () => {
  const p = profile(3, 14, (ph) => (ph === 0 ? 60 : ph === 1 || ph === 13 ? 420 : 210));
  const cuts = discPositions(p, 15);
  for (let i = 1; i < cuts.length; i++) assert.ok(cuts[i]! - cuts[i - 1]! >= 0.45 * 15);
  assert.deepEqual(cuts, [14, 28]);
});
