import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRachisError } from '@rachis/imaging';
import { measureTrabecularDensity, opportunisticBmd, pickhardtCategory } from '../src/density.js';
import { measureSpineCT } from '../src/pipeline.js';
import { measureMorphometry } from '../src/morphometry.js';
import { stack, worldAt } from './synthetic-spine.js';

const s = stack({ L1: { truncated: true } });

test('trabecular ROI excludes posterior elements and cortex; both ROI kinds give the body HU', () => {
  for (const roi of ['eroded-body', 'circle-200mm2'] as const) {
    const d = measureTrabecularDensity(s.volume, s.spine, { roi });
    assert.equal(d.length, 5);
    const l2 = d[2]!.trabecular;
    assert.equal(l2.status, 'measured', roi);
    if (l2.status !== 'measured') continue;
    assert.equal(l2.value.meanHU, 150); // posterior elements are 400 HU: none may leak in
    assert.equal(l2.value.sdHU, 0);
    assert.ok(l2.value.count > 50, `${roi}: ${l2.value.count} voxels`);
    if (roi === 'circle-200mm2') assert.ok(Math.abs(l2.value.count * 1 * 1 - 200) < 30, `disc area ${l2.value.count} mm²`);
  }
});

test('ROI voxels of cortical density (a neighbour\'s endplate the mask reached, a bone island) are left out with a caveat', () => {
  const { volume, spine } = stack();
  // a 4 × 4 × 4 mm focus of 900 HU at the centre of L2 (z 32–58 mm)
  let n = 0;
  volume.data.forEach((_, idx) => {
    const [x, y, z] = worldAt(volume, idx);
    if (Math.abs(x) < 2 && Math.abs(y) < 2 && Math.abs(z - 45) < 2) {
      volume.data[idx] = 900;
      n++;
    }
  });
  const l2 = measureTrabecularDensity(volume, spine)[2]!.trabecular;
  assert.ok(l2.status === 'measured');
  assert.equal(l2.value.meanHU, 150);
  // the body reads 150 HU: the limit is its median + 200 HU
  assert.ok(l2.caveats.some((c) => c.startsWith(`${n} ROI voxels ≥ 350 HU left out`)), l2.caveats.join(' | '));
  const all = measureTrabecularDensity(volume, spine, { maxHU: Infinity, maxAboveMedianHU: Infinity })[2]!.trabecular;
  assert.ok(all.status === 'measured' && all.value.meanHU > 150);
});

test('ROI voxels far above the ROI median but below cortical density (cortex in partial volume) are left out too', () => {
  const { volume, spine } = stack();
  // a 4 × 4 × 4 mm patch of 420 HU (a voxel part cortex, part marrow) at the centre of L2
  volume.data.forEach((_, idx) => {
    const [x, y, z] = worldAt(volume, idx);
    if (Math.abs(x) < 2 && Math.abs(y) < 2 && Math.abs(z - 45) < 2) volume.data[idx] = 420;
  });
  const l2 = measureTrabecularDensity(volume, spine)[2]!.trabecular;
  assert.ok(l2.status === 'measured');
  assert.equal(l2.value.meanHU, 150);
  const only600 = measureTrabecularDensity(volume, spine, { maxAboveMedianHU: Infinity })[2]!.trabecular;
  assert.ok(only600.status === 'measured' && only600.value.meanHU > 150, 'the 600 HU cut alone keeps the patch');
});

