import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexToWorld, solve3, worldToIndex } from '@rachis/imaging';
import { geometry, rng, rotation } from './random.js';

test('indexToWorld = origin + D·diag(s)·ijk, and worldToIndex inverts it', () => {
  const r = rng(5);
  const g = geometry([9, 8, 7], [0.7, 1.1, 2.3], rotation(0.4, -1.2, 2.0), [10, -20, 30]);
  const D = g.direction;
  for (let t = 0; t < 50; t++) {
    const ijk: [number, number, number] = [r() * 10 - 1, r() * 10, r() * 7];
    const w = indexToWorld(g, ijk);
    for (let row = 0; row < 3; row++) {
      let e = g.origin[row]!;
      for (let c = 0; c < 3; c++) e += D[row * 3 + c]! * g.spacing[c]! * ijk[c]!;
      assert.ok(Math.abs(w[row]! - e) < 1e-9);
    }
    const back = worldToIndex(g, w);
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(back[a]! - ijk[a]!) < 1e-9);
  }
  assert.deepEqual(indexToWorld(g, [0, 0, 0]), g.origin);
});

test('solve3 solves a 3×3 system and refuses a singular one', () => {
  const x = solve3([2, 1, 0, 1, 3, 1, 0, 1, 4], [3, 5, 5]);
  assert.ok(x);
  for (const [i, v] of [1, 1, 1].entries()) assert.ok(Math.abs(x[i]! - v) < 1e-12);
  assert.equal(solve3([1, 2, 3, 2, 4, 6, 0, 1, 1], [1, 2, 3]), undefined);
});
