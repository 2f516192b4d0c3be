import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradeColumn, gradeFromHeightLoss, gradeGenant, spinalDeformityIndex, type GenantGrade } from '../src/genant.js';

const h = (anteriorMm: number, middleMm: number, posteriorMm: number) => ({ anteriorMm, middleMm, posteriorMm });

test('Genant bands: <20 % → 0, 20–25 % → 1, 25–40 % → 2, >40 % → 3', () => {
  assert.equal(gradeFromHeightLoss(0), 0);
  assert.equal(gradeFromHeightLoss(0.1999), 0);
  assert.equal(gradeFromHeightLoss(0.2), 1);
  assert.equal(gradeFromHeightLoss(0.2499), 1);
  assert.equal(gradeFromHeightLoss(0.25), 2);
  assert.equal(gradeFromHeightLoss(0.4), 2);
  assert.equal(gradeFromHeightLoss(0.4001), 3);
  assert.throws(() => gradeFromHeightLoss(Number.NaN), RangeError);
});

test('wedge, biconcave and posterior (crush) shapes from the shortest height', () => {
  const wedge = gradeGenant(h(15, 20, 25)); // Ha/Hp = 0.6 → 40 % loss → grade 2 (40 % stays moderate)
  assert.equal(wedge.grade, 2);
  assert.equal(wedge.shape, 'wedge');
  assert.ok(Math.abs(wedge.ratios.wedge - 0.6) < 1e-12);
  const biconcave = gradeGenant(h(25, 14, 25)); // 44 % → 3
  assert.equal(biconcave.grade, 3);
  assert.equal(biconcave.shape, 'biconcave');
  assert.ok(Math.abs(biconcave.ratios.biconcave - 0.56) < 1e-12);
  const posterior = gradeGenant(h(25, 24, 19)); // 24 % → 1
  assert.equal(posterior.grade, 1);
  assert.equal(posterior.shape, 'crush');
  const normal = gradeGenant(h(30.3, 28, 26.3)); // L5 taller in front (Cook & Baker): 13 % → 0
  assert.equal(normal.grade, 0);
  assert.equal(normal.shape, 'normal');
});

test('at L5 the posterior height is judged against the normal L5 wedge shape (Cook & Baker)', () => {
  // Anterior corner inflated by partial volume (example_ct, own masks): a false crush without the level.
  const inflated = h(36.8, 28.3, 25.7);
  assert.equal(gradeGenant(inflated).grade, 2);
  const l5 = gradeGenant(inflated, {}, { level: 'L5' });
  assert.ok(Math.abs(l5.withinVertebraLoss - (1 - 25.7 / (26.3 / 30.3) / 36.8)) < 1e-12); // Hm 28.3 / 0.934 = 30.3 is not the shortest
  assert.equal(l5.grade, 0);
  assert.ok(Math.abs(l5.ratios.wedge - 36.8 / 25.7) < 1e-12, 'EVOS ratios stay raw');
  // A real posterior loss still grades: Hp / Ha 0.63 is 27 % below the normal L5 shape.
  const low = gradeGenant(h(30, 28, 19), {}, { level: 'L5' });
  assert.equal(low.grade, 2);
  assert.equal(low.shape, 'crush');
  // A middle (biconcave) loss at L5: Hm / Ha 0.70 is 25 % below the normal wedge's middle.
  assert.equal(gradeGenant(h(30, 21, 27), {}, { level: 'L5' }).shape, 'biconcave');
  assert.equal(gradeGenant(h(30, 21, 27), {}, { level: 'L5' }).grade, 2);
  // An anterior wedge at L5 grades as at any level; other levels are unchanged.
  assert.equal(gradeGenant(h(20, 25, 26), {}, { level: 'L5' }).withinVertebraLoss, gradeGenant(h(20, 25, 26)).withinVertebraLoss);
  assert.equal(gradeGenant(inflated, {}, { level: 'L4' }).grade, 2);
});

test('uniform height loss is only seen against the neighbours (crush)', () => {
  const flat = h(16, 16, 16);
  assert.equal(gradeGenant(flat).grade, 0);
  const r = gradeGenant(flat, { above: h(23, 23, 24), below: h(25, 25, 26) }); // 16 / 25 → 36 % loss
  assert.equal(r.grade, 2);
  assert.equal(r.shape, 'crush');
  assert.ok(Math.abs(r.vsNeighboursLoss! - 0.36) < 1e-12);
  assert.ok(Math.abs(r.ratios.crushAbove! - 16 / 24) < 1e-12);
  assert.ok(Math.abs(r.ratios.crushBelow! - 16 / 26) < 1e-12);
  // A taller vertebra than its neighbours is not a loss.
  assert.equal(gradeGenant(h(30, 30, 30), { above: flat }).vsNeighboursLoss, 0);
});

test('bad heights are a RangeError, not a wrong grade', () => {
  assert.throws(() => gradeGenant(h(0, 20, 20)), RangeError);
  assert.throws(() => gradeGenant(h(20, Number.NaN, 20)), RangeError);
  assert.throws(() => gradeGenant(h(20, 20, 20), { above: h(-1, 20, 20) }), RangeError);
});

