/**
 * REQ-DEID-003 invariants (dicognito-style): SOP Class and transfer syntax unchanged,
 * MediaStorageSOPInstanceUID = SOPInstanceUID, one pseudonym per patient, new UIDs per study,
 * references kept intact, pixel data unchanged, deterministic under one key, dciodvfy no new errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { deidentifyDicomBytes, deidentifyTree, Pseudonymizer, resolveOptions } from '../src/index.js';
import { buildCanaryCorpus, type CorpusFile } from './helpers/corpus.js';
import { dciodvfyErrors, hasTool } from './helpers/dcmtk.js';

const KEY = Buffer.from('fedcba9876543210fedcba9876543210');
let root = '';
let corpus: ReturnType<typeof buildCanaryCorpus>;
const out = new Map<string, Buffer>();

before(() => {
  root = mkdtempSync(join(tmpdir(), 'rachis-deid-inv-'));
  corpus = buildCanaryCorpus(join(root, 'in'));
  const pseudo = new Pseudonymizer(KEY);
  const options = resolveOptions();
  for (const [role, f] of Object.entries(corpus)) {
    const r = deidentifyDicomBytes(readFileSync(f.path), options, pseudo);
    if (r.status === 'written') out.set(role, r.bytes);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Parses with dicom-parser (independent of Rachis's parser). */
function ds(bytes: Uint8Array): dicomParser.DataSet {
  return dicomParser.parseDicom(bytes);
}
const str = (d: dicomParser.DataSet, tag: string): string => d.string(tag) ?? '';
function nested(d: dicomParser.DataSet, path: string[], leaf: string): string[] {
  if (path.length === 0) return [str(d, leaf)];
  const el = d.elements[path[0]!];
  return (el?.items ?? []).flatMap((it) => (it.dataSet ? nested(it.dataSet, path.slice(1), leaf) : []));
}
const get = (role: string): dicomParser.DataSet => ds(out.get(role)!);

test('REQ-DEID-003 SOP Class UID and transfer syntax are unchanged; MediaStorageSOPInstanceUID = SOPInstanceUID', () => {
  for (const [role, bytes] of out) {
    const f = corpus[role as keyof typeof corpus] as CorpusFile;
    const d = ds(bytes);
    assert.equal(str(d, 'x00080016'), f.sopClassUID, role);
    assert.equal(str(d, 'x00020002'), f.sopClassUID, role);
    assert.equal(str(d, 'x00020010'), f.ts, role);
    assert.equal(str(d, 'x00020003'), str(d, 'x00080018'), role);
    assert.notEqual(str(d, 'x00080018'), f.sopInstanceUID, role);
    assert.match(str(d, 'x00080018'), /^2\.25\.\d{1,39}$/);
  }
});

test('REQ-DEID-003 the same patient in two studies gets the same pseudonym; another patient a different one', () => {
  const ids = ['ct1', 'ct2', 'mr', 'sr'].map((r) => str(get(r), 'x00100020'));
  assert.equal(new Set(ids).size, 1);
  assert.equal(new Set(['ct1', 'mr'].map((r) => str(get(r), 'x00100010'))).size, 1);
  assert.notEqual(str(get('other'), 'x00100020'), ids[0]);
  assert.match(ids[0]!, /^RX[A-Z2-7]{16}$/);
});

test('REQ-DEID-003 different studies get different UIDs; one study keeps one Study UID and Frame of Reference', () => {
  assert.notEqual(str(get('ct1'), 'x0020000d'), str(get('mr'), 'x0020000d'));
  assert.equal(str(get('ct1'), 'x0020000d'), str(get('ct2'), 'x0020000d'));
  assert.equal(str(get('ct1'), 'x0020000d'), str(get('sr'), 'x0020000d'));
  assert.equal(str(get('ct1'), 'x00200052'), str(get('ct2'), 'x00200052'));
  assert.notEqual(str(get('ct1'), 'x00200052'), str(get('mr'), 'x00200052'));
  assert.notEqual(str(get('ct1'), 'x00080018'), str(get('ct2'), 'x00080018'));
});

