import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { isRachisError } from '@rachis/imaging';
import { buildReport, formatMeasurement, isValidUid, loadReportSchema, type ReportV1 } from '../src/index.js';
import { makeFixture } from './fixtures/synthetic.js';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(loadReportSchema());

function valid(r: unknown): void {
  const ok = validate(JSON.parse(JSON.stringify(r)));
  assert.ok(ok, JSON.stringify(validate.errors, null, 1));
}

test('report built from DICOM-like input validates against the JSON schema', () => {
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 's1', keyImages: f.keyImages });
  valid(r);
  assert.equal(r.series.fromDicom, true);
  assert.equal(r.dicom.studyInstanceUID, f.volume.meta.studyInstanceUID, 'same study as the input');
  assert.equal(r.dicom.frameOfReferenceUID, f.volume.meta.frameOfReferenceUID);
  for (const u of [r.dicom.seg.seriesInstanceUID, r.dicom.sr.sopInstanceUID, ...r.dicom.sc.sopInstanceUIDs]) {
    assert.ok(isValidUid(u) && u.startsWith(`${r.dicom.uidRoot}.`), u);
  }
  assert.equal(new Set([r.dicom.seg.seriesInstanceUID, r.dicom.sr.seriesInstanceUID, r.dicom.sc.seriesInstanceUID]).size, 3);
  assert.equal(r.patient.name, f.volume.meta.patientName, 'identity copied verbatim (escaping is the writers’ job)');
});

test('levels interleave vertebrae and discs cranio-caudally, with SNOMED sites and segment numbers', () => {
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 's1' });
  assert.deepEqual(r.levels.map((l) => l.name), ['T11', 'T11-T12', 'T12', 'T12-L1', 'L1', 'L1-L2', 'L2', 'L2-L3', 'L3', 'L3-L4', 'L4', 'L4-L5', 'L5']);
  const l1 = r.levels.find((l) => l.name === 'L1')!;
  assert.deepEqual(l1.site, { scheme: 'SCT', value: '66794005', meaning: 'L1 vertebra' });
  assert.equal(l1.segmentNumber, 3);
  assert.equal(l1.labelValue, 20);
  assert.equal(r.levels.find((l) => l.name === 'L4-L5')?.site.value, '84020006');
  assert.equal(r.levels.find((l) => l.name === 'T11-T12')?.site.scheme, '99RACHIS', 'no verified code → local code');
});

test('numbers are rounded once in the model and printed from it', () => {
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 's1' });
  const l1 = r.levels.find((l) => l.name === 'L1')!;
  const hu = l1.measurements.find((m) => m.key === 'L1/trabecular-attenuation')!;
  assert.equal(hu.value, 130); // 120.4 + 2*5.04 = 130.48
  assert.equal(formatMeasurement(hu), '130 HU');
  const ha = l1.measurements.find((m) => m.key === 'L1/height-anterior')!;
  assert.equal(ha.value, 17);
  assert.equal(formatMeasurement(ha), '17.0 mm');
  const bd = r.findings.find((x) => x.key === 'bone-density')!;
  assert.match(bd.summary, /^L1 trabecular attenuation 130 HU: low bone density possible/);
  assert.ok(r.impression.some((line) => line.includes('L1: Genant grade 2 (moderate) wedge deformity, height loss 35%')));
});

test('NaN and missing measurements never reach the report', () => {
  const f = makeFixture();
  const m = structuredClone(f.measurements);
  m.vertebrae[2]!.trabecularHU = { mean: Number.NaN };
  delete m.bodyComposition;
  const r = buildReport(f.volume, f.spine, m, { seed: 's1' });
  valid(r);
  assert.ok(!JSON.stringify(r).includes('null'));
  assert.equal(r.levels.find((l) => l.name === 'L1')!.measurements.some((x) => x.key.endsWith('attenuation')), false);
  assert.equal(r.findings.find((x) => x.key === 'body-composition')!.status, 'not-assessed');
});

test('NIfTI-like input (no DICOM identity) builds, gets new study/frame UIDs and still validates', () => {
  const f = makeFixture({ dicom: false });
  const r: ReportV1 = buildReport(f.volume, f.spine, undefined, { seed: 'n1' });
  valid(r);
  assert.equal(r.series.fromDicom, false);
  assert.ok(r.dicom.studyInstanceUID.startsWith(r.dicom.uidRoot));
  assert.ok(r.findings.every((x) => x.status === 'not-assessed'));
});

