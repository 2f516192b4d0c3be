import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import type { Geometry } from '@rachis/imaging';
import { buildInstances, growThroughBone, withoutForwardJumps } from '../src/segment/instances.js';
import type { Instances } from '../src/segment/instances.js';
import type { CanalPath } from '../src/segment/canal.js';
import { straightCanal } from './fixtures.js';
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

/**
 * One vertebral body (lateral ±20 mm, 10–40 mm in front of the canal centre, slices 4–15) on a
 * 160 × 100 × 40 mm grid, with a 200 HU slab reaching 70 mm out to the right, touching either
 * the front of the body (an enhanced kidney and renal vein on the cava) or its side behind the
 * body's mid-depth (as a sacral ala or transverse process does), or free (not touching it) from
 * 24 mm to 70 mm lateral, in front of the body or behind the canal centre (a rib whose joints
 * read as a gap).
 */
function bodyWithSlab(touch: 'front' | 'back' | 'free front' | 'free back'): Instances {
  const [nx, ny, nz, sp] = [80, 50, 20, 2];
  const nxy = nx * ny;
  const hu = new Float32Array(nxy * nz).fill(-100);
  const filled = new Uint8Array(nxy * nz);
  const voxels: number[] = [];
  for (let k = 4; k <= 15; k++) {
    for (let j = 15; j <= 30; j++) for (let i = 30; i <= 50; i++) voxels.push(i + j * nx + k * nxy);
    const slab: Record<typeof touch, [number, number, number]> = { front: [10, 14, 40], back: [27, 29, 29], 'free front': [8, 10, 28], 'free back': [36, 38, 28] };
    const [j0, j1, i1] = slab[touch];
    for (let j = j0; j <= j1; j++) for (let i = 5; i <= i1; i++) hu[i + j * nx + k * nxy] = 200;
  }
  for (const p of voxels) hu[p] = 250;
  for (let p = 0; p < hu.length; p++) if (hu[p]! >= 150) filled[p] = 1;
  const geometry: Geometry = { size: [nx, ny, nz], spacing: [sp, sp, sp], origin: [0, 0, 0], direction: IDENTITY_DIRECTION };
  const g = { nx, ny, nz, sp, hu, geometry };
  const canal: CanalPath = straightCanal(nz, nxy * nz, 80, 70, 10);
  const columnPos = (p: number): number => nz - 1 - Math.floor(p / nxy);
  const body = bodyFromVoxels(Int32Array.from(voxels), g, columnPos);
  return buildInstances(g, canal, [body], filled, columnPos);
}

test('buildInstances: bone reached only through the front of a body is no wing or rib evidence; beside its back it is', () => {
  const front = bodyWithSlab('front').evidence[0]!;
  assert.equal(front.wingMl, 0);
  assert.equal(front.lateralRightMl, 0);
  // reached through the front all the same: not free bone that could pass for a loose rib
  assert.equal(front.looseRibRightMl, 0);
  const back = bodyWithSlab('back').evidence[0]!;
  // 16 × 3 × 12 voxels ≥ 40 mm lateral within the body's slices, 8 µL each
  assert.ok(Math.abs(back.wingMl - 4.608) < 1e-6, `wing ${back.wingMl}`);
  assert.ok(back.lateralRightMl > 0);
});

test('buildInstances: free bone in front of a body is no loose rib; behind it, beside the canal, it is', () => {
  assert.equal(bodyWithSlab('free front').evidence[0]!.looseRibRightMl, 0);
  // 24 × 3 × 12 voxels, 8 µL each
  assert.ok(Math.abs(bodyWithSlab('free back').evidence[0]!.looseRibRightMl - 6.912) < 1e-6);
});

/**
 * Two bodies (slices 4–15 and 20–31, 2 mm voxels; larger k is cranial) in front of a straight
 * canal. The lower one's superior articular processes (pillars 20–24 mm either side of the
 * midline) rise to slice 19 and touch a lamina behind the canal at slices 17–25, whose top joins
 * the upper body's pedicles (slices 24–28). From the lower body the lamina's bottom is 12 steps
 * away, from the upper one 17.
 */
