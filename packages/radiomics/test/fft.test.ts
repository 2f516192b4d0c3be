import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft3d, nextFftSize } from '../src/morphology/fft.js';

test('FFT sizes: 2^k or 3·2^k', () => {
  assert.deepEqual([1, 2, 3, 5, 7, 13, 25, 97, 145, 199].map(nextFftSize), [1, 2, 3, 6, 8, 16, 32, 128, 192, 256]);
});

for (const dims of [[8, 4, 2], [12, 6, 3], [6, 8, 12]] as [number, number, number][])
test(`3D FFT ${dims.join('×')} matches a direct DFT and inverts`, () => {
  const n = dims[0] * dims[1] * dims[2];
  const [X, Y, Z] = dims;
  const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 5));
  const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
  const r0 = Float64Array.from(re), i0 = Float64Array.from(im);
  fft3d(re, im, dims, false);
  for (const [fx, fy, fz] of [[0, 0, 0], [3, 1, 1], [X - 1, Y - 1, Z - 1], [X >> 1, 1, Z >> 1]] as const) {
    let sr = 0, si = 0;
    for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) {
      const a = -2 * Math.PI * (fx * x / X + fy * y / Y + fz * z / Z);
      const k = (z * Y + y) * X + x;
      sr += r0[k]! * Math.cos(a) - i0[k]! * Math.sin(a);
      si += r0[k]! * Math.sin(a) + i0[k]! * Math.cos(a);
    }
    const k = (fz * Y + fy) * X + fx;
    assert.ok(Math.abs(re[k]! - sr) < 1e-9 && Math.abs(im[k]! - si) < 1e-9, `${dims} f=${fx},${fy},${fz}: ${re[k]} vs ${sr}`);
  }
  fft3d(re, im, dims, true);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(re[k]! - r0[k]!) < 1e-12 && Math.abs(im[k]! - i0[k]!) < 1e-12);
});

test('3D FFT with a support box equals the full transform where it matters', () => {
  const dims: [number, number, number] = [8, 8, 4];
  const n = 256;
  const a = new Float64Array(n), ai = new Float64Array(n);
  for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) { a[(z * 8 + y) * 8 + x] = x - y + 2 * z; ai[(z * 8 + y) * 8 + x] = 1; }
  const b = Float64Array.from(a), bi = Float64Array.from(ai);
  fft3d(a, ai, dims, false);
  fft3d(b, bi, dims, false, [5, 3, 2]);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-9 && Math.abs(ai[k]! - bi[k]!) < 1e-9);
  fft3d(a, ai, dims, true);
  fft3d(b, bi, dims, true, [5, 3, 2]);
  for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) {
    const k = (z * 8 + y) * 8 + x;
    assert.ok(Math.abs(a[k]! - b[k]!) < 1e-9 && Math.abs(ai[k]! - bi[k]!) < 1e-9);
  }
});
