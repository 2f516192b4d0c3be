import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureAlignment, measureEndplateTilts } from '../src/alignment.js';
import { relabel, stack, worldAt } from './synthetic-spine.js';

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

test('a hole under one side of an endplate (marrow below the bone threshold) does not tilt it: tilts come from the repaired body', () => {
  const { spine } = stack({ L1: { coronalTiltDeg: 8 } });
  const g = spine.instanceMask;
  const l1 = spine.vertebrae.find((v) => v.label === 'L1')!.instance;
  // L1 spans z 66–92 at its centre; its superior endplate rises 8° towards +x. Cut 1.5–3.5 mm
  // below it, over the right half of the body, leaving the cortex on top.
  const top = (x: number) => 92 + Math.tan((8 * Math.PI) / 180) * x;
  let cut = 0;
  g.data.forEach((v, idx) => {
    if (v !== l1) return;
    const [x, y, z] = worldAt(g, idx);
    if (x < 2 || x > 16 || Math.abs(y) > 10 || z < top(x) - 3.5 || z > top(x) - 1.5) return;
    g.data[idx] = 0;
    spine.partMask.data[idx] = 0;
    spine.vertebraMask.data[idx] = 0;
    cut++;
  });
  assert.ok(cut > 500, `cut ${cut} voxels`);
  const a = measureAlignment(spine);
  const t = a.endplates.find((e) => e.label === 'L1');
  assert.ok(t);
  near(t.coronalSuperiorDeg, 8, 1, 'L1 superior tilt');
});

test('with the CT, endplate tilts follow the HU endplate where the mask stopped short of it in low-density marrow', () => {
  const { spine, volume } = stack({ L1: { coronalTiltDeg: 8 } });
  const g = spine.instanceMask;
  const l1 = spine.vertebrae.find((v) => v.label === 'L1')!.instance;
  const top = (x: number) => 92 + Math.tan((8 * Math.PI) / 180) * x;
  // L1: marrow 100 HU under a 1 mm endplate of 700 HU; the mask loses the top 3 mm over the right half
  g.data.forEach((v, idx) => {
    if (v !== l1 || spine.partMask.data[idx] !== 1) return;
    const [x, , z] = worldAt(g, idx);
    volume.data[idx] = z > top(x) - 1 ? 700 : 100;
    if (x > 2 && z > top(x) - 3) {
      g.data[idx] = 0;
      spine.partMask.data[idx] = 0;
      spine.vertebraMask.data[idx] = 0;
    }
  });
  const maskOnly = measureAlignment(spine).endplates.find((e) => e.label === 'L1')!;
  const withCt = measureAlignment(spine, volume).endplates.find((e) => e.label === 'L1')!;
  assert.ok(Math.abs(maskOnly.coronalSuperiorDeg - 8) > 2, `mask only: ${maskOnly.coronalSuperiorDeg.toFixed(2)}`);
  near(withCt.coronalSuperiorDeg, 8, 1, 'L1 superior tilt with the CT');
});

test('a band of the sacral body labelled posterior elements does not move the S1 superior endplate tilt', () => {
  // S1: superior endplate rising 12 mm over the 30 mm depth, with a 4 mm lip on its posterior rim
  // (the surface the search lines must not be confined to). segmentSpineCT labels parts slice by
  // slice and on the phantoms cut such a band through the tilted sacrum.
  const make = (band: boolean) => {
    const { spine } = stack({ L4: { label: 'S1', anteriorMm: 20, posteriorMm: 32 } }, [1, 1, 1]);
    const s1 = spine.vertebrae.find((v) => v.label === 'S1')!.instance;
    const bottom = 100 - 4 * 34;
    const top = (y: number) => bottom + 20 + (12 * (y + 15)) / 30;
    relabel(spine, s1, 1, (x, y, z) => (x / 20) ** 2 + (y / 15) ** 2 <= 1 && y > 10 && z > top(y) && z <= top(y) + 4);
    if (band) assert.ok(relabel(spine, s1, 2, (_x, y, z) => y > -6 && y < -3 && z > bottom + 8) > 1000);
    return measureEndplateTilts(spine).find((e) => e.label === 'S1')!.sagittalSuperiorDeg;
  };
  const intact = make(false);
  near(intact, 21.8, 2.5, 'S1 superior tilt, intact mask');
  // Before the footprint bridged the band: 28.4° against 24.3° intact.
  near(make(true), intact, 1, 'S1 superior tilt with the band');
});

test('on a 3 mm grid too, endplate tilts follow the HU endplate where the mask lost a slice under half of it (not the sacrum)', () => {
  const { spine, volume } = stack({}, [1, 1, 3]);
  const g = spine.instanceMask;
  const l1 = spine.vertebrae.find((v) => v.label === 'L1')!.instance;
  // L1: flat superior endplate at z = 92 (one 3 mm slice of 700 HU cortex over 100 HU marrow);
  // the mask loses that slice over the right half of the body.
  let top = -Infinity;
  g.data.forEach((v, idx) => {
    if (v === l1 && spine.partMask.data[idx] === 1) top = Math.max(top, worldAt(g, idx)[2]);
  });
  g.data.forEach((v, idx) => {
    if (v !== l1 || spine.partMask.data[idx] !== 1) return;
    const [x, , z] = worldAt(g, idx);
    volume.data[idx] = z === top ? 700 : 100;
    if (x > 2 && z === top) {
      g.data[idx] = 0;
      spine.partMask.data[idx] = 0;
      spine.vertebraMask.data[idx] = 0;
    }
  });
  const maskOnly = measureAlignment(spine).endplates.find((e) => e.label === 'L1')!;
  const withCt = measureAlignment(spine, volume).endplates.find((e) => e.label === 'L1')!;
  assert.ok(Math.abs(maskOnly.coronalSuperiorDeg) > 2, `mask only: ${maskOnly.coronalSuperiorDeg.toFixed(2)}`);
  near(withCt.coronalSuperiorDeg, 0, 1.5, 'L1 superior tilt with the CT');
});

test('lordosis carries a caveat when the lumbosacral segment reads kyphotic (a misplaced S1 endplate), not when it is lordotic', () => {
  const caveats = (anteriorMm: number, posteriorMm: number) => {
    const { spine } = stack({ L4: { label: 'S1', anteriorMm, posteriorMm } }, [1, 1, 1]);
    const l = measureAlignment(spine).lumbarLordosisDeg;
    assert.equal(l.status, 'measured');
    return l.caveats.join(' ');
  };
  assert.doesNotMatch(caveats(20, 32), /kyphotic/);
  assert.match(caveats(32, 20), /L3–S1 segment reads kyphotic/);
});
