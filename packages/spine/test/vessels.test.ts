import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import { detectVessels, eraseVessels } from '../src/segment/vessels.js';
import { detectBodies } from '../src/segment/bodies.js';
import { buildColumn } from '../src/segment/column.js';
import type { CanalPath } from '../src/segment/canal.js';
import { straightCanal } from './fixtures.js';
import type { WorkGrid } from '../src/segment/grid.js';

// A 2 mm work grid, 40 slices: canal centre at (80, 120) mm, a vertebral body (cortex 700 HU,
// textured marrow) right in front of it, and an enhanced aorta touching the body's front, in fat.
const SP = 2;
const NX = 80;
const NY = 80;
const BODY = { x: 80, y: 94, rx: 20, ry: 17 };
const AORTA = { x: 86, y: 68, r: 11 };

interface Scene { lumenHU: number; marrowHU: number; aortaSlices?: [number, number]; nz?: number; calcifiedSlice?: number }

function scene(s: Scene): { g: WorkGrid; canal: CanalPath; inBody: (p: number) => boolean; inLumen: (p: number) => boolean } {
  const nz = s.nz ?? 40;
  const n = NX * NY * nz;
  const hu = new Float32Array(n);
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  const [a0, a1] = s.aortaSlices ?? [0, nz - 1];
  const body = (x: number, y: number): number => ((x - BODY.x) / BODY.rx) ** 2 + ((y - BODY.y) / BODY.ry) ** 2;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        const x = i * SP;
        const y = j * SP;
        const p = i + j * NX + k * NX * NY;
        const b = body(x, y);
        const canal = Math.hypot(x - 80, y - 120) <= 8;
        const ring = !canal && Math.hypot(x - 80, y - 120) <= 14 && y > 111;
        const lumen = k >= a0 && k <= a1 && Math.hypot(x - AORTA.x, y - AORTA.y) <= AORTA.r;
        // A calcified wall all round the lumen in one slice: the surround test fails there.
        const calcified = k === s.calcifiedSlice && Math.abs(Math.hypot(x - AORTA.x, y - AORTA.y) - AORTA.r - 2) <= 1.5;
        // The aorta presses against the cortex (it does not replace it).
        if (b <= 0.8) hu[p] = s.marrowHU + 160 * rnd();
        else if (b <= 1) hu[p] = 700 + 60 * rnd();
        else if (lumen) hu[p] = s.lumenHU + 30 * rnd();
        else if (calcified) hu[p] = 900;
        else if (canal) hu[p] = 10 + 30 * rnd();
        else if (ring) hu[p] = 700;
        else hu[p] = -100 + 30 * rnd();
      }
    }
  }
  const g: WorkGrid = { nx: NX, ny: NY, nz, sp: SP, hu, geometry: { size: [NX, NY, nz], spacing: [SP, SP, SP], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } };
  const canal: CanalPath = straightCanal(nz, n, 80, 120, 9);
  const xy = (p: number): [number, number, number] => [(p % NX) * SP, (Math.floor(p / NX) % NY) * SP, Math.floor(p / (NX * NY))];
  return {
    g,
    canal,
    inBody: (p) => body(xy(p)[0], xy(p)[1]) <= 1,
    inLumen: (p) => {
      const [x, y, k] = xy(p);
      return k >= a0 && k <= a1 && Math.hypot(x - AORTA.x, y - AORTA.y) <= AORTA.r - 2 && body(x, y) > 1.3;
    },
  };
}

function overlap(mask: Uint8Array, where: (p: number) => boolean): { hit: number; of: number } {
  let hit = 0;
  let of = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!where(p)) continue;
    of++;
    if (mask[p]) hit++;
  }
  return { hit, of };
}

test('detectVessels finds an enhanced aorta touching a vertebral body and leaves the body alone', () => {
  for (const lumenHU of [170, 300]) {
    const { g, canal, inBody, inLumen } = scene({ lumenHU, marrowHU: 250 });
    const v = detectVessels(g, canal);
    const lumen = overlap(v, inLumen);
    assert.ok(lumen.hit >= 0.9 * lumen.of, `lumen ${lumenHU} HU: ${lumen.hit}/${lumen.of} voxels found`);
    assert.equal(overlap(v, inBody).hit, 0, `lumen ${lumenHU} HU: no body voxel is vessel`);
  }
});

test('detectVessels takes nothing on a non-contrast scan, nor from a low-density body', () => {
  const plain = scene({ lumenHU: 40, marrowHU: 250 });
  assert.equal(detectVessels(plain.g, plain.canal).reduce((a, x) => a + x, 0), 0, 'unenhanced aorta (40 HU)');
  const osteo = scene({ lumenHU: 170, marrowHU: 90 });
  const v = detectVessels(osteo.g, osteo.canal);
  assert.equal(overlap(v, osteo.inBody).hit, 0, 'osteoporotic marrow (90 HU) is not vessel');
  assert.ok(overlap(v, osteo.inLumen).hit > 0, 'the portal-phase aorta beside it is');
});

test('detectVessels bridges a slice of a tube where the lumen test fails', () => {
  const { g, canal, inLumen } = scene({ lumenHU: 300, marrowHU: 250, calcifiedSlice: 20 });
  const v = detectVessels(g, canal);
  const inSlice = overlap(v, (p) => inLumen(p) && Math.floor(p / (NX * NY)) === 20);
  assert.ok(inSlice.hit >= 0.9 * inSlice.of, `slice 20: ${inSlice.hit}/${inSlice.of}`);
  let wall = 0;
  for (let p = 20 * NX * NY; p < 21 * NX * NY; p++) if (v[p] && g.hu[p]! >= 900) wall++;
  assert.equal(wall, 0, 'the calcified wall stays');
});

test('detectVessels keeps only tubes: a blob over a few slices is not a vessel', () => {
  const { g, canal } = scene({ lumenHU: 300, marrowHU: 250, aortaSlices: [10, 13] });
  assert.equal(detectVessels(g, canal).reduce((a, x) => a + x, 0), 0);
});

test('detectBodies on a work grid with the vessels erased keeps the aorta out of the body', () => {
  const { g, canal, inLumen } = scene({ lumenHU: 300, marrowHU: 250 });
  const col = buildColumn(g, canal);
  const erased = { ...g, hu: g.hu.slice() };
  eraseVessels(erased, detectVessels(g, canal));
  for (const ring of [false, true]) {
    const inBodies = (d: ReturnType<typeof detectBodies>): Uint8Array => {
      const m = new Uint8Array(g.hu.length);
      for (const b of d.bodies) for (const p of b.voxels) m[p] = 1;
      return m;
    };
    const without = overlap(inBodies(detectBodies(g, canal, col, ring)), inLumen);
    assert.ok(without.hit > 0.5 * without.of, `ring=${ring}: without the mask the lumen joins the body (${without.hit}/${without.of})`);
    const d = detectBodies(erased, canal, col, ring);
    assert.ok(d.bodies.length >= 1, `ring=${ring}: the body is still found`);
    assert.equal(overlap(inBodies(d), inLumen).hit, 0, `ring=${ring}: no lumen voxel in a body`);
  }
});
