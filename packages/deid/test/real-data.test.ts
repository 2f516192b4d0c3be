/** REQ-DEID-008 real public DICOM files: every one is written clean or quarantined with the expected reason. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import dicomParser from 'dicom-parser';
import { sharedData } from '@rachis/imaging/testing';
import { deidentifyDicomBytes, deidentifyTree, Pseudonymizer, resolveOptions } from '../src/index.js';
import { dciodvfyErrors, dcmdump, hasTool, listFilesRecursive } from './helpers/dcmtk.js';

const KEY = Buffer.from('real-data-test-key-real-data-test');

test('REQ-DEID-008 pydicom and deid test files: written or quarantined as expected', (t) => {
  const dir = sharedData('dicom-deid-testdata');
  if (!dir) return t.skip('shared data missing');
  const expected: Record<string, string> = {
    'deid-dicom-cookies/image1.dcm': 'burned-in-text-risk',
    'deid-dicom-cookies/image2.dcm': 'burned-in-text-risk',
    'pydicom-test-files/CT_small.dcm': 'written',
    'pydicom-test-files/MR_small.dcm': 'written',
    'pydicom-test-files/MR_small_implicit.dcm': 'written',
    'pydicom-test-files/ExplVR_BigEndNoMeta.dcm': 'written',
    'pydicom-test-files/rtstruct.dcm': 'written',
    'pydicom-test-files/priv_SQ.dcm': 'written',
    'pydicom-test-files/nested_priv_SQ.dcm': 'missing-sop-instance-uid',
    'pydicom-test-files/no_meta.dcm': 'not-dicom',
  };
  const pseudo = new Pseudonymizer(KEY);
  const tmp = mkdtempSync(join(tmpdir(), 'rachis-deid-pydicom-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  for (const [rel, want] of Object.entries(expected)) {
    const r = deidentifyDicomBytes(readFileSync(join(dir, rel)), resolveOptions(), pseudo);
    assert.equal(r.status === 'written' ? 'written' : r.reason, want, rel);
    if (r.status === 'written') {
      const text = r.bytes.toString('latin1');
      for (const phi of ['CompressedSamples', 'JFK IMAGING', 'nameless waterfall', 'STANFORD']) assert.equal(text.includes(phi), false, `${rel}: ${phi}`);
      if (hasTool('dcmdump') && hasTool('dciodvfy')) {
        const out = join(tmp, rel.replace('/', '_'));
        writeFileSync(out, r.bytes);
        assert.equal(dcmdump(out).status, 0, `${rel}: dcmtk parses the output (incl. big endian / implicit)`);
        const before = dciodvfyErrors(join(dir, rel));
        assert.deepEqual([...dciodvfyErrors(out)].filter((x) => !before.has(x)), [], rel);
      }
    }
  }
});

test('REQ-DEID-008 IBSI CT phantom + RTSTRUCT: every contour reference points at a de-identified image', async (t) => {
  const dir = sharedData('ibsi', 'data_sets', 'ibsi_1_ct_radiomics_phantom', 'dicom');
  if (!dir) return t.skip('shared data missing');
  const root = mkdtempSync(join(tmpdir(), 'rachis-deid-ibsi-'));
  try {
    const summary = await deidentifyTree({ input: dir, output: join(root, 'out'), key: KEY });
    assert.deepEqual(summary.files, { seen: 61, written: 61, quarantined: 0, skippedSymlinks: 0 });
    const sets = listFilesRecursive(join(root, 'out')).map((f) => dicomParser.parseDicom(readFileSync(f)));
    const images = new Set(sets.filter((d) => d.string('x00080060') === 'CT').map((d) => d.string('x00080018')));
    const rs = sets.find((d) => d.string('x00080060') === 'RTSTRUCT')!;
    const refs: string[] = [];
    const walk = (d: dicomParser.DataSet): void => {
      for (const el of Object.values(d.elements)) {
        if (el.tag === 'x30060016') for (const it of el.items ?? []) refs.push(it.dataSet!.string('x00081155') ?? '');
        for (const it of el.items ?? []) if (it.dataSet) walk(it.dataSet);
      }
    };
    walk(rs);
    assert.equal(images.size, 60);
    assert.equal(refs.length, 60);
    assert.deepEqual(refs.filter((r) => !images.has(r)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('REQ-DEID-008 TotalSegmentator CT (J2K): institution address, station, serial and issuer gone; pixels and dciodvfy unchanged', async (t) => {
  const dir = sharedData('totalseg-example-ct', 'example_ct_dicom');
  if (!dir) return t.skip('shared data missing');
  const root = mkdtempSync(join(tmpdir(), 'rachis-deid-real-'));
  try {
    const summary = await deidentifyTree({ input: dir, output: join(root, 'out'), key: KEY, linkageMapPath: join(root, 'map.json') });
    assert.deepEqual(summary.files, { seen: 20, written: 20, quarantined: 0, skippedSymlinks: 0 });
    const map = JSON.parse(readFileSync(join(root, 'map.json'), 'utf8')) as { entries: { input: string; output: string; patientPseudonym: string }[] };
    assert.equal(new Set(map.entries.map((e) => e.patientPseudonym)).size, 1, 'one pseudo-patient for the series');
    const outputs = listFilesRecursive(join(root, 'out'));
    assert.equal(outputs.length, readdirSync(dir).length);
    for (const f of outputs) assert.doesNotMatch(f.slice(root.length), /1\.3\.12\.2\.1107/, 'input file names (UIDs) are not reused');
    if (!hasTool('dcmdump')) return t.skip('dcmtk not installed');
    for (const [i, e] of map.entries.entries()) {
      const out = join(root, 'out', e.output);
      const px = (b: Buffer): Buffer => {
        const el = dicomParser.parseDicom(b).elements.x7fe00010!;
        return b.subarray(el.dataOffset, el.dataOffset + el.length);
      };
      assert.deepEqual(px(readFileSync(out)), px(readFileSync(join(dir, e.input))), 'encapsulated pixel data byte-identical');
      const d = dcmdump(out);
      assert.equal(d.status, 0, d.err);
      assert.equal(d.out.includes('=JPEG2000LosslessOnly'), true);
      // UI lines are skipped: fresh 2.25 UIDs are random digits and could contain e.g. "60064" by chance.
      const text = d.out.split('\n').filter((l) => !/^\s*\([0-9a-f,]+\) UI /.test(l)).join('\n');
      for (const phi of ['Petersgraben', 'Basel', 'PETCT2', '60064', '2.16.756.5.30', 'QR_SNOWFOX', '20221208', 'FDG_TK_KM', 'SIEMENS CSA']) {
        assert.equal(text.includes(phi), false, `${e.input}: ${phi}`);
      }
      if (hasTool('dciodvfy') && i % 4 === 0) {
        const before = dciodvfyErrors(join(dir, e.input));
        assert.deepEqual([...dciodvfyErrors(out)].filter((x) => !before.has(x)), [], e.input);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
