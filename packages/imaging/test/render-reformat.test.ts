import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat3, Vec3, Volume } from '@rachis/imaging';
import { isRachisError } from '@rachis/imaging';
import { curvedSagittal, planeGrid, reformat, worldToPixel, type Plane } from '@rachis/imaging/render';

/** A zero volume with bright spheres (value 1000) at the given LPS points. */
function phantom(size: Vec3, spacing: Vec3, direction: Mat3, centreMm: Vec3, spheres: { at: Vec3; r: number }[]): Volume<Float32Array> {
  // Choose the origin so the volume's centre voxel lies at centreMm.
  const half = size.map((n) => (n - 1) / 2);
  const origin = [0, 1, 2].map((r) => centreMm[r]! - [0, 1, 2].reduce((s, q) => s + direction[r * 3 + q]! * spacing[q]! * half[q]!, 0)) as unknown as Vec3;
  const data = new Float32Array(size[0] * size[1] * size[2]);
  let p = 0;
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++, p++) {
        const ijk = [i, j, k];
        const w = [0, 1, 2].map((r) => origin[r]! + [0, 1, 2].reduce((s, q) => s + direction[r * 3 + q]! * spacing[q]! * ijk[q]!, 0));
        for (const s of spheres) if (Math.hypot(w[0]! - s.at[0], w[1]! - s.at[1], w[2]! - s.at[2]) <= s.r) data[p] = 1000;
      }
  return { size, spacing, origin, direction, data, meta: { modality: 'CT' } };
}

function argmax(d: Float32Array, width: number): [number, number] {
  let best = 0;
  let bestV = -Infinity; // NaN (outside the volume) never wins
  for (let p = 0; p < d.length; p++) if (d[p]! > bestV) { best = p; bestV = d[p]!; }
  return [best % width, Math.floor(best / width)];
}

const c30 = Math.cos(Math.PI / 6);
const s30 = Math.sin(Math.PI / 6);
const DIRECTIONS: Record<string, Mat3> = {
  'LPS identity': [1, 0, 0, 0, 1, 0, 0, 0, 1],
  'RAS-stored (NIfTI-like, x and y flipped)': [-1, 0, 0, 0, -1, 0, 0, 0, 1],
  'feet-first (z flipped)': [1, 0, 0, 0, -1, 0, 0, 0, -1],
  // Sagittal acquisition: i runs posterior, j runs inferior (rows go down), k runs to the left.
  'sagittal acquisition (permuted)': [0, 0, 1, 1, 0, 0, 0, -1, 0],
  // Coronal acquisition: i to the left, j inferior, k posterior.
  'coronal acquisition (permuted)': [1, 0, 0, 0, 0, 1, 0, -1, 0],
  'oblique (30° about S)': [c30, -s30, 0, s30, c30, 0, 0, 0, 1],
};

// Marker left (+x), anterior (−y) and superior (+z) of the volume centre.
const CENTRE: Vec3 = [10, -20, 30];
const MARKER: Vec3 = [CENTRE[0] + 12, CENTRE[1] - 10, CENTRE[2] + 14];

/** Expected image quadrant of a left-anterior-superior marker, per plane: [right of centre?, above centre?]. */
const EXPECT: Record<Plane, { right: boolean; up: boolean }> = {
  axial: { right: true, up: true }, // patient left → image right; anterior up
  sagittal: { right: false, up: true }, // anterior on the left; head up
  coronal: { right: true, up: true }, // patient left → image right; head up
};

for (const [name, dir] of Object.entries(DIRECTIONS)) {
  test(`marker lands in the radiological quadrant: ${name}`, () => {
    const vol = phantom([40, 36, 32], [1.5, 1.5, 2], dir, CENTRE, [{ at: MARKER, r: 3 }]);
    for (const plane of ['axial', 'sagittal', 'coronal'] as const) {
      const img = reformat(vol, plane, { centreMm: MARKER });
      const [col, row] = argmax(img.data, img.width);
      assert.ok(img.data[col + row * img.width]! > 500, `${plane}: marker visible`);
      const [ec, er] = worldToPixel(img, MARKER);
      assert.ok(Math.abs(col - ec) <= 1.5 && Math.abs(row - er) <= 1.5, `${plane}: marker at (${col},${row}), expected (${ec.toFixed(1)},${er.toFixed(1)})`);
      const want = EXPECT[plane];
      assert.equal(col > img.width / 2, want.right, `${plane}: left/right (col ${col} of ${img.width})`);
      assert.equal(row < img.height / 2, want.up, `${plane}: up/down (row ${row} of ${img.height})`);
    }
  });
}

test('edge letters follow the display convention', () => {
  const g = { size: [4, 4, 4] as Vec3, spacing: [1, 1, 1] as Vec3, origin: [0, 0, 0] as Vec3, direction: DIRECTIONS['sagittal acquisition (permuted)']! };
  assert.deepEqual(planeGrid(g, 'axial').edges, { left: 'R', right: 'L', top: 'A', bottom: 'P' });
  assert.deepEqual(planeGrid(g, 'sagittal').edges, { left: 'A', right: 'P', top: 'S', bottom: 'I' });
  assert.deepEqual(planeGrid(g, 'coronal').edges, { left: 'R', right: 'L', top: 'S', bottom: 'I' });
});