test('the eroded-body ROI keeps 8 mm from the posterior elements: pedicle bases labelled body do not raise it', () => {
  const { volume, spine } = stack();
  // L2 (z 32–58 mm): pedicles that reach into the back of the body (posterior elements, as a
  // reference segmentation draws them) with 300 HU bone around them that the segmentation gave
  // the body, as segmentSpineCT does on the phantoms.
  const l2 = spine.vertebrae[2]!.instance;
  let dense = 0;
  volume.data.forEach((_, idx) => {
    const [x, y, z] = worldAt(volume, idx);
    if (spine.instanceMask.data[idx] !== l2 || z < 38 || z > 52 || y < 2 || Math.abs(x) < 6 || Math.abs(x) > 16) return;
    volume.data[idx] = 300;
    dense++;
    if (y >= 8 && Math.abs(x) >= 9 && Math.abs(x) <= 13) spine.partMask.data[idx] = 2;
  });
  assert.ok(dense > 300, `${dense} voxels of pedicle base`);
  const kept = measureTrabecularDensity(volume, spine)[2]!.trabecular;
  assert.ok(kept.status === 'measured');
  assert.equal(kept.value.meanHU, 150);
  assert.ok(kept.method.includes('8 mm across the body axis from the posterior elements'), kept.method);
  const none = measureTrabecularDensity(volume, spine, { archClearanceMm: 0 })[2]!.trabecular;
  assert.ok(none.status === 'measured');
  assert.ok(none.value.meanHU > 155, `without the clearance the pedicle bases raise the ROI: ${none.value.meanHU.toFixed(1)} HU`);
  assert.throws(() => measureTrabecularDensity(volume, spine, { archClearanceMm: -1 }), /archClearanceMm/);
});

test('Pickhardt bands and the L1 → T12 fallback with contrast and kVp flagged', () => {
  assert.equal(pickhardtCategory(110).category, 'osteoporosis-likely');
  assert.equal(pickhardtCategory(110.5).category, 'low-density-possible');
  assert.equal(pickhardtCategory(160).category, 'low-density-possible');
  assert.equal(pickhardtCategory(200).category, 'osteoporosis-unlikely');
  assert.equal(pickhardtCategory(201).category, 'normal-likely');
  const vol = { ...s.volume, meta: { ...s.volume.meta, contrastAgent: 'Iomeron', kvp: 100 } };
  const r = opportunisticBmd(vol, measureTrabecularDensity(vol, s.spine), s.spine);
  assert.equal(r.status, 'measured');
  if (r.status !== 'measured') return;
  assert.equal(r.value.level, 'T12'); // L1 is truncated in this stack
  assert.equal(r.value.category, 'low-density-possible');
  assert.equal(r.value.contrast, 'contrast-agent-recorded');
  assert.ok(r.caveats.some((c) => /L1 not measurable; T12 used/.test(c)));
  assert.ok(r.caveats.some((c) => /10–25 HU/.test(c)));
  assert.ok(r.caveats.some((c) => /100 kV/.test(c)));
});

test('pipeline: wrong modality, mismatched grids and empty segmentations are typed errors', () => {
  assert.throws(() => measureSpineCT({ ...s.volume, meta: { modality: 'MR' } }, s.spine), (e) => isRachisError(e, 'WRONG_MODALITY'));
  const small = { ...s.spine, instanceMask: { ...s.spine.instanceMask, size: [2, 2, 2] as const } };
  assert.throws(() => measureSpineCT(s.volume, small), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
  assert.throws(() => measureSpineCT(s.volume, { ...s.spine, vertebrae: [] }), (e) => isRachisError(e, 'NO_SPINE'));
});

test('pipeline on the synthetic stack: everything present, SDI over the graded T12–L4, no L3 slice body', () => {
  const r = measureSpineCT(s.volume, s.spine);
  assert.equal(r.morphometry.length, 5);
  assert.equal(r.spinalDeformityIndex.status, 'measured');
  if (r.spinalDeformityIndex.status === 'measured') {
    assert.equal(r.spinalDeformityIndex.value.sdi, 0);
    assert.deepEqual(r.spinalDeformityIndex.value.graded, ['T12', 'L2', 'L3', 'L4']); // L1 truncated
    assert.ok(r.spinalDeformityIndex.caveats.some((c) => /lower bound/.test(c)));
  }
  assert.equal(r.bodyComposition.status, 'measured'); // an L3 slice exists, with no soft tissue in it
});

test('uncertain level labels: heights are measured but not Genant-graded, and the pipeline warns', () => {
  const uncertain = { ...s.spine, labelling: { ...s.spine.labelling, state: 'uncertain' as const } };
  const m = measureMorphometry(uncertain);
  assert.equal(m[2]!.heights.status, 'measured');
  assert.equal(m[2]!.genant.status, 'not-measured');
  if (m[2]!.genant.status === 'not-measured') assert.match(m[2]!.genant.reason, /uncertain/);
  assert.ok(measureSpineCT(s.volume, uncertain).warnings.some((w) => /uncertain/.test(w)));
});
