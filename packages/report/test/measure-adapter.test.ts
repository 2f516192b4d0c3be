import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, fromMeasure, writeAnalysisReport } from '../src/index.js';
import { makeFixture } from './fixtures/synthetic.js';
import { measureResults as results } from './fixtures/measure-results.js';
import { scratch } from './helpers/tools.js';

test('fromMeasure maps measured values and keeps the reasons of the missing ones', () => {
  const m = fromMeasure(results());
  const l1 = m.vertebrae.find((v) => v.label === 'L1')!;
  assert.deepEqual(l1.heightsMm, { anterior: 17.04, middle: 21.6, posterior: 26.35 });
  assert.equal(l1.genant?.grade, 2);
  assert.equal(l1.genant?.shape, 'wedge');
  assert.ok(Math.abs(l1.heightLossPercent! - 35.33) < 1e-9);
  assert.equal(l1.minHeightRatio, 0.6467);
  assert.equal(l1.trabecularHU?.mean, 130.48);
  const t11 = m.vertebrae.find((v) => v.label === 'T11')!;
  assert.equal(t11.heightsMm, undefined);
  assert.ok(t11.caveats!.includes('Heights not measured: vertebra cut by the field of view'));
  assert.ok(t11.caveats!.includes('Trabecular attenuation not measured: ROI outside the image'));
  assert.equal(m.boneDensity?.category, 'low-density-possible');
  assert.deepEqual(m.boneDensity?.thresholds.map((t) => t.value), [110, 160, 200]);
  assert.deepEqual(m.alignment?.cobb, [{ angleDeg: 12.34, upper: 'T11', lower: 'L3', plane: 'coronal' }]);
  assert.deepEqual(m.alignment?.lordosisDeg, { angleDeg: 48.06, upper: 'L1', lower: 'S1' });
  assert.equal(m.notAssessed?.['body-composition'], 'L3 slice has no abdominal wall');
});

test('a report built from @rachis/measure results shows the same values and the not-assessed reason', () => {
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, fromMeasure(results()), { seed: 'adapter' });
  const l1 = r.levels.find((l) => l.name === 'L1')!;
  assert.equal(l1.measurements.find((x) => x.key === 'L1/height-anterior')?.value, 17);
  assert.equal(l1.evaluations[0]?.text, 'Genant grade 2 (moderate), wedge');
  // Whole vertebrae without a grade are named (T11 is cut by the field of view, so it is not).
  assert.match(r.findings.find((x) => x.key === 'fractures')!.summary, /\(1 vertebrae graded, L1; not graded: T12, L2, L3, L4, L5 \(see per-level notes\)\)\.$/);
  assert.equal(r.findings.find((x) => x.key === 'body-composition')?.summary, 'Not assessed: L3 slice has no abdominal wall.');
  assert.match(r.findings.find((x) => x.key === 'bone-density')!.summary, /^L1 trabecular attenuation 130 HU: low bone density possible/);
  assert.ok(!r.caveats.includes('contrast phase unknown'), 'the stage’s contrast note is not repeated');
  assert.ok(r.caveats.includes('vertebral levels checked'));
  assert.equal(r.methods.find((x) => x.id === 'bone-density')?.description, 'Pickhardt 2013 L1 thresholds');
});

test('writeAnalysisReport: measure results → model → rendered key images → all outputs', async (t) => {
  const f = makeFixture();
  const dir = scratch(t);
  const { report, files } = await writeAnalysisReport(dir, f.volume, f.spine, results(), { seed: 'analysis' });
  assert.deepEqual(report.keyImages.map((k) => k.file), ['key-sagittal.png', 'key-coronal.png']);
  const names = files.map((x) => x.slice(dir.length + 1)).sort();
  assert.deepEqual(names, ['dicom/sc-1.dcm', 'dicom/sc-2.dcm', 'dicom/seg.dcm', 'dicom/sr.dcm', 'fhir-bundle.json', 'key-coronal.png', 'key-sagittal.png', 'report.html', 'report.json', 'report.pdf']);
  assert.equal(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).reportId, report.reportId);
});

test('a Genant grade that the measurement cannot resolve is marked borderline in the level and the fracture summary', () => {
  const res = results();
  const l1 = res.morphometry.find((m) => m.label === 'L1')!;
  assert.equal(l1.genant.status, 'measured');
  if (l1.genant.status !== 'measured') return;
  l1.genant.value = { ...l1.genant.value, grade: 1, heightLoss: 0.22, heightLossRange: [0.15, 0.29], gradeRange: [0, 2], gradeBorderline: true };
  const m = fromMeasure(res);
  assert.deepEqual(m.vertebrae.find((v) => v.label === 'L1')!.genant?.gradeRange, [0, 2]);
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, m, { seed: 'borderline' });
  assert.equal(r.levels.find((l) => l.name === 'L1')!.evaluations[0]?.text, 'Genant grade 1 (mild), wedge (borderline: within measurement uncertainty, grade 0–2)');
  assert.match(r.findings.find((x) => x.key === 'fractures')!.summary, /^L1: Genant grade 1 \(mild\) wedge deformity, height loss 22% \(borderline: within measurement uncertainty, grade 0–2\) \(1 vertebrae graded/);
  // A resolved grade carries no such mark.
  assert.equal(fromMeasure(results()).vertebrae.find((v) => v.label === 'L1')!.genant?.gradeRange, undefined);
});
