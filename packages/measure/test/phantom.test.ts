/**
 * Measurements on the spine phantom with its own label maps as a perfect segmentation, so that
 * only the measurement error is tested. Tolerances from the issue: heights 1 mm, Genant grade
 * exact, Cobb 2°, ROI HU 5 HU, areas 3 %.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpinePhantom } from '@rachis/spine';
import { measureSpineCT } from '../src/pipeline.js';
import { measureBodyComposition, MARTIN_SMI } from '../src/body-composition.js';
import { phantomSegmentation } from '../eval/phantom-seg.js';

const ph = makeSpinePhantom({
  spacingMm: [1, 1, 1],
  fov: { from: 'L1', to: 'S1', marginMm: 5 },
  deformities: [
    { level: 'L1', shape: 'wedge', heightLossPct: 33 },
    { level: 'L2', shape: 'biconcave', heightLossPct: 30 },
    { level: 'L4', shape: 'crush', heightLossPct: 45 },
  ],
  scoliosis: { amplitudeMm: 12, from: 'L1', to: 'L5' },
});
const results = measureSpineCT(ph.volume, phantomSegmentation(ph));
const truth = (name: string) => ph.truth.vertebrae.find((v) => v.name === name)!;
const inView = results.morphometry.filter((m) => !truth(m.label).truncated && m.label !== 'S1');

test('phantom: heights within 1 mm, Genant grade and shape exact (L1–L5)', () => {
  assert.deepEqual(inView.map((m) => m.label), ['L1', 'L2', 'L3', 'L4', 'L5']);
  for (const m of inView) {
    const t = truth(m.label);
    assert.equal(m.heights.status, 'measured', m.label);
    assert.equal(m.genant.status, 'measured', m.label);
    if (m.heights.status !== 'measured' || m.genant.status !== 'measured') continue;
    const h = m.heights.value;
    for (const [got, want, what] of [[h.anterior.heightMm, t.anteriorHeightMm, 'anterior'], [h.middle.heightMm, t.middleHeightMm, 'middle'], [h.posterior.heightMm, t.posteriorHeightMm, 'posterior']] as const) {
      assert.ok(Math.abs(got - want) <= 1, `${m.label} ${what}: ${got.toFixed(2)} vs ${want.toFixed(2)} mm`);
    }
    assert.equal(m.genant.value.grade, t.genantGrade, `${m.label} grade (loss ${t.heightLossPct} %)`);
    assert.equal(m.genant.value.shape, t.shape, `${m.label} shape`);
  }
});

test('phantom: coronal Cobb within 2°, lumbar lordosis within 2°', () => {
  const tilts = ph.truth.vertebrae.filter((v) => v.visible && !v.truncated && /^(T|L)/.test(v.name)).map((v) => v.coronalTiltDeg);
  const cobbTruth = Math.max(...tilts) - Math.min(...tilts);
  const cobb = results.alignment.coronalCobb;
  assert.equal(cobb.status, 'measured');
  if (cobb.status === 'measured') {
    assert.ok(Math.abs(cobb.value.angleDeg - cobbTruth) <= 2, `Cobb ${cobb.value.angleDeg.toFixed(2)} vs ${cobbTruth.toFixed(2)}`);
    assert.equal(cobb.value.scoliosis, true);
  }
  const lord = results.alignment.lumbarLordosisDeg;
  assert.equal(lord.status, 'measured');
  if (lord.status === 'measured') assert.ok(Math.abs(lord.value - ph.truth.lordosisDeg!) <= 2, `lordosis ${lord.value.toFixed(2)} vs ${ph.truth.lordosisDeg}`);
  assert.equal(results.alignment.thoracicKyphosisDeg.status, 'not-measured');
});

test('phantom: trabecular ROI mean within 5 HU of the truth; L1 screen category', () => {
  for (const d of results.density) {
    const t = truth(d.label);
    if (t.truncated) continue;
    assert.equal(d.trabecular.status, 'measured', d.label);
    if (d.trabecular.status === 'measured') assert.ok(Math.abs(d.trabecular.value.meanHU - t.trabecularHU) <= 5, `${d.label} ${d.trabecular.value.meanHU} vs ${t.trabecularHU}`);
  }
  const bmd = results.opportunisticBmd;
  assert.equal(bmd.status, 'measured');
  if (bmd.status === 'measured') {
    assert.equal(bmd.value.level, 'L1');
    assert.equal(bmd.value.category, truth('L1').trabecularHU > 200 ? 'normal-likely' : truth('L1').trabecularHU > 160 ? 'osteoporosis-unlikely' : 'low-density-possible');
  }
});

test('phantom: L3 body-composition areas within 3 % (IMAT within 0.3 cm²)', () => {
  const t = ph.truth.l3BodyComposition!;
  const bc = results.bodyComposition;
  assert.equal(bc.status, 'measured');
  if (bc.status !== 'measured') return;
  assert.equal(bc.value.sliceIndex, t.sliceIndex);
  const rel = (a: number, b: number) => Math.abs(a - b) / b;
  assert.ok(rel(bc.value.skeletalMuscle.areaCm2, t.muscleCm2) <= 0.03, `muscle ${bc.value.skeletalMuscle.areaCm2} vs ${t.muscleCm2}`);
  assert.ok(rel(bc.value.visceralFat.areaCm2, t.visceralFatCm2) <= 0.03, `VAT ${bc.value.visceralFat.areaCm2} vs ${t.visceralFatCm2}`);
  assert.ok(rel(bc.value.subcutaneousFat.areaCm2, t.subcutaneousFatCm2) <= 0.03, `SAT ${bc.value.subcutaneousFat.areaCm2} vs ${t.subcutaneousFatCm2}`);
  // IMAT is ~1 cm² here: 3 % would be 3 pixels, so it is checked in absolute terms.
  assert.ok(Math.abs(bc.value.intermuscularFat.areaCm2 - t.imatCm2) <= 0.3, `IMAT ${bc.value.intermuscularFat.areaCm2} vs ${t.imatCm2}`);
  assert.ok(Math.abs(bc.value.skeletalMuscle.meanHU - 45) < 3, `muscle HU ${bc.value.skeletalMuscle.meanHU}`);
  assert.equal(bc.value.skeletalMuscleIndex, undefined); // no height given
});

test('phantom: skeletal muscle index and the Martin 2013 cut-off when height and sex are given', () => {
  const seg = phantomSegmentation(ph);
  const bc = measureBodyComposition(ph.volume, seg, { heightM: 1.7, sex: 'F' });
  assert.equal(bc.status, 'measured');
  if (bc.status !== 'measured') return;
  const smi = bc.value.skeletalMuscle.areaCm2 / (1.7 * 1.7);
  assert.ok(Math.abs(bc.value.skeletalMuscleIndex! - smi) < 1e-9);
  assert.equal(bc.value.lowMuscleIndex, smi < MARTIN_SMI.female);
  assert.equal(bc.value.myosteatosis, undefined); // BMI unknown
  assert.ok(bc.caveats.some((c) => /BMI unknown/.test(c)));
});
