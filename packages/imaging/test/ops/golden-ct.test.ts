/**
 * Golden test on real CT (TotalSegmentator example, 122×101×30 at 3 mm): bone mask and the ops on
 * it, against reference numbers computed once with scipy.ndimage 1.10.1 (Debian python3-scipy) on
 * the same voxels: label (6 / full 3×3×3 structure), binary_fill_holes, binary_dilation/erosion with
 * the same ellipsoid (border_value=1 for erosion), distance_transform_edt(sampling=spacing),
 * gaussian_filter(mode='nearest', truncate=4), numpy mean/std/median/percentile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectedComponents, dilate, distanceInside, distanceToMask, erode, fillHoles, gaussianSmooth, readNifti, statistics, threshold,
} from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};
const max = (a: ArrayLike<number>): number => {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
};
const near = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('ops on a real CT bone mask match scipy.ndimage reference numbers', async (t) => {
  const f = sharedData('totalseg-example-ct', 'example_ct_sm.nii.gz');
  if (!f) return t.skip('shared CT missing');
  const ct = await readNifti(f);
  assert.deepEqual([...ct.spacing], [3, 3, 3]);
  const bone = threshold(ct, 200, 3000);
  assert.equal(sum(bone.data), 3377);

  const cc26 = connectedComponents(bone, 26);
  assert.equal(cc26.count, 49);
  assert.equal(cc26.sizes[0], 2338);
  const cc6 = connectedComponents(bone, 6);
  assert.equal(cc6.count, 278);
  assert.equal(cc6.sizes[0], 1885);

  assert.equal(sum(fillHoles(bone).data), 3382);
  assert.equal(sum(dilate(bone, 4.5).data), 15504);
  assert.equal(sum(erode(bone, 4.5).data), 3);

  const edt = distanceToMask(bone).data;
  near(sum(edt), 14714567.847642135, 1e-5 * 14714567.8, 'EDT sum');
  near(max(edt), 126.60568707605516, 1e-4, 'EDT max');
  const inside = distanceInside(bone).data;
  near(sum(inside), 10226.619793630882, 1e-3, 'inside sum');
  near(max(inside), 6, 1e-6, 'inside max');

  const g = gaussianSmooth(ct, 1.5).data;
  near(sum(g) / g.length, -354.0954477953149, 1e-3, 'Gaussian mean');
  near(g[60 + 122 * (50 + 101 * 15)]!, -18.93358099824592, 1e-3, 'Gaussian at (60,50,15)');
  near(g[0]!, -1023.7979557421985, 1e-3, 'Gaussian at (0,0,0)');

  const s = statistics(ct, bone);
  near(s.mean, 314.9920047379331, 1e-9, 'mean');
  near(s.sd, 127.20040868346815, 1e-9, 'sd');
  near(s.median, 279, 0, 'median');
  near(s.p5, 206, 0, 'p5');
  near(s.p95, 553.2, 1e-9, 'p95');
});
