import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRachisError } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';
import { makeSpinePhantom, relabelSpine, segmentSpineCT, labelVertebrae, VERTEBRA_LABEL_VALUE } from '@rachis/spine';
import type { SpinePhantom, SpineSegmentation } from '@rachis/spine';
import { bodiesOnEndSlices } from '../src/segment/segment.js';

const nearest = (seg: SpineSegmentation, c: readonly number[]) =>
  seg.vertebrae.reduce((b, v) => (Math.hypot(v.centroidMm[0] - c[0]!, v.centroidMm[1] - c[1]!, v.centroidMm[2] - c[2]!) < Math.hypot(b.centroidMm[0] - c[0]!, b.centroidMm[1] - c[1]!, b.centroidMm[2] - c[2]!) ? v : b));

function dice(ph: SpinePhantom, seg: SpineSegmentation, name: string): number {
  const value = VERTEBRA_LABEL_VALUE[name as keyof typeof VERTEBRA_LABEL_VALUE];
  let a = 0;
  let b = 0;
  let both = 0;
  for (let p = 0; p < ph.labels.data.length; p++) {
    const x = ph.labels.data[p] === value;
    const y = seg.vertebraMask.data[p] === value;
    if (x) a++;
    if (y) b++;
    if (x && y) both++;
  }
  return (2 * both) / (a + b);
}

// One default abdominal phantom (T10–S1 visible) shared by several tests: segmentation is the slow part.
const phantom = makeSpinePhantom({ seed: 5, spacingMm: [2, 2, 2] });
const segmented = segmentSpineCT(phantom.volume);

test('identifies every visible vertebra of a default phantom, confidently, within 20 mm', async () => {
  const seg = await segmented;
  assert.equal(seg.labelling.state, 'confident');
  assert.ok(seg.labelling.anchors.includes('sacrum') && seg.labelling.anchors.includes('lowest-rib'));
  for (const t of phantom.truth.vertebrae.filter((v) => v.visible && !v.truncated)) {
    const v = nearest(seg, t.centroidMm!);
    assert.equal(v.label, t.name, `${t.name} found as ${v.label}`);
    assert.ok(Math.hypot(v.centroidMm[0] - t.centroidMm![0], v.centroidMm[1] - t.centroidMm![1], v.centroidMm[2] - t.centroidMm![2]) < 20);
  }
  assert.deepEqual(seg.discs.map((d) => d.name).slice(-2), ['L4-L5', 'L5-S1']);
  assert.equal(seg.vertebraMask.size, phantom.volume.size);
});

test('vertebra masks overlap the phantom truth (Dice ≥ 0.8 for lumbar levels)', async () => {
  const seg = await segmented;
  for (const n of ['L1', 'L2', 'L3', 'L4']) {
    const d = dice(phantom, seg, n);
    assert.ok(d >= 0.8, `${n} Dice ${d.toFixed(3)}`);
  }
  // parts: the body label sits in front of the canal
  const l3 = seg.vertebrae.find((v) => v.label === 'L3')!;
  assert.ok(l3.bodyCentroidMm[1] < l3.centroidMm[1], 'body centroid is anterior (smaller y in LPS) of the whole vertebra');
});

