import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vec3 } from '@rachis/imaging';
import { bodyFromVoxels } from '../src/segment/bodies.js';
import { axialHeight, tallBodies } from '../src/segment/merge.js';
import type { Column } from '../src/segment/column.js';

const g = { nx: 40, ny: 40, nz: 40, sp: 2 };
const norm = (v: Vec3): Vec3 => {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
};

/** Voxels of a cylinder (radius r mm, length len mm) centred at c along unit axis u. */
function cylinder(c: Vec3, u: Vec3, r: number, len: number): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++) {
        const d: Vec3 = [i * g.sp - c[0], j * g.sp - c[1], k * g.sp - c[2]];
        const along = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
        const radial = Math.hypot(d[0] - along * u[0], d[1] - along * u[1], d[2] - along * u[2]);
        if (Math.abs(along) <= len / 2 && radial <= r) out.push(i + j * g.nx + k * g.nx * g.ny);
      }
    }
  }
  return Int32Array.from(out);
}

test('axialHeight measures a tilted body along its own axis, not its slice range', () => {
  // A 24 mm tall, 16 mm wide body tilted 35° front to back; the column tangent is its axis.
  const th = (35 * Math.PI) / 180;
  const t = norm([0, Math.sin(th), -Math.cos(th)]);
  const a = norm([0, -Math.cos(th), -Math.sin(th)]);
  const c: Vec3 = [40, 40, 40];
  const body = bodyFromVoxels(cylinder(c, t, 8, 24), g, (p) => Math.floor(p / (g.nx * g.ny)));
  const col: Column = { step: 1, frames: [{ p: c, t, a, l: [1, 0, 0] }] };
  const h = axialHeight(body, g, col) * g.sp;
  assert.ok(Math.abs(h - 24) <= 2.5, `axial height ${h.toFixed(1)} mm (true 24)`);
});

test('tallBodies compares each body with its neighbours by the given height', () => {
  const mk = (k: number, len: number) => bodyFromVoxels(cylinder([40, 40, k], [0, 0, -1], 8, len), g, (p) => -Math.floor(p / (g.nx * g.ny)));
  const bodies = [mk(66, 10), mk(50, 10), mk(30, 20), mk(12, 10)];
  assert.deepEqual(tallBodies(bodies, 1.4), [2]);
  // With a height that sees every body alike, none is tall.
  assert.deepEqual(tallBodies(bodies, 1.4, () => 5), []);
});

test('sacrumIndex: wings first; failing that, far-lateral bone below two rib-less vertebrae is the ilium', async () => {
  const { sacrumIndex } = await import('../src/segment/merge.js');
  const ev = (lateral: number, wing = 0) => ({ lateralLeftMl: lateral, lateralRightMl: 0, wingMl: wing, looseRibLeftMl: 0, looseRibRightMl: 0, voxels: 1 });
  // T12 (ribs), L1..L5 (none), sacrum with wings
  assert.equal(sacrumIndex([ev(3), ev(0), ev(0), ev(0), ev(0), ev(0), ev(2, 40)], 20, 0.5), 6);
  // low-density sacrum: no wings, but lateral bone (ilium) below rib-less L4, L5
  assert.equal(sacrumIndex([ev(3), ev(0), ev(0), ev(0), ev(0), ev(0), ev(4, 5)], 20, 0.5), 6);
  // ribs on the bottom vertebra of a chest CT (the one above has ribs too): not a sacrum
  assert.equal(sacrumIndex([ev(3), ev(3), ev(3), ev(3)], 20, 0.5), -1);
  // without the rib threshold the lateral rule is off
  assert.equal(sacrumIndex([ev(0), ev(0), ev(0), ev(4, 5)], 20), -1);
});
