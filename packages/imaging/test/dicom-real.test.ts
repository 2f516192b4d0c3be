/** readDicomSeries on real public series from ../shared/data (geometry, HU, metadata). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDicomSeries, listDicomSeries } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { range, unzipOnce } from './dicom/helpers.js';

const close = (a: readonly number[], b: readonly number[], tol = 1e-4): boolean => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tol);

test('TotalSegmentator example CT (JPEG 2000 lossless) reads in HU with LPS geometry', async (t) => {
  const dir = sharedData('totalseg-example-ct', 'example_ct_dicom');
  if (!dir) return t.skip('shared data missing');
  const v = await readDicomSeries(dir);
  assert.deepEqual(v.size, [512, 512, 20]);
  assert.ok(close(v.spacing, [0.9765625, 0.9765625, 2]));
  assert.ok(close(v.origin, [-249.51171875, -437.51171875, -804.5]), `origin ${v.origin}`);
  assert.deepEqual([...v.direction], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.ok(v.data instanceof Int16Array);
  assert.deepEqual(range(v.data), [-1024, 1839]);
  assert.equal(v.meta.modality, 'CT');
  assert.equal(v.meta.unit, 'HU');
  assert.equal(v.meta.kvp, 120);
  assert.equal(v.meta.contrastAgent, 'APPLIED');
  assert.equal(v.meta.sliceThicknessMm, 3);
  assert.equal(v.meta.sourceSopClassUID, '1.2.840.10008.5.1.4.1.1.2');
});

test('3D-IRCADb 1.1 CT (explicit LE, 129 slices) reads with the documented geometry', async (t) => {
  const zip = sharedData('ircad-3dircadb-ct', '3Dircadb1.1', 'PATIENT_DICOM.zip');
  if (!zip) return t.skip('shared data missing');
  const dir = join(unzipOnce(zip, 'ircad-1.1'), 'PATIENT_DICOM');
  const [info] = await listDicomSeries(dir);
  assert.equal(info?.instanceCount, 129);
  const v = await readDicomSeries(dir);
  assert.deepEqual(v.size, [512, 512, 129]);
  assert.ok(close(v.spacing, [0.57, 0.57, 1.6], 1e-6));
  assert.ok(close(v.origin, [0, 0, 0]));
  assert.deepEqual(range(v.data), [-1024, 1023]);
  assert.equal(v.meta.sourceSopInstanceUIDs?.length, 129);
  assert.equal(v.meta.warnings, undefined);
});

test('thorax 4D-CT phase (implicit LE, intercept −1024, negative SpacingBetweenSlices) sorts by position', async (t) => {
  const zip = sharedData('thorax-4dct-phase00-itkelastix', 'CT_00.zip');
  if (!zip) return t.skip('shared data missing');
  const v = await readDicomSeries(join(unzipOnce(zip, 'thorax-00'), 'CT_00'));
  assert.deepEqual(v.size, [512, 512, 141]);
  assert.ok(close(v.spacing, [0.9765625, 0.9765625, 2]));
  // Sorted ascending along the normal (+z = superior): first slice is the most inferior, z = −164.5.
  assert.ok(close(v.origin, [-250, -164, -164.5]), `origin ${v.origin}`);
  assert.deepEqual(range(v.data), [-1024, 2976]);
  assert.equal(v.meta.unit, 'HU');
});

test('lumbar MR secondary capture without geometry reads as a 2-D stack with warnings', async (t) => {
  const dir = sharedData('lumbar-mri-sagT2-8bit-sc', 'LumbarDicomExample');
  if (!dir) return t.skip('shared data missing');
  const v = await readDicomSeries(dir);
  assert.deepEqual(v.size, [512, 512, 12]);
  assert.deepEqual(v.spacing.slice(0, 2), [0.5, 0.5]);
  assert.ok(v.meta.warnings?.some((w) => w.includes('no ImagePositionPatient')));
  assert.equal(v.meta.seriesDescription, 'Sag T2');
});
