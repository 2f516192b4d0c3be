import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureAlignment } from '../src/alignment.js';
import { stack } from './synthetic-spine.js';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a.toFixed(2)} vs ${b} (tol ${tol})`);

test('coronal Cobb from endplate tilts: end vertebrae, apex and convexity', () => {
  // Tilts +8, +4, 0, −4, −8° and the middle vertebrae shifted to the patient's left (+L).
  const { spine } = stack({
    T12: { coronalTiltDeg: 8 }, L1: { coronalTiltDeg: 4, cx: 4 }, L2: { cx: 7 }, L3: { coronalTiltDeg: -4, cx: 4 }, L4: { coronalTiltDeg: -8 },
  });
  const a = measureAlignment(spine);
  assert.equal(a.endplates.length, 5);
  near(a.endplates[0]!.coronalSuperiorDeg, 8, 1, 'T12 superior tilt');
  near(a.endplates[4]!.coronalInferiorDeg, -8, 1, 'L4 inferior tilt');
  assert.equal(a.coronalCobb.status, 'measured');
  if (a.coronalCobb.status !== 'measured') return;
  near(a.coronalCobb.value.angleDeg, 16, 2, 'Cobb');
  assert.equal(a.coronalCobb.value.upperEnd, 'T12');
  assert.equal(a.coronalCobb.value.lowerEnd, 'L4');
  assert.equal(a.coronalCobb.value.apex, 'L2');
  assert.equal(a.coronalCobb.value.convexity, 'left');
  assert.equal(a.coronalCobb.value.scoliosis, true);
});

test('straight column: Cobb ≈ 0; kyphosis and lordosis not measurable without T4 / S1', () => {
  const { spine } = stack();
  const a = measureAlignment(spine);
  assert.equal(a.coronalCobb.status, 'measured');
  if (a.coronalCobb.status === 'measured') {
    assert.ok(a.coronalCobb.value.angleDeg < 2, `Cobb ${a.coronalCobb.value.angleDeg}`);
    assert.equal(a.coronalCobb.value.scoliosis, false);
  }
  assert.equal(a.thoracicKyphosisDeg.status, 'not-measured');
  if (a.thoracicKyphosisDeg.status === 'not-measured') assert.match(a.thoracicKyphosisDeg.reason, /T4/);
  assert.equal(a.lumbarLordosisDeg.status, 'not-measured');
  if (a.lumbarLordosisDeg.status === 'not-measured') assert.match(a.lumbarLordosisDeg.reason, /S1/);
});

test('sagittal sign convention: a T4 superior endplate rising posteriorly gives positive kyphosis', () => {
  const s = stack({ T12: { label: 'T4', anteriorMm: 20, posteriorMm: 26 }, L4: { label: 'T12' } });
  const a = measureAlignment(s.spine);
  assert.equal(a.thoracicKyphosisDeg.status, 'measured');
  // Superior endplate slope 6 mm over the 30 mm depth → atan(0.2) = 11.3°; T12's inferior endplate is flat.
  if (a.thoracicKyphosisDeg.status === 'measured') near(a.thoracicKyphosisDeg.value, 11.3, 1, 'kyphosis');
});
