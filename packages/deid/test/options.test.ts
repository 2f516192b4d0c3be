/** REQ-DEID-005 the PS3.15 options change exactly the attributes the table says they change. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import dicomParser from 'dicom-parser';
import { deidentifyDicomBytes, Pseudonymizer, resolveOptions, type DeidOptions } from '../src/index.js';
import { buildCanaryCorpus, CT, image, patient, s, study, writeDicom } from './helpers/corpus.js';

const pseudo = new Pseudonymizer(Buffer.from('options-test-key-options-test-key'));
let root = '';
let corpus: ReturnType<typeof buildCanaryCorpus>;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'rachis-deid-opt-'));
  corpus = buildCanaryCorpus(join(root, 'in'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function run(path: string, o: Partial<DeidOptions>): dicomParser.DataSet {
  const r = deidentifyDicomBytes(readFileSync(path), resolveOptions(o), pseudo);
  assert.equal(r.status, 'written', r.status === 'quarantined' ? r.detail : '');
  return dicomParser.parseDicom((r as { bytes: Buffer }).bytes);
}
const codes = (d: dicomParser.DataSet): string[] => (d.elements.x00120064?.items ?? []).map((i) => i.dataSet!.string('x00080100') ?? '');
const days = (da: string): number => Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8)) / 86_400_000;

test('REQ-DEID-005 basic profile: dates removed, (0028,0303) REMOVED, code 113100 only', () => {
  const d = run(corpus.ct1.path, {});
  assert.equal(d.string('x00080020') ?? '', '');
  assert.equal(d.string('x00280303'), 'REMOVED');
  assert.deepEqual(codes(d), ['113100']);
  assert.equal(d.string('x00120062'), 'YES');
});

test('REQ-DEID-005 modified dates: shifted by one keyed offset per patient, so intervals between studies survive', () => {
  const a = run(corpus.ct1.path, { retainLongitudinalTemporal: 'modified' });
  const b = run(corpus.mr.path, { retainLongitudinalTemporal: 'modified' });
  const sa = a.string('x00080020')!;
  const sb = b.string('x00080020')!;
  assert.match(sa, /^\d{8}$/);
  assert.notEqual(sa, '20190417');
  assert.equal(days(sb) - days(sa), days('20200102') - days('20190417'));
  const shift = days('20190417') - days(sa);
  assert.ok(shift >= 365 && shift <= 3651, `shift ${shift}`);
  assert.equal(a.string('x00080030'), '101112', 'times are kept by whole-day shifts');
  assert.equal(a.string('x00280303'), 'MODIFIED');
  assert.deepEqual(codes(a), ['113100', '113107']);
  assert.equal(a.string('x00100030') ?? '', '', 'birth date is Z even with dates retained');
});

test('REQ-DEID-005 full dates: kept as they were, (0028,0303) UNMODIFIED', () => {
  const d = run(corpus.ct1.path, { retainLongitudinalTemporal: 'full' });
  assert.equal(d.string('x00080020'), '20190417');
  assert.equal(d.string('x00280303'), 'UNMODIFIED');
  assert.deepEqual(codes(d), ['113100', '113106']);
});

test('REQ-DEID-005 retain patient characteristics / device / institution identity / UIDs', () => {
  const d = run(corpus.ct1.path, { retainPatientCharacteristics: true, retainDeviceIdentity: true, retainInstitutionIdentity: true, retainUIDs: true });
  assert.equal(d.string('x00100040'), 'F');
  assert.equal(d.string('x00101010'), '047Y');
  assert.equal(d.string('x00081010'), 'CANARYSTATION');
  assert.equal(d.string('x00181000'), 'CANARYSERIAL');
  assert.equal(d.string('x00080080'), 'CANARYINSTITUTE');
  assert.equal(d.string('x00080018'), corpus.ct1.sopInstanceUID);
  assert.equal(d.string('x00020003'), corpus.ct1.sopInstanceUID);
  assert.equal(d.string('x00100020')!.startsWith('RX'), true, 'the patient is still pseudonymised');
  assert.deepEqual(codes(d), ['113100', '113108', '113109', '113110', '113112']);
  const basic = run(corpus.ct1.path, {});
  assert.equal(basic.string('x00081010'), 'ANONYMIZED');
  assert.equal(basic.elements.x00101010, undefined);
});

test('REQ-DEID-005 clean descriptors keeps only vocabulary words; clean structured content cleans SR text', () => {
  const d = run(corpus.ct1.path, { cleanDescriptors: true });
  assert.equal(d.string('x00081030'), 'CT CHEST');
  assert.equal(d.string('x00204000') ?? '', '');
  const sr = run(corpus.sr.path, { cleanStructuredContent: true });
  const texts = (sr.elements.x0040a730?.items ?? []).map((i) => i.dataSet!.string('x0040a160')).filter(Boolean);
  assert.deepEqual(texts, ['AT L1']);
  const srBasic = run(corpus.sr.path, {});
  assert.deepEqual((srBasic.elements.x0040a730?.items ?? []).map((i) => i.dataSet!.string('x0040a160')).filter(Boolean), ['ANONYMIZED']);
  // coded concept names are controlled terminology, not free text: kept in both modes
  for (const d of [sr, srBasic]) {
    const concept = d.elements.x0040a730!.items![0]!.dataSet!.elements.x0040a043!.items![0]!.dataSet!;
    assert.deepEqual([concept.string('x00080100'), concept.string('x00080104')], ['121071', 'Finding']);
  }
});

test('REQ-DEID-005 strict combined actions remove X/Z/D attributes instead of dummying them', () => {
  const d = run(corpus.ct1.path, { combinedActions: 'strict' });
  assert.equal(d.elements.x00080080, undefined);
  assert.equal(d.elements.x00181000, undefined);
});

test('REQ-DEID-005 retain safe private keeps only safe-listed numeric private values and their creator', () => {
  const path = writeDicom(root, 'priv.dcm', {
    ...patient('P1', 'A^B'), ...study('1.2.3.1', '20190417'),
    ...image(CT, '1.2.3.1.1', '1.2.3.1.2', '1.2.3.1.3', {
      '00190010': s('LO', 'SIEMENS MR HEADER'),
      '0019100c': s('IS', '1000'),
      '0019100d': s('CS', 'DIRECTIONAL'),
      '00191099': s('LO', 'CANARYNOTSAFE'),
    }),
  }, '1.2.840.10008.1.2.1');
  const kept = run(path, { retainSafePrivate: true });
  assert.equal(kept.string('x00190010'), 'SIEMENS MR HEADER');
  assert.equal(kept.string('x0019100c'), '1000');
  assert.equal(kept.elements.x0019100d, undefined);
  assert.equal(kept.elements.x00191099, undefined);
  assert.equal(kept.elements.x00110010, undefined);
  assert.ok(codes(kept).includes('113111'));
  const dropped = run(path, {});
  assert.deepEqual(Object.keys(dropped.elements).filter((t) => parseInt(t.slice(1, 5), 16) % 2 === 1), []);
});