test('anisotropic voxels give square pixels: a sphere stays round in the sagittal view', () => {
  const vol = phantom([40, 40, 14], [0.8, 0.8, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], [{ at: [0, 0, 0], r: 12 }]);
  const img = reformat(vol, 'sagittal', { centreMm: [0, 0, 0] });
  assert.equal(img.pixelMm, 0.8);
  assert.ok(Math.abs(img.height * img.pixelMm - 42) < 1, `height ${img.height * img.pixelMm} mm`);
  let minC = Infinity, maxC = -Infinity, minR = Infinity, maxR = -Infinity;
  for (let p = 0; p < img.data.length; p++) {
    if (!(img.data[p]! > 500)) continue;
    const c = p % img.width, r = Math.floor(p / img.width);
    minC = Math.min(minC, c); maxC = Math.max(maxC, c); minR = Math.min(minR, r); maxR = Math.max(maxR, r);
  }
  const wMm = (maxC - minC + 1) * img.pixelMm;
  const hMm = (maxR - minR + 1) * img.pixelMm;
  assert.ok(Math.abs(wMm - 24) < 2.5 && Math.abs(hMm - 24) < 4, `sphere ${wMm.toFixed(1)} × ${hMm.toFixed(1)} mm, expected 24`);
});

test('thick slabs: MIP finds an off-plane marker, a thin plane does not, mean lies between', () => {
  const vol = phantom([30, 30, 30], [1, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], [{ at: [5, 0, 0], r: 1.5 }]);
  const thin = reformat(vol, 'sagittal', { centreMm: [0, 0, 0] });
  const mip = reformat(vol, 'sagittal', { centreMm: [0, 0, 0], slabMm: 14, slabMode: 'mip' });
  const mean = reformat(vol, 'sagittal', { centreMm: [0, 0, 0], slabMm: 14, slabMode: 'mean' });
  const max = (d: Float32Array): number => d.reduce((m, v) => (v > m ? v : m), -Infinity);
  assert.equal(max(thin.data), 0);
  assert.equal(max(mip.data), 1000);
  assert.ok(max(mean.data) > 50 && max(mean.data) < 500, `mean slab max ${max(mean.data)}`);
});

test('curved sagittal follows a scoliotic column that a flat plane cuts', () => {
  // A bright rod whose left-right position swings by ±15 mm over its height.
  const rodX = (z: number): number => 15 * Math.sin((z / 40) * Math.PI);
  const line: Vec3[] = [];
  for (let z = -40; z <= 40; z += 10) line.push([rodX(z), 0, z]);
  const vol = phantom([50, 20, 90], [1, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], []);
  let p = 0;
  for (let k = 0; k < 90; k++)
    for (let j = 0; j < 20; j++)
      for (let i = 0; i < 50; i++, p++) {
        const [x, y, z] = [vol.origin[0] + i, vol.origin[1] + j, vol.origin[2] + k];
        if (Math.abs(z) <= 40 && Math.hypot(x - rodX(z), y) <= 3) vol.data[p] = 1000;
      }
  const flat = reformat(vol, 'sagittal', { centreMm: [0, 0, 0] });
  const curved = curvedSagittal(vol, line);
  const rowsLit = (img: typeof flat): number => {
    let n = 0;
    for (let r = 0; r < img.height; r++) {
      let lit = false;
      for (let c = 0; c < img.width; c++) if (img.data[c + r * img.width]! > 500) lit = true;
      if (lit) n++;
    }
    return n;
  };
  assert.ok(rowsLit(curved) >= 80, `curved: ${rowsLit(curved)} rows show the rod`);
  assert.ok(rowsLit(flat) < 40, `flat: ${rowsLit(flat)} rows show the rod`);
});

test('bad geometry and data are typed errors', () => {
  const vol = phantom([4, 4, 4], [1, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], []);
  assert.throws(() => reformat({ ...vol, data: new Float32Array(5) }, 'axial'), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
  assert.throws(() => reformat({ ...vol, spacing: [1, 0, 1] }, 'axial'), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => reformat({ ...vol, origin: [NaN, 0, 0] }, 'axial'), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => reformat({ ...vol, spacing: [1, Infinity, 1] }, 'axial'), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => reformat(vol, 'axial', { pixelMm: -1 }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => reformat(vol, 'axial', { pixelMm: 1e-6 }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => reformat(vol, 'oblique' as Plane), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => curvedSagittal(vol, [[NaN, 0, 0]]), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});

test('degenerate volumes (one voxel, one slice) reformat without crashing', () => {
  const one = phantom([1, 1, 1], [1, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], [{ at: [0, 0, 0], r: 1 }]);
  for (const plane of ['axial', 'sagittal', 'coronal'] as const) {
    const img = reformat(one, plane);
    assert.deepEqual([img.width, img.height], [1, 1]);
    assert.equal(img.data[0], 1000);
  }
  const slice = phantom([20, 10, 1], [1, 2, 5], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], [{ at: [0, 0, 0], r: 30 }]);
  const sag = reformat(slice, 'sagittal', { slabMm: 10, slabMode: 'mip' });
  assert.equal(sag.pixelMm, 2); // finest in-plane spacing: P (2 mm) vs S (5 mm)
  assert.equal(sag.height, 3); // the 5 mm slab of the single slice, rounded to whole 2 mm pixels
  assert.ok(sag.data.every((v) => v === 1000));
});
