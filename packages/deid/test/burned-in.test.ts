/** REQ-DEID-006 objects that may carry burned-in text are blanked by a region rule or quarantined, never passed through. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import dicomParser from 'dicom-parser';
import { sharedData } from '@rachis/imaging/testing';
import { deidentifyDicomBytes, Pseudonymizer, resolveOptions, type BurnedInRegionRule } from '../src/index.js';
import { buildCanaryCorpus, CT, image, patient, s, SC, study, writeDicom } from './helpers/corpus.js';

const pseudo = new Pseudonymizer(Buffer.from('burned-in-test-key-burned-in-test'));
let root = '';
let corpus: ReturnType<typeof buildCanaryCorpus>;
const scRule: BurnedInRegionRule = { description: 'test device: top-left label', match: { sopClassUID: SC, rows: 4, columns: 4 }, rects: [{ x: 0, y: 0, width: 2, height: 1 }] };

before(() => {
  root = mkdtempSync(join(tmpdir(), 'rachis-deid-burn-'));
  corpus = buildCanaryCorpus(join(root, 'in'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('REQ-DEID-006 a secondary capture without a region rule is quarantined with a reason', () => {
  const r = deidentifyDicomBytes(readFileSync(corpus.sc.path), resolveOptions(), pseudo);
  assert.equal(r.status, 'quarantined');
  if (r.status === 'quarantined') {
    assert.equal(r.reason, 'burned-in-text-risk');
    assert.match(r.detail, /secondary capture/);
  }
});

test('REQ-DEID-006 a matching region rule blanks exactly its rectangle and records Clean Pixel Data', () => {
  const src = readFileSync(corpus.sc.path);
  const r = deidentifyDicomBytes(src, resolveOptions({ burnedInRegions: [scRule] }), pseudo);
  assert.equal(r.status, 'written');
  if (r.status !== 'written') return;
  assert.equal(r.pixelsCleanedBy, scRule.description);
  const d = dicomParser.parseDicom(r.bytes);
  const px = d.elements.x7fe00010!;
  const pixels = new Uint16Array(r.bytes.buffer.slice(r.bytes.byteOffset + px.dataOffset, r.bytes.byteOffset + px.dataOffset + px.length));
  assert.deepEqual([...pixels], [0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  assert.equal(d.string('x00280301'), 'NO');
  assert.deepEqual((d.elements.x00120064?.items ?? []).map((i) => i.dataSet!.string('x00080100')), ['113100', '113101']);
});

test('REQ-DEID-006 a rule for another device does not apply', () => {
  const rule = { ...scRule, match: { ...scRule.match, manufacturer: 'SomeoneElse' } };
  const r = deidentifyDicomBytes(readFileSync(corpus.sc.path), resolveOptions({ burnedInRegions: [rule] }), pseudo);
  assert.equal(r.status, 'quarantined');
});

test('REQ-DEID-006 BurnedInAnnotation YES on a CT is quarantined; projection X-ray needs BurnedInAnnotation NO', () => {
  const yes = writeDicom(root, 'yes.dcm', { ...patient('P', 'A^B'), ...study('1.2.5.1', '20190417'), ...image(CT, '1.2.5.1.1', '1.2.5.1.2', '1.2.5.1.3', { '00280301': s('CS', 'YES') }) }, '1.2.840.10008.1.2.1');
  const r = deidentifyDicomBytes(readFileSync(yes), resolveOptions(), pseudo);
  assert.equal(r.status === 'quarantined' && r.reason, 'burned-in-text-risk');
  const dx = (annotation?: string): string =>
    writeDicom(root, `dx${annotation ?? ''}.dcm`, {
      ...patient('P', 'A^B'), ...study('1.2.6.1', '20190417'),
      ...image('1.2.840.10008.5.1.4.1.1.1.1', '1.2.6.1.1', '1.2.6.1.2', '1.2.6.1.3', { '00080060': s('CS', 'DX'), ...(annotation ? { '00280301': s('CS', annotation) } : {}) }),
    }, '1.2.840.10008.1.2.1');
  assert.equal(deidentifyDicomBytes(readFileSync(dx()), resolveOptions(), pseudo).status, 'quarantined');
  assert.equal(deidentifyDicomBytes(readFileSync(dx('NO')), resolveOptions(), pseudo).status, 'written');
});

test('REQ-DEID-006 real 8-bit secondary-capture MRI screenshots are quarantined; a rule blanks them (native pixels)', (t) => {
  const file = sharedData('lumbar-mri-sagT2-8bit-sc', 'LumbarDicomExample', '06');
  if (!file) return t.skip('shared data missing');
  const src = readFileSync(file);
  const q = deidentifyDicomBytes(src, resolveOptions(), pseudo);
  assert.equal(q.status === 'quarantined' && q.reason, 'burned-in-text-risk');
  const rule: BurnedInRegionRule = { description: 'top band', match: { sopClassUID: SC, rows: 512, columns: 512 }, rects: [{ x: 0, y: 0, width: 512, height: 40 }] };
  const w = deidentifyDicomBytes(src, resolveOptions({ burnedInRegions: [rule] }), pseudo);
  assert.equal(w.status, 'written');
  if (w.status !== 'written') return;
  const a = dicomParser.parseDicom(src).elements.x7fe00010!;
  const b = dicomParser.parseDicom(w.bytes).elements.x7fe00010!;
  const before = src.subarray(a.dataOffset, a.dataOffset + a.length);
  const afterPx = w.bytes.subarray(b.dataOffset, b.dataOffset + b.length);
  assert.equal(afterPx.subarray(0, 512 * 40).every((v) => v === 0), true);
  assert.deepEqual(afterPx.subarray(512 * 40), before.subarray(512 * 40));
});

test('REQ-DEID-006 compressed pixels cannot be blanked, so a matching rule still quarantines (JPEG cookies)', (t) => {
  const file = sharedData('dicom-deid-testdata', 'deid-dicom-cookies', 'image1.dcm');
  if (!file) return t.skip('shared data missing');
  const rule: BurnedInRegionRule = { description: 'all SC', match: { sopClassUID: SC }, rects: [{ x: 0, y: 0, width: 10, height: 10 }] };
  const r = deidentifyDicomBytes(readFileSync(file), resolveOptions({ burnedInRegions: [rule] }), pseudo);
  assert.equal(r.status === 'quarantined' && r.reason, 'burned-in-text-compressed-pixels');
});
