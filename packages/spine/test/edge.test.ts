import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import { findEdgeArch } from '../src/segment/edge.js';
import type { CanalPath } from '../src/segment/canal.js';
import { straightCanal } from './fixtures.js';
import type { WorkGrid } from '../src/segment/grid.js';

const [nx, ny, nz, sp] = [30, 40, 30, 2];
const n = nx * ny * nz;
const grid: WorkGrid = { nx, ny, nz, sp, hu: new Float32Array(n), geometry: { size: [nx, ny, nz], spacing: [sp, sp, sp], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } };
const canal: CanalPath = straightCanal(nz, n, 30, 30, 8, 0);

/** Roof (lamina + spinous process: 12 mm wide, 10–30 mm behind the canal centre) in the given slices, all of instance 1, part 2. */
function scene(roofSlices: number[]): { bone: Uint8Array; instance: Uint8Array; part: Uint8Array } {
  const bone = new Uint8Array(n);
  const instance = new Uint8Array(n);
  const part = new Uint8Array(n);
  for (const k of roofSlices) {
    for (let j = 20; j <= 30; j++) {
      for (let i = 12; i <= 18; i++) {
        const p = i + j * nx + k * nx * ny;
        bone[p] = 1;
        instance[p] = 1;
        part[p] = 2;
      }
    }
  }
  return { bone, instance, part };
}
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('a roof run at the top edge above an interlaminar gap is the arch of the vertebra above', () => {
  const s = scene([...range(5, 18), ...range(24, 29)]);
  const arch = findEdgeArch(grid, canal, s.bone, s.instance, s.part, 0);
  assert.ok(arch, 'arch found');
  assert.ok(arch.gapK >= 19 && arch.gapK <= 23, `gap at ${arch.gapK}`);
  // exactly the roof voxels of slices 24–29
  assert.equal(arch.voxels.length, 6 * 11 * 7);
  for (const p of arch.voxels) assert.ok(Math.floor(p / (nx * ny)) >= 24);
});

test('no arch above when the roof is continuous, absent at the top, or has no run below the gap', () => {
  for (const slices of [range(5, 29), range(5, 20), range(24, 29)]) {
    const s = scene(slices);
    assert.equal(findEdgeArch(grid, canal, s.bone, s.instance, s.part, 0), undefined, `roof in slices ${slices[0]}–${slices.at(-1)}`);
  }
});