function laminaAboveLowerBody(): { inst: Instances; at: (i: number, j: number, k: number) => number } {
  const [nx, ny, nz, sp] = [80, 50, 40, 2];
  const nxy = nx * ny;
  const at = (i: number, j: number, k: number): number => i + j * nx + k * nxy;
  const hu = new Float32Array(nxy * nz).fill(-100);
  const box = (i0: number, i1: number, j0: number, j1: number, k0: number, k1: number): number[] => {
    const out: number[] = [];
    for (let k = k0; k <= k1; k++) for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) out.push(at(i, j, k));
    return out;
  };
  const lower = box(30, 50, 15, 30, 4, 15);
  const upper = box(30, 50, 15, 30, 20, 31);
  const bone = [...lower, ...upper, ...box(28, 30, 31, 42, 12, 19), ...box(50, 52, 31, 42, 12, 19), ...box(28, 52, 40, 42, 17, 25), ...box(31, 33, 31, 39, 24, 28), ...box(47, 49, 31, 39, 24, 28)];
  for (const p of bone) hu[p] = 600;
  const filled = Uint8Array.from(hu, (v) => (v >= 150 ? 1 : 0));
  const geometry: Geometry = { size: [nx, ny, nz], spacing: [sp, sp, sp], origin: [0, 0, 0], direction: IDENTITY_DIRECTION };
  const g = { nx, ny, nz, sp, hu, geometry };
  const columnPos = (p: number): number => nz - 1 - Math.floor(p / nxy);
  const bodies = [upper, lower].map((v) => bodyFromVoxels(Int32Array.from(v), g, columnPos));
  return { inst: buildInstances(g, straightCanal(nz, nxy * nz, 80, 70, 10), bodies, filled, columnPos), at };
}

test('buildInstances: a lamina behind the canal above a body goes to the vertebra above, even where the lower front reaches it first', () => {
  const { inst, at } = laminaAboveLowerBody();
  for (let k = 17; k <= 25; k++) assert.equal(inst.instance[at(40, 41, k)], 1, `midline lamina, slice ${k}`);
  // the superior articular processes beside the canal stay with the body below
  assert.equal(inst.instance[at(29, 35, 18)], 2);
  assert.equal(inst.instance[at(51, 35, 18)], 2);
});

test('withoutForwardJumps puts a canal that slipped forward for a few slices back, and leaves steady curves, backward moves and the half-depth of a steady centre alone', () => {
  const nz = 40;
  const canal = straightCanal(nz, 1, 100, 180, 12);
  // slices 20–23: the traced centre slipped 13 mm forward into a low-density body's marrow
  for (let k = 20; k <= 23; k++) {
    canal.y[k] = 167;
    canal.posteriorGapMm[k] = 4;
  }
  // slices 30–39: a steady turn backwards (the sacral canal), 1.5 mm per slice
  for (let k = 30; k < nz; k++) canal.y[k] = 180 + 1.5 * (k - 29);
  // slice 10: the plane moves 10 mm back for one slice (a backward jump: left alone); slice 15: the
  // arch lies 8 mm further back, the centre holds (the half-depth follows the arch: left alone)
  canal.posteriorGapMm[10] = 2;
  canal.posteriorGapMm[15] = 20;
  const { cy, gapK } = withoutForwardJumps(canal, 5);
  for (let k = 20; k <= 23; k++) {
    assert.equal(cy[k], 180, `centre at slice ${k}`);
    assert.equal(cy[k]! - gapK[k]!, 168, `body-wall plane at slice ${k}`);
  }
  for (let k = 30; k < nz; k++) assert.equal(cy[k], canal.y[k], `steady curve at slice ${k}`);
  assert.equal(gapK[10], 2);
  assert.equal(gapK[15], 20);
  assert.equal(cy[5], 180);
  assert.equal(gapK[5], 12);
});
