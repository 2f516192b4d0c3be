import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat3 } from '@rachis/imaging';
import { gaussianKernel, gaussianSmooth, histogram, indexToWorld, orientationCode, reorient, statistics } from '@rachis/imaging';
import { coords } from './reference.js';
import { geometry, idx, randomFloat, randomMask, rng, rotation } from './random.js';

const G = geometry([9, 8, 7], [0.7, 1.1, 2.3]);

function naiveStats(values: number[]): Record<string, number> {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const pct = (q: number): number => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    return lo + 1 < n ? v[lo]! + (pos - lo) * (v[lo + 1]! - v[lo]!) : v[lo]!;
  };
  return { count: n, mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n), min: v[0]!, max: v[n - 1]!, median: pct(0.5), p5: pct(0.05), p95: pct(0.95), sum: mean * n };
}

test('statistics equal the naive sorted computation (float, int16 counting path, masked, empty)', () => {
  const r = rng(9);
  const f = randomFloat(G, 21);
  const i16 = { ...G, data: Int16Array.from({ length: f.data.length }, () => Math.floor(r() * 3000) - 1024) };
  const u8 = { ...G, data: Uint8Array.from({ length: f.data.length }, () => Math.floor(r() * 256)) };
  const mask = randomMask(G, 0.3, 22);
  const ties = { ...G, data: Float32Array.from({ length: f.data.length }, () => Math.round(r() * 4)) };
  const i32 = { ...G, data: Int32Array.from({ length: f.data.length }, () => Math.floor(r() * 2e9) - 1e9) };
  for (const img of [f, i16, u8, ties, i32]) {
    for (const m of [undefined, mask]) {
      const vals = Array.from(img.data).filter((_, p) => !m || m.data[p]);
      const got = statistics(img, m);
      const want = naiveStats(vals);
      for (const key of Object.keys(want)) {
        const a = got[key as keyof typeof got];
        const b = want[key]!;
        assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${img.data.constructor.name} ${key}: ${a} vs ${b}`);
      }
    }
  }
  const empty = statistics(f, { ...G, data: new Uint8Array(f.data.length) });
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.mean));
  assert.throws(() => statistics(f, { ...geometry([9, 8, 6]), data: new Uint8Array(9 * 8 * 6) }), /geometries differ/);
});

test('histogram counts each value once in the right bin', () => {
  const f = randomFloat(G, 23, -10, 10);
  const h = histogram(f, 7);
  assert.equal(h.edges.length, 8);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), f.data.length);
  for (let b = 0; b < 7; b++) {
    const naive = Array.from(f.data).filter((v) => v >= h.edges[b]! && (b === 6 ? v <= h.edges[7]! : v < h.edges[b + 1]!)).length;
    assert.equal(h.counts[b], naive);
  }
  const ranged = histogram(f, 4, [0, 5], randomMask(G, 0.5, 24));
  assert.deepEqual(ranged.edges, [0, 1.25, 2.5, 3.75, 5]);
});

test('gaussianSmooth equals brute-force 3-D convolution with the product kernel (edge replicate)', () => {
  const img = randomFloat(G, 25);
  const sigma: [number, number, number] = [0.9, 1.5, 2.0];
  const out = gaussianSmooth(img, sigma).data;
  const ks = [0, 1, 2].map((a) => gaussianKernel(sigma[a]! / G.spacing[a]!));
  const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));
  for (let p = 0; p < out.length; p += 7) {
    const [i, j, k] = coords(G, p);
    let acc = 0;
    const [kx, ky, kz] = ks as [Float64Array, Float64Array, Float64Array];
    const [rx, ry, rz] = [(kx.length - 1) / 2, (ky.length - 1) / 2, (kz.length - 1) / 2];
    for (let c = -rz; c <= rz; c++) for (let b = -ry; b <= ry; b++) for (let a = -rx; a <= rx; a++) {
      acc += kx[a + rx]! * ky[b + ry]! * kz[c + rz]! * img.data[idx(G, clamp(i + a, 9), clamp(j + b, 8), clamp(k + c, 7))]!;
    }
    assert.ok(Math.abs(out[p]! - acc) < 1e-2, `p=${p}: ${out[p]} vs ${acc}`);
  }
  // A constant image stays constant; sigma 0 is the identity.
  const c = gaussianSmooth({ ...G, data: new Float32Array(504).fill(42) }, 3).data;
  assert.ok(c.every((v) => Math.abs(v - 42) < 1e-4));
  assert.deepEqual(Array.from(gaussianSmooth(img, 0).data), Array.from(img.data));
});

test('orientationCode names the LPS letter of each axis', () => {
  assert.equal(orientationCode([1, 0, 0, 0, 1, 0, 0, 0, 1]), 'LPS');
  assert.equal(orientationCode([-1, 0, 0, 0, -1, 0, 0, 0, 1]), 'RAS');
  // i → P, j → S, k → R (a sagittal stack)
  assert.equal(orientationCode([0, 0, -1, 1, 0, 0, 0, 1, 0]), 'PSR');
  assert.equal(orientationCode(rotation(0.2, 0.1, -0.3)), 'LPS');
});

test('reorient permutes/flips voxels without moving them in the world, and round-trips', () => {
  const sag = [0, 0, -1, 1, 0, 0, 0, 1, 0] as unknown as Mat3;
  const oblique = rotation(0.25, -0.15, 2.8); // mostly flipped in x/y
  for (const dir of [sag, oblique]) {
    const img = { ...randomFloat(geometry([9, 8, 7], [0.7, 1.1, 2.3], dir, [5, -3, 12]), 30), meta: { modality: 'MR' } };
    const original = orientationCode(dir);
    for (const code of ['LPS', 'RAS', 'SAL', 'IRP']) {
      const re = reorient(img, code);
      assert.equal(orientationCode(re.direction), code);
      assert.equal(re.meta.modality, 'MR');
      // Every voxel keeps its value at the same world position.
      for (let p = 0; p < re.data.length; p += 5) {
        const w = indexToWorld(re, coords(re, p));
        const src = img.data.findIndex((_, q) => {
          const v = indexToWorld(img, coords(img, q));
          return Math.abs(v[0] - w[0]) + Math.abs(v[1] - w[1]) + Math.abs(v[2] - w[2]) < 1e-6;
        });
        assert.ok(src >= 0, 'voxel centre must exist in the source');
        assert.equal(re.data[p], img.data[src]);
      }
      const back = reorient(re, original);
      assert.deepEqual(Array.from(back.data), Array.from(img.data));
      assert.deepEqual([...back.size], [...img.size]);
      for (let x = 0; x < 3; x++) assert.ok(Math.abs(back.origin[x]! - img.origin[x]!) < 1e-9);
      for (let x = 0; x < 9; x++) assert.ok(Math.abs(back.direction[x]! - img.direction[x]!) < 1e-12);
    }
  }
  assert.throws(() => reorient(randomFloat(G, 1), 'LLS'), /must name each/);
});
