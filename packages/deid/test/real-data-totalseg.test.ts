/** REQ-DEID-008 the TotalSegmentator example series (J2K, residual institution data) comes out clean. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import dicomParser from 'dicom-parser';
import { sharedData } from '@rachis/imaging/testing';
import { deidentifyTree } from '../src/index.js';
import { dciodvfyErrors, dcmdump, hasTool, listFilesRecursive } from './helpers/dcmtk.js';

const KEY = Buffer.from('real-data-test-key-real-data-test');

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
