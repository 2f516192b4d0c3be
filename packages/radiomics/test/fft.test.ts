import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fft3d } from '../src/morphology/fft.js';

test('3D FFT matches a direct DFT and inverts', () => {
  const dims: [number, number, number] = [8, 4, 2];
  const n = 64;
  const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 5));
  const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
  const r0 = Float64Array.from(re), i0 = Float64Array.from(im);
  fft3d(re, im, dims, false);
  for (const [fx, fy, fz] of [[0, 0, 0], [3, 1, 1], [7, 2, 0]] as const) {
    let sr = 0, si = 0;
    for (let z = 0; z < 2; z++) for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) {
      const a = -2 * Math.PI * (fx * x / 8 + fy * y / 4 + fz * z / 2);
      const k = (z * 4 + y) * 8 + x;
      sr += r0[k]! * Math.cos(a) - i0[k]! * Math.sin(a);
      si += r0[k]! * Math.sin(a) + i0[k]! * Math.cos(a);
    }
    const k = (fz * 4 + fy) * 8 + fx;
    assert.ok(Math.abs(re[k]! - sr) < 1e-9 && Math.abs(im[k]! - si) < 1e-9);
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
