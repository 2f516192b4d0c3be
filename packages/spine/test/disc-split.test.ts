import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';
import { splitBodiesAtDiscs } from '../src/segment/disc-split.js';

/**
 * Two bodies (i, j 10–29; 1 mm) around a wedge disc (80 HU) between tilted endplates (400 HU):
 * the upper body's inferior face at k = 32 + 0.15 (j − 20), the lower body's superior face at
 * k = 24 − 0.1 (j − 20) (a 14° wedge), so the disc is 5.5 mm thick at j = 10 and 10.3 mm at j = 29.
 * Marrow 200 HU.
 * k grows cranially (identity direction: +z is superior).
 */
let upperFace = (j: number): number => 32 + 0.15 * (j - 20);
let lowerFace = (j: number): number => 24 - 0.1 * (j - 20);
const inBlock = (i: number, j: number, k: number): boolean => i >= 10 && i < 30 && j >= 10 && j < 30 && k >= 5 && k < 55;
const truth = (j: number, k: number): 'upper' | 'lower' | 'disc' => (k >= upperFace(j) ? 'upper' : k < lowerFace(j) ? 'lower' : 'disc');

function wedgePair(cut: (j: number) => number, marrow = 200): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array } {
  const size = [40, 40, 60] as const;
  const data = new Float32Array(size[0] * size[1] * size[2]);
  const instance = new Uint8Array(data.length);
  const part = new Uint8Array(data.length);
  for (let k = 0; k < 60; k++) for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) {
    const p = i + j * 40 + k * 1600;
    if (!inBlock(i, j, k)) {
      data[p] = -80;
      continue;
    }
    const t = truth(j, k);
    const endplate = (t === 'upper' && k < upperFace(j) + 1) || (t === 'lower' && k >= lowerFace(j) - 1);
    data[p] = t === 'disc' ? 80 : endplate ? 400 : marrow;
    // The work grid's single cutting plane: everything in the block, disc included, on one side of it.
    instance[p] = k >= cut(j) ? 1 : 2;
    part[p] = 1;
  }
  return { v: { size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data, meta: { modality: 'CT' } }, instance, part };
}

/** Voxels farther than 1 mm from either face whose label is wrong (disc: not unlabelled). */
function wrong(instance: Uint8Array): { bone: number; disc: number } {
  let bone = 0;
  let disc = 0;
  for (let k = 5; k < 55; k++) for (let j = 10; j < 30; j++) for (let i = 10; i < 30; i++) {
    if (Math.min(Math.abs(k - upperFace(j)), Math.abs(k - lowerFace(j))) <= 1) continue;
    const l = instance[i + j * 40 + k * 1600];
    const t = truth(j, k);
    if (t === 'disc') disc += l ? 1 : 0;
    else bone += l !== (t === 'upper' ? 1 : 2) ? 1 : 0;
  }
  return { bone, disc };
}

test('splitBodiesAtDiscs returns the lips cut off by a single plane to their bodies and takes the wedge disc out of both', () => {
  // A cutting plane steeper than both faces: the upper body's front lip lies below it and the
  // lower body's back lip above it.
  const { v, instance, part } = wedgePair((j) => 28 + 0.9 * (j - 20));
  const before = wrong(instance);
  assert.ok(before.bone > 50 && before.disc > 500, `the single cut is wrong first (${JSON.stringify(before)})`);
  splitBodiesAtDiscs(v, instance, part, new Set([1]));
  assert.deepEqual(wrong(instance), { bone: 0, disc: 0 });
  assert.equal(part[20 + 20 * 40 + 28 * 1600], 0, 'the part label leaves the disc too');
});

test('splitBodiesAtDiscs leaves two bodies alone when no disc separates them', () => {
  // One uniform block of marrow cut in two: no dark run, no planes, nothing changes.
  const { v, instance, part } = wedgePair((j) => 28 + 0.5 * (j - 20));
  v.data.forEach((x, p) => {
    if (x === 80) v.data[p] = 200;
  });
  const before = instance.slice();
  splitBodiesAtDiscs(v, instance, part, new Set([1]));
  assert.deepEqual(instance, before);
});

test('splitBodiesAtDiscs leaves low-density bodies alone: their marrow reads like disc', () => {
  // Marrow 95 HU (osteoporotic): a dark run between two plates may be a body's own marrow. Even
  // with the cut inside the disc (which alone would give consistent planes) nothing changes.
  const { v, instance, part } = wedgePair((j) => (upperFace(j) + lowerFace(j)) / 2, 95);
  const before = instance.slice();
  splitBodiesAtDiscs(v, instance, part, new Set([1]));
  assert.deepEqual(instance, before);
});

test('splitBodiesAtDiscs does not trust two faces tilted apart by more than a disc wedge', () => {
  // A 30° "wedge": not the two faces of one disc (in real data, a plane through marrow runs).
  const [keepUpper, keepLower] = [upperFace, lowerFace];
  upperFace = (j) => 32 + 0.3 * (j - 20);
  lowerFace = (j) => 24 - 0.25 * (j - 20);
  try {
    const { v, instance, part } = wedgePair((j) => 28 + 0.9 * (j - 20));
    const before = instance.slice();
    splitBodiesAtDiscs(v, instance, part, new Set([1]));
    assert.deepEqual(instance, before);
  } finally {
    [upperFace, lowerFace] = [keepUpper, keepLower];
  }
});
