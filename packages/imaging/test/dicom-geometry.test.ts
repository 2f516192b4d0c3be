/** Stack checks: gantry tilt, non-uniform spacing, shuffled files, single slice, duplicates of one file. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat3, Volume } from '@rachis/imaging';
import { readDicomSeries } from '../src/dicom/index.js';
import { writeDicomSeries } from '../src/dicom/write.js';

let root = '';
before(() => (root = mkdtempSync(join(tmpdir(), 'rachis-geometry-'))));
after(() => rmSync(root, { recursive: true, force: true }));

function vol(nz: number, z0: number, direction: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1]): Volume {
  const data = new Int16Array(8 * 6 * nz).map((_, i) => i % 1000);
  return { size: [8, 6, nz], spacing: [1, 1, 2], origin: [0, 0, z0], direction, data, meta: { modality: 'CT' } };
}

test('gantry tilt (slice positions drift in-plane) is reported with its angle', async () => {
  const t = (15 * Math.PI) / 180;
  // k column tilted 15° towards P: positions move in y as z advances while the slices stay axial.
  const dir = join(root, 'tilt');
  await writeDicomSeries(vol(10, 0, [1, 0, 0, 0, 1, Math.sin(t), 0, 0, Math.cos(t)]), dir);
  const v = await readDicomSeries(dir);
  const w = v.meta.warnings?.find((m) => m.includes('gantry tilt'));
  assert.ok(w, JSON.stringify(v.meta.warnings));
  assert.match(w, /15(\.0+)?°/);
  // Spacing is the distance between slice planes along the normal.
  assert.ok(Math.abs(v.spacing[2] - 2 * Math.cos(t)) < 1e-3, String(v.spacing[2]));
});

test('non-uniform spacing below the missing-slice threshold is a warning, spacing = mean', async () => {
  const dir = join(root, 'uneven');
  const first = await writeDicomSeries(vol(1, 0), dir, { filePrefix: 'a' });
  const series = { seriesInstanceUID: first.seriesInstanceUID, studyInstanceUID: first.studyInstanceUID };
  for (const [i, z] of [2, 4.5, 6].entries()) await writeDicomSeries(vol(1, z), dir, { ...series, filePrefix: `b${i}` });
  const v = await readDicomSeries(dir);
  assert.equal(v.size[2], 4);
  assert.ok(v.meta.warnings?.some((m) => m.includes('non-uniform slice spacing 1.5–2.5 mm')), JSON.stringify(v.meta.warnings));
  assert.equal(v.spacing[2], 2);
});

test('file order does not matter: slices are sorted along the normal; k follows ascending position', async () => {
  const dir = join(root, 'reversed');
  // Direction with k pointing inferior: positions descend with k; the reader re-sorts ascending.
  const truth = vol(5, 100, [1, 0, 0, 0, 1, 0, 0, 0, -1]);
  await writeDicomSeries(truth, dir);
  const v = await readDicomSeries(dir);
  assert.deepEqual([...v.origin], [0, 0, 92]);
  assert.deepEqual([...v.direction], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const slice = 8 * 6;
  // Our k=0 is their k=4.
  assert.deepEqual([...v.data.subarray(0, slice)], [...truth.data.subarray(4 * slice, 5 * slice)]);
});

test('one file copied twice is read once with a note', async () => {
  const dir = join(root, 'copy');
  const w = await writeDicomSeries(vol(3, 0), dir);
  copyFileSync(w.files[1]!, join(dir, 'copy-of-1.dcm'));
  const v = await readDicomSeries(dir);
  assert.equal(v.size[2], 3);
  assert.ok(v.meta.warnings?.some((m) => m.includes('duplicate file')));
});

test('a single slice takes its k spacing from SliceThickness', async () => {
  const dir = join(root, 'single');
  await writeDicomSeries({ ...vol(1, 5), meta: { modality: 'CT', sliceThicknessMm: 3 } }, dir);
  const v = await readDicomSeries(dir);
  assert.deepEqual([...v.spacing], [1, 1, 3]);
  assert.equal(v.meta.warnings, undefined);
});
