import { test } from 'node:test';
import assert from 'node:assert/strict';
import { growThroughBone } from '../src/segment/instances.js';
import { joinHalves, repairFragments } from '../src/segment/hybrid.js';
import { bodyFromVoxels, columnHeight } from '../src/segment/bodies.js';

/**
 * Two vertebrae on a 1-voxel-thick sagittal strip (x = 0): the upper one's spinous process (solid
 * bone, 600 HU) runs down from its seed for 7 voxels and ends next to the lower one's arch,
 * touching it through one partial-volume voxel (`contactHU`).
 */
function spinousProcessOnArch(contactHU: number): { lab: Uint8Array; g: { nx: number; ny: number; nz: number; hu: Float32Array }; filled: Uint8Array; at: (j: number, k: number) => number } {
  const [nx, ny, nz] = [1, 4, 11];
  const at = (j: number, k: number): number => j * nx + k * nx * ny;
  const hu = new Float32Array(nx * ny * nz);
  const filled = new Uint8Array(nx * ny * nz);
  const lab = new Uint8Array(nx * ny * nz);
  const bone = (j: number, k: number, h: number): void => {
    filled[at(j, k)] = 1;
    hu[at(j, k)] = h;
  };
  // upper seed at the top of column j = 0, its process down j = 0 to slice 3
  lab[at(0, 10)] = 1;
  bone(0, 10, 600);
  for (let k = 9; k >= 3; k--) bone(0, k, 600);
  // lower seed at slice 2 of column j = 2, arch reaching up column j = 2 to slice 3
  lab[at(2, 2)] = 2;
  bone(2, 2, 600);
  bone(2, 3, 600);
  // contact between the tip of the process (0, 3) and the arch (2, 3)
  bone(1, 3, contactHU);
  return { lab, g: { nx, ny, nz, hu }, filled, at };
}

test('growThroughBone: a spinous process resting on the arch below through faint bone stays with its own vertebra', () => {
  const s = spinousProcessOnArch(200);
  growThroughBone(s.g, s.filled, s.lab, () => true);
  for (let k = 3; k <= 9; k++) assert.equal(s.lab[s.at(0, k)], 1, `process slice ${k}`);
  assert.equal(s.lab[s.at(2, 3)], 2);
});

test('growThroughBone: through solid bone the nearer seed wins (plain geodesic distance)', () => {
  const s = spinousProcessOnArch(600);
  growThroughBone(s.g, s.filled, s.lab, () => true);
  // the lower seed is 3 steps from the tip, the upper one 7: the tip goes to the lower one
  assert.equal(s.lab[s.at(0, 3)], 2);
  assert.equal(s.lab[s.at(0, 9)], 1);
});

test('growThroughBone: `may` confines each label, and equal distances go to the upper (lower label) vertebra', () => {
  const s = spinousProcessOnArch(600);
  growThroughBone(s.g, s.filled, s.lab, (q, l) => l === 2 || q !== s.at(0, 3));
  assert.equal(s.lab[s.at(0, 3)], 2);
  // symmetric strip: one voxel between two seeds at equal distance
  const g = { nx: 3, ny: 1, nz: 1, hu: new Float32Array([600, 600, 600]) };
  const lab = new Uint8Array([1, 0, 2]);
  growThroughBone(g, new Uint8Array([1, 1, 1]), lab, () => true);
  assert.deepEqual([...lab], [1, 1, 2]);
});

/** Bodies as boxes of slices on a 10×10 grid; column position = slices from the top. */
function stack(ranges: [number, number][]): { bodies: ReturnType<typeof bodyFromVoxels>[]; g: { nx: number; ny: number; nz: number; sp: number; hu: Float32Array }; columnPos: (p: number) => number } {
  const [nx, ny, nz, sp] = [10, 10, 120, 2];
  const g = { nx, ny, nz, sp, hu: new Float32Array(nx * ny * nz).fill(200) };
  const columnPos = (p: number): number => nz - 1 - Math.floor(p / (nx * ny));
  const bodies = ranges.map(([k0, k1]) => {
    const v: number[] = [];
    for (let k = k0; k <= k1; k++) for (let j = 2; j < 8; j++) for (let i = 2; i < 8; i++) v.push(i + j * nx + k * nx * ny);
    return bodyFromVoxels(Int32Array.from(v), g, columnPos);
  });
  return { bodies: bodies.sort((a, b) => b.centroid[2] - a.centroid[2]), g, columnPos };
}

test('repairFragments joins a short piece to the neighbour it touches', () => {
  // whole bodies 12 slices tall with 4-slice discs; the third one broken into 6 + 5 slices with a one-slice gap
  const { bodies, g, columnPos } = stack([[100, 111], [84, 95], [74, 79], [68, 72], [52, 63], [36, 47], [20, 31]]);
  const out = repairFragments(bodies, g, columnPos);
  assert.equal(out.length, 6);
  assert.deepEqual(out.map(columnHeight), [12, 12, 12, 12, 12, 12]);
});

test('joinHalves: two pieces short along their own axis with no disc between are one body', () => {
  // Column heights look whole (12), but the caller's height (along each body's axis) says the
  // fourth and fifth are halves; marrow (200 HU) runs through between them.
  const { bodies, g, columnPos } = stack([[100, 111], [86, 97], [72, 83], [58, 69], [45, 56], [30, 41], [16, 27]]);
  const halves = new Set([bodies[3], bodies[4]]);
  const height = (b: (typeof bodies)[number]): number => (halves.has(b) ? 6 : columnHeight(b));
  const out = joinHalves(bodies, g, columnPos, height);
  assert.equal(out.length, 6);
  assert.deepEqual([out[3]!.k0, out[3]!.k1], [45, 69]);
  // With a disc (80 HU) between bright endplates (400 HU) at slices 56–58 they stay apart: two
  // crushed bodies, not one broken one.
  const nxy = g.nx * g.ny;
  for (let p = 56 * nxy; p < 59 * nxy; p++) g.hu[p] = Math.floor(p / nxy) === 57 ? 80 : 400;
  assert.equal(joinHalves(bodies, g, columnPos, height).length, 7);
});

test('joinHalves: a short piece next to a whole body is left alone', () => {
  const { bodies, g, columnPos } = stack([[100, 111], [86, 97], [72, 83], [58, 69], [45, 56], [30, 41], [16, 27]]);
  const height = (b: (typeof bodies)[number]): number => (b === bodies[3] ? 6 : columnHeight(b));
  assert.equal(joinHalves(bodies, g, columnPos, height).length, 7);
});
