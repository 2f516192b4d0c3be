import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLabelMap, readNifti } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { segmentSpineCT } from '@rachis/spine';
import type { VertebraName } from '@rachis/spine';
import { measureAlignment } from '../src/alignment.js';
import { segmentationFromReference } from '../eval/totalseg-eval.js';
import { withSacralBody } from '../eval/alignment-eval.js';

// TotalSegmentator v2 `total` values: 26 = S1, 27 = L5 … 31 = L1, 32 = T12, 33 = T11.
const tsValue = (n: VertebraName): number => (n === 'S1' ? 26 : n === 'T12' ? 32 : n === 'T11' ? 33 : 31 - (Number(n.slice(1)) - 1));

test('example_ct: lordosis and the L5–S1 endplates through segmentSpineCT agree with the same code on TotalSegmentator masks', async (t) => {
  const ctPath = sharedData('totalseg-example-ct', 'example_ct.nii.gz');
  const bodiesPath = sharedData('totalseg-example-ct', 'spine_report', 'test_result', 'totalseg_vertebrae_pp_refined.nii.gz');
  const wholePath = sharedData('totalseg-example-ct', 'spine_report', 'example_ct_report', 'totalseg.nii.gz');
  const bodyTaskPath = sharedData('totalseg-example-ct', 'spine_report', 'example_ct_report', 'totalseg_vertebrae_body.nii.gz');
  if (!ctPath || !bodiesPath || !wholePath || !bodyTaskPath) return t.skip('shared data not present');
  const raw = await readNifti(ctPath);
  const ct = { ...raw, meta: { ...raw.meta, modality: 'CT', unit: 'HU' } };
  const whole = await readLabelMap(wholePath);
  const reference = segmentationFromReference(withSacralBody(await readLabelMap(bodiesPath), whole, tsValue('S1'), await readLabelMap(bodyTaskPath)), whole, tsValue);
  const ts = measureAlignment(reference, ct);
  const own = measureAlignment(await segmentSpineCT(ct), ct);
  const value = (m: typeof own.lumbarLordosisDeg): number => (m.status === 'measured' ? m.value : NaN);
  // Before each disc face was fitted as its own plane, our S1 held the L5–S1 disc: 20.5° against 55.4°.
  const [lordTs, lordOwn] = [value(ts.lumbarLordosisDeg), value(own.lumbarLordosisDeg)];
  assert.ok(Math.abs(lordOwn - lordTs) <= 5, `lordosis ${lordOwn.toFixed(1)}° vs ${lordTs.toFixed(1)}° on TotalSegmentator masks`);
  assert.ok(!own.lumbarLordosisDeg.caveats.some((c) => c.includes('kyphotic')), 'no kyphotic L5–S1 caveat');
  const tilt = (r: typeof own, label: string, key: 'sagittalSuperiorDeg' | 'sagittalInferiorDeg'): number => r.endplates.find((e) => e.label === label)?.[key] ?? NaN;
  for (const [label, key] of [['L5', 'sagittalInferiorDeg'], ['S1', 'sagittalSuperiorDeg'], ['L1', 'sagittalSuperiorDeg']] as const) {
    const [a, b] = [tilt(own, label, key), tilt(ts, label, key)];
    assert.ok(Math.abs(a - b) <= 5, `${label} ${key} ${a.toFixed(1)}° vs ${b.toFixed(1)}°`);
  }
});
