import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareBodies } from '../src/body-repair.js';
import { measureMorphometry, measureVertebraHeights, resolveEndplates, resolveHeightsAt } from '../src/morphometry.js';
import { bodyHeightAt, stack, syntheticSpine, type SyntheticBody } from './synthetic-spine.js';
import type { Mat3, Vec3 } from '@rachis/imaging';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a.toFixed(3)} vs ${b.toFixed(3)} (tol ${tol})`);

test('heights of intact and wedge-fractured bodies (1 × 1 × 0.5 mm grid)', () => {
  const { spine } = stack({ L1: { anteriorMm: 16, posteriorMm: 26 } });
  const m = measureMorphometry(spine);
  assert.deepEqual(m.map((v) => v.label), ['T12', 'L1', 'L2', 'L3', 'L4']);
  const l2 = m[2]!;
  assert.equal(l2.heights.status, 'measured');
  if (l2.heights.status !== 'measured') return;
  for (const c of ['anterior', 'middle', 'posterior'] as const) near(l2.heights.value[c].heightMm, 26, 0.3, `L2 ${c}`);
  near(l2.heights.value.depthMm, 30, 0.8, 'L2 depth');
  assert.equal(l2.heights.value.frame.axisSource, 'neighbours');
  assert.equal(l2.genant.status === 'measured' && l2.genant.value.grade, 0);
  const l1 = m[1]!;
  assert.equal(l1.heights.status, 'measured');
  if (l1.heights.status !== 'measured' || l1.genant.status !== 'measured') return;
  // Wall heights 16 and 26 mm (profile fitted inside the walls, read at them), middle 21 mm.
  near(l1.heights.value.anterior.heightMm, 16, 0.5, 'L1 anterior');
  near(l1.heights.value.middle.heightMm, 21, 0.5, 'L1 middle');
  near(l1.heights.value.posterior.heightMm, 26, 0.5, 'L1 posterior');
  // 'inset' reads the columns 10 % of the 30 mm depth inside the walls: 16 + 10·0.1 = 17 and 25 mm.
  const inset = measureMorphometry(spine, { heightsAt: 'inset' })[1]!.heights;
  assert.ok(inset.status === 'measured');
  near(inset.value.anterior.heightMm, 17, 0.5, 'L1 anterior (inset)');
  near(inset.value.posterior.heightMm, 25, 0.5, 'L1 posterior (inset)');
  // 'linear' (the default on grids coarser than 1.6 mm) extends the line through those columns to the walls.
  const linear = measureMorphometry(spine, { heightsAt: 'linear' })[1]!.heights;
  assert.ok(linear.status === 'measured');
  near(linear.value.anterior.heightMm, 16, 0.5, 'L1 anterior (linear)');
  near(linear.value.posterior.heightMm, 26, 0.5, 'L1 posterior (linear)');
  near(linear.value.middle.heightMm, 21, 0.5, 'L1 middle (linear)');
  assert.equal(l1.genant.value.grade, 2);
  assert.equal(l1.genant.value.shape, 'wedge');
});

test('a uniformly flattened body is graded against its neighbours (crush); truncated ones are not graded', () => {
  const { spine } = stack({ L2: { anteriorMm: 15, posteriorMm: 15 }, L4: { truncated: true } });
  const m = measureMorphometry(spine);
  const l2 = m[2]!;
  assert.equal(l2.genant.status, 'measured');
  if (l2.genant.status === 'measured') {
    assert.equal(l2.genant.value.grade, 3); // 15/26 → 42 % loss
    assert.equal(l2.genant.value.shape, 'crush');
  }
  const l4 = m[4]!;
  assert.equal(l4.genant.status, 'not-measured');
  if (l4.genant.status === 'not-measured') assert.match(l4.genant.reason, /field of view/);
  assert.ok(l4.heights.caveats.some((c) => /edge of the field of view/.test(c)));
});

test('the result does not depend on the voxel axes order/direction (RAS-like grid, anisotropic spacing)', () => {
  const bodies: SyntheticBody[] = (['L1', 'L2', 'L3'] as const).map((label, i) => ({
    label, cx: 0, cy: 0, bottomZ: 40 - i * 34, rx: 20, ry: 15, anteriorMm: i === 1 ? 18 : 26, posteriorMm: 26,
  }));
  const spacing: Vec3 = [0.8, 0.6, 1.0];
  const direction: Mat3 = [-1, 0, 0, 0, -1, 0, 0, 0, 1];
  const size: Vec3 = [Math.ceil(60 / 0.8), Math.ceil(52 / 0.6), 120];
  const { spine } = syntheticSpine(bodies, { size, spacing, direction, origin: [30, 30, -40.5] }); // endplates between voxel centres
  const l2 = measureMorphometry(spine)[1]!;
  assert.equal(l2.heights.status, 'measured');
  if (l2.heights.status !== 'measured') return;
  near(l2.heights.value.anterior.heightMm, 18, 0.6, 'anterior');
  near(l2.heights.value.posterior.heightMm, 26, 0.6, 'posterior');
});

test('biconcave deformity: middle height shortest', () => {
  const { spine } = stack({ L3: { middleDipMm: 9 } });
  const l3 = measureMorphometry(spine)[3]!;
  assert.equal(l3.genant.status, 'measured');
  if (l3.genant.status !== 'measured' || l3.heights.status !== 'measured') return;
  near(l3.heights.value.middle.heightMm, 17, 0.6, 'middle');
  assert.equal(l3.genant.value.shape, 'biconcave');
  assert.equal(l3.genant.value.grade, 2); // 17 / 25.7 → ~34 %
});

test('a wedge near the 20 % band is graded borderline with the loss range in the caveats; clear grades are not', () => {
  // 0.5 mm along the column axis: ±0.35 mm per height. L1 20.6 / 26 mm → 21 % ± 1.7 pp straddles 20 %.
  const { spine } = stack({ L1: { anteriorMm: 20.6, posteriorMm: 26 }, L3: { anteriorMm: 16, posteriorMm: 26 } });
  const m = measureMorphometry(spine);
  const l1 = m[1]!;
  assert.ok(l1.heights.status === 'measured' && l1.genant.status === 'measured');
  near(l1.heights.value.heightUncertaintyMm!, 0.5 / Math.SQRT2, 1e-6, 'height uncertainty');
  const g = l1.genant.value;
  assert.equal(g.gradeBorderline, true);
  assert.deepEqual(g.gradeRange, [0, 1]);
  assert.ok(g.heightLossRange![0] < 0.2 && g.heightLossRange![1] > 0.2, `${g.heightLossRange}`);
  assert.ok(l1.genant.caveats.some((c) => /^borderline grade: .*grade 0 or 1$/.test(c)), l1.genant.caveats.join(' | '));
  const l3 = m[3]!;
  assert.ok(l3.genant.status === 'measured');
  assert.equal(l3.genant.value.grade, 2); // 38 %
  assert.equal(l3.genant.value.gradeBorderline, false);
  assert.ok(!l3.genant.caveats.some((c) => c.startsWith('borderline')));
});

test('3 mm slices: ±2.4 mm per height makes a 22 % wedge borderline (grade 0, 1 or 2)', () => {
  const { spine } = stack({ L1: { anteriorMm: 20.3, posteriorMm: 26 } }, [1, 1, 3]);
  const l1 = measureMorphometry(spine)[1]!;
  assert.ok(l1.heights.status === 'measured' && l1.genant.status === 'measured');
  // ±e/√2 per endplate pair, × √(1.125² + 0.125²) for the linear extension of the columns 10 % inside the walls.
  near(l1.heights.value.heightUncertaintyMm!, (3 / Math.SQRT2) * Math.hypot(1.125, 0.125), 1e-6, 'height uncertainty');
  assert.equal(l1.genant.value.gradeBorderline, true);
  assert.equal(l1.genant.value.gradeRange![0], 0);
});

test("defaults: HU endplates and the quadratic wall fit on grids ≤ 1.6 mm, mask endplates and the linear wall extension on coarser grids", () => {
  const fine = stack({}, [1, 1, 1.5]).spine;
  const coarse = stack({}, [1, 1, 3]).spine;
  assert.equal(resolveEndplates(fine, {}, true), 'hu');
  assert.equal(resolveEndplates(fine, {}, false), 'mask'); // no CT given
  assert.equal(resolveEndplates(coarse, {}, true), 'mask');
  assert.equal(resolveEndplates(coarse, { endplates: 'hu' }, true), 'hu');
  assert.equal(resolveHeightsAt(fine, {}), 'walls');
  assert.equal(resolveHeightsAt(coarse, {}), 'linear');
  assert.equal(resolveHeightsAt(coarse, { heightsAt: 'inset' }), 'inset');
  // a DICOM 1.6 mm slice spacing that reads 1.6000000238 is a fine grid
  assert.equal(resolveEndplates(stack({}, [1, 1, 1.6000000238418595]).spine, {}, true), 'hu');
});

test('heights are measured along the body\'s own walls when the neighbour chord leans on it (lordotic curve)', () => {
  // L1 6 mm behind and L3 6 mm in front of L2: the chord between them leans 10° on L2's vertical walls.
  const { spine } = stack({ L1: { cy: 6 }, L3: { cy: -6 } }, [1, 1, 1]);
  const l2 = measureMorphometry(spine)[2]!.heights;
  assert.ok(l2.status === 'measured');
  const up = l2.value.frame.superior;
  assert.ok(Math.abs(up[1]) < 0.03 && up[2] > 0.999, `axis ${up.map((x) => x.toFixed(3)).join(', ')}`);
  for (const c of ['anterior', 'middle', 'posterior'] as const) near(l2.value[c].heightMm, 26, 0.5, `L2 ${c}`);
});

/**
 * The stack's CT rebuilt as a scanner with 1.5 mm slices sees it: each voxel the exact mean over
 * its slab of a 0.4 mm endplate (1200 HU) at each face of the body, marrow (150 HU) between and
 * disc (80 HU) outside; posterior elements 1200 HU.
 */
function thinPlateCT(s: ReturnType<typeof stack>, bodies: SyntheticBody[], tau: number): Int16Array {
  const g = s.volume;
  const [nx, ny, nz] = g.size;
  const out = new Int16Array(nx * ny * nz);
  const overlap = (a: number, b: number, z0: number, z1: number) => Math.max(0, Math.min(b, z1) - Math.max(a, z0));
  for (let k = 0, idx = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, idx++) {
        const [x, y, z] = [g.origin[0] + i * g.spacing[0], g.origin[1] + j * g.spacing[1], g.origin[2] + k * g.spacing[2]];
        const z0 = z - g.spacing[2] / 2;
        const z1 = z + g.spacing[2] / 2;
        let sum = 80 * g.spacing[2];
        for (const b of bodies) {
          if (((x - b.cx) / b.rx) ** 2 + ((y - b.cy) / b.ry) ** 2 > 1) continue;
          const top = b.bottomZ + bodyHeightAt(b, x, y);
          const plates = overlap(b.bottomZ, b.bottomZ + tau, z0, z1) + overlap(top - tau, top, z0, z1);
          sum += (1200 - 80) * plates + (150 - 80) * overlap(b.bottomZ + tau, top - tau, z0, z1);
        }
        out[idx] = s.spine.partMask.data[idx] === 2 ? 1200 : Math.round(sum / g.spacing[2]);
      }
    }
  }
  return out;
}

test('a 0.4 mm endplate on 1.5 mm slices: heights to its faces, not to its half-way crossings (thin-plate correction)', () => {
  const corrected: number[] = [];
  const uncorrected: number[] = [];
  // Four phases of the body within the slices: a plate thinner than a slice has no position
  // within it, so single heights are off by up to half a slice, but not on average.
  for (const shift of [0, 0.375, 0.75, 1.125]) {
    const l2: Partial<SyntheticBody> = { anteriorMm: 22, posteriorMm: 26, bottomZ: 32 + shift };
    const s = stack({ L2: l2 }, [1, 1, 1.5]);
    const bodies = s.spine.vertebrae.map((v, i): SyntheticBody => ({ label: v.label, cx: 0, cy: 0, bottomZ: 100 - i * 34, rx: 20, ry: 15, anteriorMm: 26, posteriorMm: 26, ...(v.label === 'L2' ? l2 : {}) }));
    const volume = { ...s.volume, data: thinPlateCT(s, bodies, 0.4) };
    const h = measureMorphometry(s.spine, {}, volume).find((m) => m.label === 'L2')!.heights;
    assert.ok(h.status === 'measured');
    corrected.push(h.value.anterior.heightMm - 22, h.value.middle.heightMm - 24, h.value.posterior.heightMm - 26);
    // The same lines to the half-way crossings alone (no bone density given: no correction).
    const body = prepareBodies(s.spine, { absorbPosteriorParts: true }).get(3)!;
    const raw = measureVertebraHeights(s.spine, body.repaired, body.frame, {}, volume, 3).value!;
    uncorrected.push(raw.anterior.heightMm - 22, raw.middle.heightMm - 24, raw.posterior.heightMm - 26);
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const show = (v: number[]) => v.map((x) => x.toFixed(2)).join(' ');
  assert.ok(Math.abs(mean(corrected)) <= 0.2 && corrected.every((e) => Math.abs(e) <= 0.75), `corrected height errors ${show(corrected)} mm`);
  assert.ok(mean(uncorrected) >= 0.6, `uncorrected height errors ${show(uncorrected)} mm`);
});