test('caveats: contrast, uncertain labelling, truncated and low-confidence levels', () => {
  const f = makeFixture({ contrast: 'OMNIPAQUE 350' });
  f.spine.labelling.state = 'uncertain';
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 's1' });
  assert.ok(r.caveats.some((c) => c.startsWith('Contrast-enhanced (agent: OMNIPAQUE 350)')));
  assert.ok(r.caveats.some((c) => c.includes('labelling is uncertain') && c.includes('lumbarised S1')));
  assert.ok(r.levels[0]!.caveats.some((c) => c.startsWith('Partially imaged')));
  assert.ok(r.levels.find((l) => l.name === 'L5')!.caveats.some((c) => c.startsWith('Label uncertain')));
  assert.ok(r.impression.some((l) => l.startsWith('Contrast-enhanced study')));
});

test('a seed makes the report reproducible; no seed makes UIDs unique', () => {
  const f = makeFixture();
  const at = new Date('2026-01-02T03:04:05Z');
  const a = buildReport(f.volume, f.spine, f.measurements, { seed: 'same', createdAt: at });
  const b = buildReport(f.volume, f.spine, f.measurements, { seed: 'same', createdAt: at });
  assert.deepEqual(a, b);
  const c = buildReport(f.volume, f.spine, f.measurements);
  assert.notEqual(c.dicom.seg.sopInstanceUID, a.dicom.seg.sopInstanceUID);
});

test('bad input gives typed errors', () => {
  const f = makeFixture();
  const shifted = { ...f.spine, vertebraMask: { ...f.spine.vertebraMask, origin: [0, 0, 0] as const } };
  assert.throws(() => buildReport(f.volume, shifted, f.measurements), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
  assert.throws(() => buildReport(f.volume, { ...f.spine, vertebrae: [] }, f.measurements), (e) => isRachisError(e, 'NO_SPINE'));
});

test('blank or malformed input UIDs (de-identified files) are never copied: new ones are made', () => {
  const f = makeFixture();
  Object.assign(f.volume.meta, { studyInstanceUID: '', seriesInstanceUID: '1.02.3', frameOfReferenceUID: 'abc' });
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 'blank' });
  valid(r);
  assert.ok(r.dicom.studyInstanceUID.startsWith(`${r.dicom.uidRoot}.`));
  assert.ok(r.dicom.frameOfReferenceUID.startsWith(`${r.dicom.uidRoot}.`));
  assert.equal(r.series.fromDicom, false, 'source slices cannot be referenced without a valid series UID');
  assert.equal(r.study.studyInstanceUID, undefined);
});

test('implausible vertebral body heights are withheld with a caveat, not reported', () => {
  const f = makeFixture();
  f.measurements.vertebrae[3]!.heightsMm = { anterior: 6.04, middle: 5.9, posterior: 5.88 }; // L2
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 'implausible' });
  const l2 = r.levels.find((l) => l.name === 'L2')!;
  assert.equal(l2.measurements.some((m) => m.key.includes('/height-')), false);
  assert.equal(l2.evaluations.length, 0, 'no Genant grade from withheld heights');
  assert.match(l2.caveats[0]!, /^Heights not reported: anterior height 6\.0 mm, middle height 5\.9 mm, posterior height 5\.9 mm is outside 8–60 mm/);
  assert.ok(l2.measurements.some((m) => m.key === 'L2/trabecular-attenuation'), 'attenuation is still reported');
});

test('the JSON schema rejects malformed reports (it can fail)', () => {
  const f = makeFixture();
  const r = JSON.parse(JSON.stringify(buildReport(f.volume, f.spine, f.measurements, { seed: 'neg' }))) as Record<string, unknown>;
  const bad = (mutate: (x: Record<string, unknown>) => void): boolean => {
    const c = structuredClone(r);
    mutate(c);
    return validate(c);
  };
  assert.equal(bad((c) => delete c['disclaimer']), false);
  assert.equal(bad((c) => ((c['dicom'] as { uidRoot: string }).uidRoot = '1.02.3')), false);
  assert.equal(bad((c) => ((c['levels'] as { measurements: { value: unknown }[] }[])[0]!.measurements[0]!.value = 'NaN')), false);
  assert.equal(bad((c) => ((c['levels'] as Record<string, unknown>[])[0]!['extra'] = 1)), false);
});
