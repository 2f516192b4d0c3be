import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRachisError } from '@rachis/imaging';
import { buildReport, fromPart10, keyImageRefs, pngToRgb, renderKeyImages, renderReportBundle, writeReportBundle, writeSecondaryCaptures, type ReportV1 } from '../src/index.js';
import { makeFixture } from './fixtures/synthetic.js';
import { scratch } from './helpers/tools.js';

test('writeReportBundle writes every output from one model, consistently', async (t) => {
  const f = makeFixture();
  const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'bundle', keyImages: f.keyImages });
  const dir = scratch(t);
  const written = await writeReportBundle(dir, {
    report, vertebraMask: f.spine.vertebraMask, keyImages: f.keyImages, sourceSopInstanceUIDs: f.volume.meta.sourceSopInstanceUIDs ?? [],
  });
  assert.deepEqual(readdirSync(dir).sort(), ['dicom', 'fhir-bundle.json', 'key-axial-l3.png', 'key-sagittal.png', 'report.html', 'report.json', 'report.pdf']);
  assert.deepEqual(readdirSync(join(dir, 'dicom')).sort(), ['sc-1.dcm', 'sc-2.dcm', 'seg.dcm', 'sr.dcm']);
  assert.equal(written.length, 10);
  const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportV1;
  assert.deepEqual(json, JSON.parse(JSON.stringify(report)));
  const fhir = JSON.parse(readFileSync(join(dir, 'fhir-bundle.json'), 'utf8')) as { entry: { resource: { resourceType: string; conclusion?: string } }[] };
  const conclusion = fhir.entry.find((e) => e.resource.resourceType === 'DiagnosticReport')!.resource.conclusion!;
  for (const line of report.impression) assert.ok(conclusion.includes(line), line);
  // Same study, distinct new series, one frame of reference, across SEG / SR / SC.
  const ds = ['seg.dcm', 'sr.dcm', 'sc-1.dcm', 'sc-2.dcm'].map((n) => fromPart10(readFileSync(join(dir, 'dicom', n))));
  assert.equal(new Set(ds.map((d) => d['StudyInstanceUID'])).size, 1);
  assert.equal(ds[0]!['StudyInstanceUID'], f.volume.meta.studyInstanceUID);
  assert.equal(new Set(ds.map((d) => d['SeriesInstanceUID'])).size, 3);
  assert.ok(!ds.some((d) => d['SeriesInstanceUID'] === f.volume.meta.seriesInstanceUID));
  assert.equal(ds[0]!['FrameOfReferenceUID'], f.volume.meta.frameOfReferenceUID);
  for (const d of ds) {
    assert.equal(d['PatientID'], f.volume.meta.patientId);
    assert.equal(Buffer.from((d['PatientName'] as { Alphabetic: string }[])[0]!.Alphabetic, 'latin1').toString('utf8'), f.volume.meta.patientName);
  }
});

test('a key image named in the report but not given is a typed error', async () => {
  const f = makeFixture();
  const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'bundle', keyImages: f.keyImages });
  await assert.rejects(renderReportBundle({ report, vertebraMask: f.spine.vertebraMask, keyImages: f.keyImages.slice(1) }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});

test('key images come from @rachis/imaging/render and become Secondary Captures of the same size', () => {
  const f = makeFixture();
  const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'keys', keyImages: keyImageRefs() });
  assert.deepEqual(report.keyImages.map((k) => k.id), ['sagittal', 'coronal']);
  const images = renderKeyImages(report, f.volume, f.spine.vertebraMask);
  assert.deepEqual(images.map((k) => k.id), ['sagittal', 'coronal']);
  const scs = writeSecondaryCaptures(report, images.map((k) => k.png));
  for (const [i, k] of images.entries()) {
    const rgb = pngToRgb(k.png);
    const sc = fromPart10(scs[i]!);
    assert.deepEqual([sc['Columns'], sc['Rows']], [rgb.width, rgb.height]);
    assert.ok(rgb.width > 100 && rgb.height > 100, `${k.id} ${rgb.width}x${rgb.height}`);
  }
});