test('override relabels without re-segmenting', async () => {
  const seg = await segmented;
  const l5 = seg.vertebrae.find((v) => v.label === 'L5')!;
  const r = relabelSpine(seg, { instance: l5.instance, label: 'L4' });
  assert.equal(r.labelling.override?.label, 'L4');
  assert.equal(r.instanceMask, seg.instanceMask, 'same instance mask object: no re-segmentation');
  assert.equal(r.vertebrae.find((v) => v.instance === l5.instance)!.label, 'L4');
  assert.equal(r.vertebrae.find((v) => v.instance === l5.instance + 1)!.label, 'L5');
  assert.equal(seg.vertebrae.find((v) => v.instance === l5.instance)!.label, 'L5', 'input result untouched');
  assert.throws(() => relabelSpine(seg, { instance: 99, label: 'L1' }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});

test('labelling is uncertain when anchors are missing or disagree', () => {
  // thoracic-only view: every vertebra rib-bearing, no anchor
  const ribsOnly = labelVertebrae(Array.from({ length: 6 }, () => ({ ribs: 'yes' as const, sacrum: 'no' as const })));
  assert.equal(ribsOnly.confident, false);
  assert.ok(ribsOnly.hypotheses.length > 1);
  // 6 free vertebrae between the lowest rib and the sacrum: L6 or 11 rib pairs — both explain it
  const obs = [
    ...Array.from({ length: 3 }, () => ({ ribs: 'yes' as const, sacrum: 'no' as const })),
    ...Array.from({ length: 6 }, () => ({ ribs: 'no' as const, sacrum: 'no' as const })),
    { ribs: 'unknown' as const, sacrum: 'yes' as const },
  ];
  const amb = labelVertebrae(obs);
  assert.equal(amb.confident, false);
  assert.ok(amb.hypotheses.some((h) => h.labels.includes('L6')) && amb.hypotheses.some((h) => !h.labels.includes('L6')));
  // standard: 3 rib-bearing, 5 free, sacrum
  const std = labelVertebrae([...obs.slice(0, 3), ...obs.slice(4)]);
  assert.equal(std.confident, true);
  assert.deepEqual(std.labels, ['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'S1']);
});

test('input errors are typed RachisErrors', async () => {
  const small = makeSpinePhantom({ spacingMm: [3, 3, 3], fov: { from: 'L2', to: 'L4' } });
  const mr: Volume = { ...small.volume, meta: { ...small.volume.meta, modality: 'MR' } };
  await assert.rejects(segmentSpineCT(mr), (e) => isRachisError(e, 'WRONG_MODALITY'));
  const coarse: Volume = { ...small.volume, spacing: [3, 3, 6] };
  await assert.rejects(segmentSpineCT(coarse), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  const air: Volume = { ...small.volume, data: new Int16Array(small.volume.data.length).fill(-1000) };
  await assert.rejects(segmentSpineCT(air), (e) => isRachisError(e, 'NO_SPINE'));
  const seg = await segmented;
  assert.ok(seg.warnings.some((w) => w.includes('contrast')));
});

test('a top vertebra whose rib heads may lie above the scan is no rib-less anchor (bench phantom, 0.7 mm, T2 at the top edge)', async () => {
  // T2's ribs articulate at the T1/T2 disc, cut off by the top of this scan: its "no ribs" used to
  // make it the vertebra above the first rib-bearing one (C7), against the sacrum count.
  const ph = makeSpinePhantom({ seed: 42, spacingMm: [0.7, 0.7, 1], size: [512, 512, 500], fov: { from: 'T4', to: 'S1' } });
  const seg = await segmentSpineCT(ph.volume);
  assert.equal(seg.labelling.state, 'confident');
  assert.ok(!seg.labelling.anchors.includes('first-rib'), `anchors ${seg.labelling.anchors.join(', ')}`);
  assert.equal(seg.vertebrae[0]!.label, 'T2');
});

test('bodiesOnEndSlices: a body on the first or last slice along the cranio-caudal axis is cut by the field of view; posterior elements there do not count', () => {
  const size: [number, number, number] = [4, 4, 6];
  const n = 4 * 4 * 6;
  const at = (i: number, j: number, k: number): number => i + 4 * (j + 4 * k);
  const instance = new Uint8Array(n);
  const part = new Uint8Array(n);
  instance[at(1, 1, 5)] = 1; part[at(1, 1, 5)] = 1; // body of 1 on the top slice
  instance[at(1, 1, 2)] = 2; part[at(1, 1, 2)] = 1; // body of 2 inside
  instance[at(2, 2, 0)] = 2; part[at(2, 2, 0)] = 2; // arch of 2 on the bottom slice
  const volume: Volume = { size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Int16Array(n), meta: { modality: 'CT' } };
  assert.deepEqual([...bodiesOnEndSlices(volume, instance, part, 2)], [0, 1, 0]);
  // another orientation: S comes from the second index axis (row 3 of the direction matrix)
  const sagittal: Volume = { ...volume, direction: [0, 0, 1, 1, 0, 0, 0, 1, 0] };
  const inst2 = new Uint8Array(n);
  const part2 = new Uint8Array(n);
  inst2[at(1, 3, 2)] = 1; part2[at(1, 3, 2)] = 1;
  assert.deepEqual([...bodiesOnEndSlices(sagittal, inst2, part2, 1)], [0, 1]);
});
