import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { readLabelMap, readNifti } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import {
  curvedGrid, labelCentroidsMm, planeGrid, reformatLabels, renderSpineKeyImages, type Plane,
} from '@rachis/imaging/render';

/** Mean (col, row) of each label value in a reformatted label image. */
function positions(labels: Float32Array, width: number): Map<number, [number, number]> {
  const acc = new Map<number, [number, number, number]>();
  labels.forEach((v, p) => {
    if (!(v > 0)) return;
    const a = acc.get(v) ?? [0, 0, 0];
    a[0] += p % width;
    a[1] += Math.floor(p / width);
    a[2]++;
    acc.set(v, a);
  });
  return new Map([...acc].map(([v, [c, r, n]]) => [v, [c / n, r / n]]));
}

// TotalSegmentator 'total' ids in example_seg.nii.gz.
const SPLEEN = 1, LIVER = 5, AORTA = 52, L2 = 30, L1 = 31, T12 = 32, BACK_MUSCLE_L = 86, BACK_MUSCLE_R = 87;

test('real CT (TotalSegmentator example): organs land where a radiologist expects them', async (t) => {
  const ctPath = sharedData('totalseg-example-ct', 'example_ct_sm.nii.gz');
  const segPath = sharedData('totalseg-example-ct', 'example_seg.nii.gz');
  if (!ctPath || !segPath) return t.skip('shared data missing');
  const ct = await readNifti(ctPath);
  const seg = await readLabelMap(segPath);
  const l1 = labelCentroidsMm(seg).get(L1);
  assert.ok(l1, 'L1 present');
  const at = (plane: Plane, slabMm = 0): Map<number, [number, number]> => {
    const grid = planeGrid(ct, plane, { centreMm: l1, slabMm });
    return positions(reformatLabels(seg, grid), grid.width);
  };
  const get = (m: Map<number, [number, number]>, v: number): [number, number] => {
    const p = m.get(v);
    assert.ok(p, `label ${v} visible`);
    return p;
  };
  // Axial through L1: patient right (liver) on image left, spleen right; aorta anterior (up), back muscles posterior.
  const ax = at('axial');
  assert.ok(get(ax, LIVER)[0] < get(ax, SPLEEN)[0], 'axial: liver left of spleen');
  assert.ok(get(ax, AORTA)[1] < get(ax, L1)[1] && get(ax, L1)[1] < get(ax, BACK_MUSCLE_L)[1], 'axial: aorta, L1, back muscles top to bottom');
  assert.ok(get(ax, BACK_MUSCLE_R)[0] < get(ax, BACK_MUSCLE_L)[0], 'axial: right back muscle on image left');
  // Coronal: liver left of spleen; T12 above L1 above L2.
  const cor = at('coronal', 60);
  assert.ok(get(cor, LIVER)[0] < get(cor, SPLEEN)[0], 'coronal: liver left of spleen');
  assert.ok(get(cor, T12)[1] < get(cor, L1)[1] && get(cor, L1)[1] < get(cor, L2)[1], 'coronal: head up');
  // Sagittal (60 mm slab so the aorta, left of the midline, is included): anterior on the left.
  const sag = at('sagittal', 60);
  assert.ok(get(sag, AORTA)[0] < get(sag, L1)[0] && get(sag, L1)[0] < get(sag, BACK_MUSCLE_L)[0], 'sagittal: aorta, L1, back muscles left to right');
  assert.ok(get(sag, T12)[1] < get(sag, L2)[1], 'sagittal: head up');
});

test('real CT: spine key images list T12…S1 top to bottom and decode as PNG', async (t) => {
  const ctPath = sharedData('totalseg-example-ct', 'example_ct.nii.gz');
  const segPath = sharedData('totalseg-example-ct', 'spine_report', 'example_ct_report', 'totalseg.nii.gz');
  if (!ctPath || !segPath) return t.skip('shared data missing');
  const ct = await readNifti(ctPath);
  const seg = await readLabelMap(segPath);
  // 26 = S1, 27 = L5 … 32 = T12 (T11 at 33 has only a few voxels at the edge of the field of view).
  const levels = [32, 31, 30, 29, 28, 27, 26];
  const centreline = [...labelCentroidsMm(seg).values()];
  for (const plane of ['sagittal', 'coronal'] as const) {
    const grid = curvedGrid(ct, plane, centreline, { pixelMm: 2 });
    const pos = positions(reformatLabels(seg, grid), grid.width);
    const rows = levels.map((v) => pos.get(v)?.[1] ?? NaN);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]! < rows[i]!, `${plane}: level ${levels[i - 1]} above ${levels[i]} (${rows.join(', ')})`);
  }
  const names = new Map([[26, 'S1'], [27, 'L5'], [28, 'L4'], [29, 'L3'], [30, 'L2'], [31, 'L1'], [32, 'T12'], [33, 'T11']]);
  const pngs = renderSpineKeyImages(ct, seg, names, { sizePx: 400 });
  for (const buf of [pngs.sagittal, pngs.coronal]) {
    const png = PNG.sync.read(buf);
    assert.ok(Math.max(png.width, png.height) >= 400 && png.width <= 420, `${png.width}×${png.height}`);
  }
});
