import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpinePhantom, segmentSpineCT, VERTEBRA_LABEL_VALUE } from '@rachis/spine';
import type { VertebraName } from '@rachis/spine';
import { pitchGaps, tallBodies } from '../src/segment/merge.js';
import type { Body } from '../src/segment/bodies.js';

// Low trabecular density (90 HU, discs are 80 HU) at three levels on a 2 mm grid: the cortical
// shell breaks up, and the marrow must neither vanish nor be taken for the spinal canal.
const LOW: VertebraName[] = ['T12', 'L1', 'L2'];
const phantom = makeSpinePhantom({ seed: 3, spacingMm: [2, 2, 2], fov: { from: 'T11', to: 'S1' }, trabecularHU: { T12: 90, L1: 90, L2: 90 } });

test('osteoporotic levels are found and labelled; no level is skipped or renamed', async () => {
  const seg = await segmentSpineCT(phantom.volume);
  const visible = phantom.truth.vertebrae.filter((v) => v.visible && !v.truncated);
  assert.ok(LOW.every((n) => visible.some((v) => v.name === n)), 'the low-density levels are in the field of view');
  const wrong: string[] = [];
  for (const t of visible) {
    const mine = seg.vertebrae.find((v) => v.label === t.name);
    const err = mine ? Math.hypot(mine.centroidMm[0] - t.centroidMm![0], mine.centroidMm[1] - t.centroidMm![1], mine.centroidMm[2] - t.centroidMm![2]) : Infinity;
    if (err > 20) wrong.push(`${t.name} (${mine ? `${err.toFixed(0)} mm off` : 'missing'})`);
  }
  // A wrong label is acceptable only when the result says it is unsure.
  if (wrong.length > 0) assert.equal(seg.labelling.state, 'uncertain', `silently wrong: ${wrong.join(', ')}`);
  assert.deepEqual(wrong, [], `levels not identified: ${wrong.join(', ')}`);
  const anyPart = phantom.truth.vertebrae.filter((v) => v.visible).length;
  assert.equal(seg.vertebrae.length, anyPart, `one instance per (partly) visible level, got ${seg.vertebrae.map((v) => v.label).join(' ')}`);
  for (const n of LOW) {
    const value = VERTEBRA_LABEL_VALUE[n];
    let a = 0;
    let b = 0;
    let both = 0;
    for (let p = 0; p < phantom.labels.data.length; p++) {
      const x = phantom.labels.data[p] === value;
      const y = seg.vertebraMask.data[p] === value;
      if (x) a++;
      if (y) b++;
      if (x && y) both++;
    }
    assert.ok((2 * both) / (a + b) >= 0.7, `${n} Dice ${((2 * both) / (a + b)).toFixed(3)}`);
  }
});

function body(zMm: number): Body {
  // 24 mm tall bodies (12 slices of 2 mm) every 30 mm
  return { voxels: new Int32Array(1), centroid: [0, 0, zMm], k0: 0, k1: 11, truncated: false, s0: 0, s1: 11 };
}

test('a gap of ≥ 1.6 vertebral pitches along the column is reported as a possibly missed level', () => {
  const regular = [200, 170, 140, 110, 80].map(body);
  assert.deepEqual(pitchGaps(regular, 1.6, 2), []);
  const skipped = [200, 170, 140, 80, 50].map(body); // the body at 110 mm is missing
  const gaps = pitchGaps(skipped, 1.6, 2);
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0]!.index, 2);
  assert.equal(gaps[0]!.gapMm, 60);
  assert.equal(gaps[0]!.medianMm, 30);
});

test('a body about twice as tall as its neighbours along the column is reported as a possible fused pair', () => {
  const at = (s0: number, s1: number, truncated = false): Body => ({ ...body(0), s0, s1, truncated });
  const regular = [at(0, 12), at(15, 27), at(30, 42), at(45, 57), at(60, 72)];
  assert.deepEqual(tallBodies(regular, 1.6), []);
  const fused = [at(0, 12), at(15, 27), at(30, 57), at(60, 72), at(75, 87)];
  assert.deepEqual(tallBodies(fused, 1.6), [2]);
  // A body cut by the field of view is never judged by its height, nor sets the scale.
  assert.deepEqual(tallBodies([at(0, 40, true), at(45, 57), at(60, 72), at(75, 87)], 1.6), []);
  assert.deepEqual(tallBodies([at(0, 12), at(15, 27), at(30, 57), at(60, 90, true)], 1.6), [2]);
});
