import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshOfMask, TRIANGLES } from '../src/morphology/mesh.js';
import { moranGeary } from '../src/morphology/spatial.js';
import { ellipsoidArea, symmetricEigenvalues3 } from '../src/morphology/geometry.js';
import { close, prepared } from './helpers.js';

test('marching cubes: single voxel is the octahedron through the edge midpoints', () => {
  const m = meshOfMask(Uint8Array.from([1]), 1, 1, 1, [1, 1, 1]);
  assert.ok(close(m.volume, 1 / 6));
  assert.ok(close(m.area, Math.sqrt(3)));
  assert.equal(m.vertices.length / 3, 6);
});

test('marching cubes: derived table has whole triangles for every mixed case', () => {
  assert.equal(TRIANGLES[0]!.length, 0);
  assert.equal(TRIANGLES[255]!.length, 0);
  for (let c = 1; c < 255; c++) {
    assert.equal(TRIANGLES[c]!.length % 3, 0);
    assert.ok(TRIANGLES[c]!.length >= 3);
  }
  assert.equal(TRIANGLES[1]!.length, 3); // one corner: one triangle
  assert.equal(TRIANGLES[3]!.length, 6); // one edge: a quad
});

test('marching cubes: a voxelised ball approaches the true volume and area', () => {
  const n = 41, r = 15, c = 20;
  const mask = new Uint8Array(n * n * n);
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++)
    mask[(z * n + y) * n + x] = (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r * r ? 1 : 0;
  const m = meshOfMask(mask, n, n, n, [0.5, 0.5, 0.5]);
  const rr = r * 0.5;
  assert.ok(Math.abs(m.volume / ((4 / 3) * Math.PI * rr ** 3) - 1) < 0.02, `volume ${m.volume}`);
  // binary marching cubes overestimates area (staircase), typically by 5–10 % on a ball
  const ratio = m.area / (4 * Math.PI * rr * rr);
  assert.ok(ratio > 1 && ratio < 1.12, `area ratio ${ratio}`);
});

test("Moran's I / Geary's C: FFT convolution equals the direct pair sum", () => {
  const nx = 7, ny = 6, nz = 5;
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const values = Array.from({ length: nx * ny * nz }, () => Math.round(rnd() * 100));
  const mask = Array.from({ length: nx * ny * nz }, () => (rnd() < 0.7 ? 1 : 0));
  const roi = prepared(nx, ny, nz, values, mask, [0.8, 0.8, 2]);
  const a = moranGeary(roi, 'direct'), b = moranGeary(roi, 'fft');
  assert.ok(close(b.moran, a.moran, 1e-9), `${a.moran} vs ${b.moran}`);
  assert.ok(close(b.geary, a.geary, 1e-9), `${a.geary} vs ${b.geary}`);
});

test('eigenvalues and ellipsoid area', () => {
  const ev = symmetricEigenvalues3([2, 1, 0, 1, 2, 0, 0, 0, 5]);
  assert.ok(close(ev[0], 5) && close(ev[1], 3) && close(ev[2], 1));
  assert.ok(close(ellipsoidArea(2, 2, 2), 4 * Math.PI * 4, 1e-9));
  // IBSI series for a=2, b=c=1 (α² = β² = 3/4): 4π·2·Σ (3/4)^ν/(1−4ν²)·P_ν(1), P_ν(1) = 1
  let series = 0;
  for (let nu = 0; nu <= 20; nu++) series += 0.75 ** nu / (1 - 4 * nu * nu);
  assert.ok(close(ellipsoidArea(2, 1, 1), 8 * Math.PI * series, 1e-9));
  assert.ok(Number.isFinite(ellipsoidArea(2, 2, 1)), 'oblate case (α = 0) stays finite');
});