test('REQ-DEID-003 SR references still point at the de-identified images', () => {
  const sr = get('sr');
  const evidence = nested(sr, ['x0040a375', 'x00081115', 'x00081199'], 'x00081155');
  assert.deepEqual(evidence, [str(get('ct1'), 'x00080018')]);
  const imageRefs = nested(sr, ['x0040a730', 'x00081199'], 'x00081155');
  assert.deepEqual(imageRefs, [str(get('ct2'), 'x00080018')]);
  assert.deepEqual(nested(sr, ['x0040a375'], 'x0020000d'), [str(get('ct1'), 'x0020000d')]);
});

test('REQ-DEID-003 pixel data bytes are unchanged', () => {
  for (const role of ['ct1', 'mr', 'other']) {
    const src = readFileSync(corpus[role as keyof typeof corpus].path);
    const a = ds(src).elements.x7fe00010!;
    const b = get(role).elements.x7fe00010!;
    assert.deepEqual(out.get(role)!.subarray(b.dataOffset, b.dataOffset + b.length), src.subarray(a.dataOffset, a.dataOffset + a.length));
  }
});

test('REQ-DEID-003 a second independent reader (dcmjs) reads every output with the same values', () => {
  dcmjs.log.setLevel('error');
  for (const [role, bytes] of out) {
    const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    assert.equal(nat.SOPInstanceUID, str(get(role), 'x00080018'), role);
    assert.equal(nat.PatientID, str(get(role), 'x00100020'), role);
    assert.equal(nat.PatientIdentityRemoved, 'YES', role);
  }
});

test('REQ-DEID-003 same key → byte-identical output across runs; another key → other UIDs and pseudonyms', () => {
  const src = readFileSync(corpus.ct1.path);
  const again = deidentifyDicomBytes(src, resolveOptions(), new Pseudonymizer(KEY));
  assert.equal(again.status, 'written');
  if (again.status === 'written') assert.deepEqual(again.bytes, out.get('ct1'));
  const other = deidentifyDicomBytes(src, resolveOptions(), new Pseudonymizer(Buffer.from('another key, also 32 bytes long!')));
  assert.equal(other.status, 'written');
  if (other.status === 'written') {
    assert.notEqual(str(ds(other.bytes), 'x00080018'), str(get('ct1'), 'x00080018'));
    assert.notEqual(str(ds(other.bytes), 'x00100020'), str(get('ct1'), 'x00100020'));
  }
});

test('REQ-DEID-003 dciodvfy reports no new errors for any output', async (t) => {
  if (!hasTool('dciodvfy')) return t.skip('dicom3tools not installed');
  const dir = mkdtempSync(join(root, 'tree-'));
  await deidentifyTree({ input: join(root, 'in'), output: join(dir, 'out'), key: KEY, linkageMapPath: join(dir, 'map.json') });
  const map = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8')) as { entries: { input: string; output: string }[] };
  assert.equal(map.entries.length, 5);
  for (const e of map.entries) {
    const before = dciodvfyErrors(join(root, 'in', e.input));
    const afterErrors = [...dciodvfyErrors(join(dir, 'out', e.output))].filter((x) => !before.has(x));
    assert.deepEqual(afterErrors, [], e.input);
  }
});

test('REQ-DEID-004 output paths never come from DICOM values: a hostile SOP Instance UID changes nothing', () => {
  const dir = mkdtempSync(join(root, 'hostile-'));
  const bytes = readFileSync(corpus.ct1.path);
  const evil = Buffer.from(bytes.toString('latin1').replaceAll(corpus.ct1.sopInstanceUID, '../../../../tmp/x.dcm'.padEnd(corpus.ct1.sopInstanceUID.length, '/')), 'latin1');
  const r = deidentifyDicomBytes(evil, resolveOptions(), new Pseudonymizer(KEY));
  assert.equal(r.status, 'written');
  if (r.status === 'written') assert.match(str(ds(r.bytes), 'x00080018'), /^2\.25\.\d+$/);
  rmSync(dir, { recursive: true, force: true });
});