test('gradeColumn takes the nearest intact vertebra within two levels as reference, never a fractured one, and keeps gaps', () => {
  const col = [
    { level: 'T11', heights: h(22, 22, 23) },
    { level: 'T12', heights: h(12, 18, 23) }, // wedge 48 % → grade 3, must not be a reference for L1
    { level: 'L1', heights: h(23, 23, 24) },
    { level: 'L2', heights: undefined },
    { level: 'L3', heights: h(26, 26, 27) },
  ];
  const g = gradeColumn(col);
  assert.equal(g.get('T12')!.grade, 3);
  assert.equal(g.get('L1')!.grade, 0);
  // T12 fractured and L2 missing: T11 (max 23) and L3 (max 27) are the references
  assert.ok(Math.abs(g.get('L1')!.vsNeighboursLoss! - (1 - 24 / 25)) < 1e-9);
  assert.equal(g.has('L2'), false);
  // three levels away nothing is a reference
  const far = gradeColumn([{ level: 'T10', heights: h(22, 22, 23) }, { level: 'T11', heights: h(12, 18, 23) }, { level: 'T12', heights: h(11, 17, 23) }, { level: 'L1', heights: h(23, 23, 24) }]);
  assert.equal(far.get('L1')!.vsNeighboursLoss, undefined);
});

test('a uniformly crushed body between a fractured and a missing neighbour is still compared (crush grade 3)', () => {
  const g = gradeColumn([
    { level: 'T11', heights: h(22, 22, 23) },
    { level: 'T12', heights: h(12, 18, 23) },
    { level: 'L1', heights: h(14, 14, 14) },
    { level: 'L2', heights: undefined },
    { level: 'L3', heights: h(26, 26, 27) },
  ]);
  assert.equal(g.get('L1')!.grade, 3);
  assert.equal(g.get('L1')!.shape, 'crush');
});

test('spinal deformity index sums T4–L4 and reports missing levels', () => {
  const grades = new Map<string, GenantGrade>([['T3', 3], ['T7', 2], ['T12', 1], ['L1', 3], ['L5', 3]]);
  const s = spinalDeformityIndex(grades);
  assert.equal(s.sdi, 6);
  assert.deepEqual(s.graded, ['T7', 'T12', 'L1']);
  assert.equal(s.missing.length, 10);
  assert.equal(s.complete, false);
});

test('height uncertainty: loss range from first-order propagation, borderline when it straddles a band', () => {
  assert.equal(gradeGenant(h(19, 21.5, 24)).gradeBorderline, undefined); // no uncertainty given: no range
  // 1 − 19/24 = 20.8 %; σ = 1 mm · √((1/24)² + (19/24²)²) = 5.31 pp → 15.5–26.1 %: grade 0, 1 or 2.
  const g = gradeGenant(h(19, 21.5, 24), {}, { heightUncertaintyMm: 1 });
  assert.equal(g.grade, 1);
  const s = Math.hypot(1 / 24, 19 / 576);
  assert.ok(Math.abs(g.heightLossRange![0] - (1 - 19 / 24 - s)) < 1e-12);
  assert.ok(Math.abs(g.heightLossRange![1] - (1 - 19 / 24 + s)) < 1e-12);
  assert.deepEqual(g.gradeRange, [0, 2]);
  assert.equal(g.gradeBorderline, true);
  // Same heights, ±0.1 mm: 20.3–21.3 %, inside grade 1.
  const sharp = gradeGenant(h(19, 21.5, 24), {}, { heightUncertaintyMm: 0.1 });
  assert.deepEqual(sharp.gradeRange, [1, 1]);
  assert.equal(sharp.gradeBorderline, false);
  // Zero uncertainty: the range collapses onto the loss.
  const exact = gradeGenant(h(19, 21.5, 24), {}, { heightUncertaintyMm: 0 });
  assert.deepEqual(exact.heightLossRange, [exact.heightLoss, exact.heightLoss]);
  // Normal body: the range is clamped at 0.
  assert.equal(gradeGenant(h(25, 25, 25), {}, { heightUncertaintyMm: 2 }).heightLossRange![0], 0);
  assert.throws(() => gradeGenant(h(25, 25, 25), {}, { heightUncertaintyMm: -1 }), RangeError);
});

test('height uncertainty of a crush: the neighbour reference (a mean of two) enters the range', () => {
  // 1 − 20/26 = 23.1 % vs neighbours; σ = 0.5 · √((1/26)² + (20/26²/√2)²) = 2.45 pp → 20.6–25.5 %: grade 1 or 2.
  const g = gradeGenant(h(20, 20, 20), { above: h(26, 26, 26), below: h(26, 26, 26) }, { heightUncertaintyMm: 0.5 });
  assert.equal(g.shape, 'crush');
  const s = 0.5 * Math.hypot(1 / 26, 20 / (26 * 26 * Math.SQRT2));
  assert.ok(Math.abs(g.heightLossRange![0] - (1 - 20 / 26 - s)) < 1e-12);
  assert.ok(Math.abs(g.heightLossRange![1] - (1 - 20 / 26 + s)) < 1e-12);
  assert.deepEqual(g.gradeRange, [1, 2]);
  assert.equal(g.gradeBorderline, true);
});
