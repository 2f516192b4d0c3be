import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Geometry, Vec3 } from '@rachis/imaging';
import { crop, indexToWorld, pad, resampleToGeometry, resampleToSpacing, worldToIndex } from '@rachis/imaging';
import { geometry, idx, randomFloat, rng, rotation } from './random.js';

/** Direct trilinear formula at continuous index c (all 8 neighbours inside). */
function trilinear(g: Geometry, data: ArrayLike<number>, c: Vec3): number {
  const [x, y, z] = c;
  const [i, j, k] = [Math.floor(x), Math.floor(y), Math.floor(z)];
  let v = 0;
  for (const [a, b, d] of [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1], [1, 1, 1]] as const) {
    const w = (a ? x - i : 1 - (x - i)) * (b ? y - j : 1 - (y - j)) * (d ? z - k : 1 - (z - k));
    if (w > 0) v += w * data[idx(g, i + a, j + b, k + d)]!;
  }
  return v;
}

function checkAgainstFormula(src: ReturnType<typeof randomFloat>, target: Geometry): void {
  const lin = resampleToGeometry(src, target, 'linear', -5000);
  const nn = resampleToGeometry(src, target, 'nearest', -5000);
  assert.ok(lin.data instanceof Float32Array);
  assert.deepEqual([...lin.size], [...target.size]);
  let inside = 0;
  let outside = 0;
  for (let k = 0; k < target.size[2]; k++) for (let j = 0; j < target.size[1]; j++) for (let i = 0; i < target.size[0]; i++) {
    const c = worldToIndex(src, indexToWorld(target, [i, j, k]));
    const p = idx(target, i, j, k);
    const within = c.every((v, a) => v >= 0 && v <= src.size[a]! - 1);
    const beyond = c.some((v, a) => v < -0.5 - 1e-6 || v > src.size[a]! - 0.5 + 1e-6);
    if (within) {
      inside++;
      assert.ok(Math.abs(lin.data[p]! - trilinear(src, src.data, c)) < 1e-2, `linear at ${i},${j},${k}`);
      const r = c.map(Math.round) as unknown as Vec3;
      assert.equal(nn.data[p], src.data[idx(src, r[0], r[1], r[2])]);
    } else if (beyond) {
      outside++;
      assert.equal(lin.data[p], -5000);
      assert.equal(nn.data[p], -5000);
    }
  }
  assert.ok(inside > 50 && outside > 50, `inside ${inside}, outside ${outside}`);
}

test('resampleToGeometry equals the direct trilinear / nearest formula between oblique grids', () => {
  const src = randomFloat(geometry([9, 8, 7], [0.7, 1.1, 2.3], rotation(0.2, -0.3, 0.5), [0, 0, 0]), 11);
  // An oblique target (general path) and one sharing the source direction (separable path).
  checkAgainstFormula(src, geometry([11, 10, 9], [0.9, 0.8, 1.3], rotation(-0.1, 0.4, 0.2), [-2, 1, 1.5]));
  checkAgainstFormula(src, geometry([13, 12, 11], [0.6, 0.9, 1.7], src.direction, [-1.3, 0.4, -2.2]));
});

test('resampling onto the same grid is the identity; integer data is rounded and keeps its type', () => {
  const g = geometry([5, 4, 3], [0.7, 1.1, 2.3], rotation(0.3, 0.2, 0.1));
  const r = rng(3);
  const img = { ...g, data: Int16Array.from({ length: 60 }, () => Math.floor(r() * 2000) - 1000), meta: { modality: 'CT' } };
  const same = resampleToGeometry(img, g, 'linear');
  assert.deepEqual(Array.from(same.data), Array.from(img.data));
  assert.equal(same.meta.modality, 'CT');
  const half = resampleToSpacing(img, [0.35, 0.55, 1.15], 'linear');
  assert.ok(half.data instanceof Int16Array);
  assert.deepEqual([...half.size], [9, 7, 5]);
  assert.ok(half.data.every(Number.isInteger));
  // Voxel (2,2,2) of the half grid sits on source voxel (1,1,1).
  assert.equal(half.data[idx(half, 2, 2, 2)], img.data[idx(g, 1, 1, 1)]);
  // Midpoint between two source voxels along i is their rounded mean.
  assert.ok(Math.abs(half.data[idx(half, 1, 0, 0)]! - (img.data[0]! + img.data[1]!) / 2) <= 0.5 + 1e-9);
  const coarse = resampleToSpacing(img, [1.4, 2.2, 4.6], 'nearest');
  assert.deepEqual([...coarse.size], [3, 2, 2]);
  assert.equal(coarse.data[idx(coarse, 1, 1, 1)], img.data[idx(g, 2, 2, 2)]);
});

test('crop and pad move the origin so voxels keep their world position', () => {
  const g = geometry([9, 8, 7], [0.7, 1.1, 2.3], rotation(0.3, -0.2, 1.1));
  const img = randomFloat(g, 4);
  const c = crop(img, [2, 1, 3], [7, 20, 5]);
  assert.deepEqual([...c.size], [5, 7, 2]);
  for (let k = 0; k < 2; k++) for (let j = 0; j < 7; j++) for (let i = 0; i < 5; i++) {
    assert.equal(c.data[idx(c, i, j, k)], img.data[idx(g, i + 2, j + 1, k + 3)]);
    const a = indexToWorld(c, [i, j, k]);
    const b = indexToWorld(g, [i + 2, j + 1, k + 3]);
    for (let x = 0; x < 3; x++) assert.ok(Math.abs(a[x]! - b[x]!) < 1e-9);
  }
  const p = pad(c, [1, 0, 2], [0, 3, 1], -7);
  assert.deepEqual([...p.size], [6, 10, 5]);
  assert.equal(p.data[0], -7);
  assert.equal(p.data[idx(p, 1, 0, 2)], c.data[0]);
  const back = crop(p, [1, 0, 2], [6, 7, 4]);
  assert.deepEqual(Array.from(back.data), Array.from(c.data));
  for (let x = 0; x < 3; x++) assert.ok(Math.abs(back.origin[x]! - c.origin[x]!) < 1e-9);
  assert.throws(() => crop(img, [5, 5, 5], [5, 9, 9]), /empty box/);
});
