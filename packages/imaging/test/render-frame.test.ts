import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRachisError } from '@rachis/imaging';
import type { Geometry } from '@rachis/imaging';
import { planeGrid } from '@rachis/imaging/render';

const g: Geometry = { size: [100, 80, 20], spacing: [1, 1, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

test('colRangeMm frames the horizontal extent of a sagittal grid (LPS y) and clips it to the volume', () => {
  const full = planeGrid(g, 'sagittal', { pixelMm: 1 });
  const framed = planeGrid(g, 'sagittal', { pixelMm: 1, colRangeMm: [20, 50] });
  assert.equal(full.width, 80);
  assert.equal(framed.width, 30);
  assert.equal(framed.height, full.height);
  assert.ok(Math.abs(framed.originMm[1] - 20.5) < 1e-9, `first column centre at y = 20.5, got ${framed.originMm[1]}`);
  const clipped = planeGrid(g, 'sagittal', { pixelMm: 1, colRangeMm: [60, 500] });
  assert.equal(clipped.width, Math.round(79.5 - 60));
});

test('a colRangeMm outside the image is a typed error', () => {
  assert.throws(() => planeGrid(g, 'coronal', { pixelMm: 1, colRangeMm: [500, 600] }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});
