/** Enhanced (multi-frame) CT/MR: per-frame functional groups → geometry, rescale, parity with dcm2niix. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '@rachis/imaging';
import { listDicomSeries, readDicomSeries, TransferSyntax } from '../src/dicom/index.js';
import { writeDicomSeries } from '../src/dicom/write.js';
import { compareGrids } from './dicom/compare.js';
import { hasDcm2niix, runDcm2niix } from './dicom/dcm2niix.js';

let root = '';
before(() => (root = mkdtempSync(join(tmpdir(), 'rachis-multiframe-'))));
after(() => rmSync(root, { recursive: true, force: true }));

function phantom(modality: string): Volume {
  const [nx, ny, nz] = [20, 16, 7];
  const data = new Int16Array(nx * ny * nz).map((_, i) => ((i * 37) % 3000) - 1024);
  // Coronal stack: rows → L, columns → I, frames advance posteriorly.
  return { size: [nx, ny, nz], spacing: [0.7, 0.8, 2.5], origin: [-10.25, 20.5, 33.125], direction: [1, 0, 0, 0, 0, 1, 0, -1, 0], data, meta: { modality } };
}

const exact = (a: Volume, b: Volume): boolean => a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

test('Enhanced CT (explicit LE) reads frame geometry from the functional groups and matches dcm2niix', async (t) => {
  const dir = join(root, 'ct-le');
  const truth = phantom('CT');
  const w = await writeDicomSeries(truth, dir, { multiFrame: true, rescaleIntercept: -1024, unsigned: true });
  assert.equal(w.files.length, 1);
  const [info] = await listDicomSeries(dir);
  assert.equal(info?.instanceCount, 7);
  const v = await readDicomSeries(dir);
  assert.deepEqual(v.size, [20, 16, 7]);
  assert.ok(exact(truth, v));
  assert.deepEqual([...v.origin], [-10.25, 20.5, 33.125]);
  assert.deepEqual(v.direction.map((x) => x + 0), [1, 0, 0, 0, 0, 1, 0, -1, 0]);
  assert.equal(v.meta.unit, 'HU');
  assert.equal(v.meta.sourceSopClassUID, '1.2.840.10008.5.1.4.1.1.2.1');
  if (!hasDcm2niix()) {
    if (process.env.CI === 'true') throw new Error('dcm2niix missing in CI');
    return t.skip('dcm2niix not installed');
  }
  const [theirs] = runDcm2niix(dir);
  assert.ok(theirs);
  const cmp = compareGrids(v, theirs);
  assert.ok(cmp.maxCornerErrorMm < 1e-3, `affine differs by ${cmp.maxCornerErrorMm} mm`);
  assert.equal(cmp.valueMismatches, 0);
  assert.equal(cmp.compared, truth.data.length);
});

test('Enhanced MR, JPEG 2000 lossless, one fragment per frame: exact', async () => {
  const dir = join(root, 'mr-j2k');
  const truth = phantom('MR');
  await writeDicomSeries(truth, dir, { multiFrame: true, transferSyntax: TransferSyntax.J2kLossless });
  const v = await readDicomSeries(dir);
  assert.ok(exact(truth, v));
  assert.equal(v.meta.modality, 'MR');
  assert.equal(v.meta.sourceSopClassUID, '1.2.840.10008.5.1.4.1.1.4.1');
});
