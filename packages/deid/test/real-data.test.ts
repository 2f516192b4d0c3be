/** REQ-DEID-008 real public DICOM files: every one is written clean or quarantined with the expected reason. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
