import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareBodies } from '../src/body-repair.js';
import { measureMorphometry, measureVertebraHeights } from '../src/morphometry.js';
import { relabel, stack } from './synthetic-spine.js';

/** Clear the body label (part 1 → 0) of instance `inst` where `where(i, j, k)` holds. */
function punch(spine: ReturnType<typeof stack>['spine'], inst: number, where: (i: number, j: number, k: number) => boolean): number {
  const [nx, ny] = spine.instanceMask.size;
  let n = 0;
  spine.partMask.data.forEach((p, idx) => {
    const i = idx % nx, j = Math.floor(idx / nx) % ny, k = Math.floor(idx / (nx * ny));
    if (p === 1 && spine.instanceMask.data[idx] === inst && where(i, j, k)) {
      spine.partMask.data[idx] = 0;
      n++;
    }
  });
  return n;
}

test('holes from marrow below threshold are repaired: heights of a punched body stay within 0.6 mm', () => {
  const { spine } = stack(); // 1 × 1 × 0.5 mm, L2 = instance 3, 26 mm tall, k of its bottom ≈ (100 − 68 + 45) / 0.5
  const k0 = Math.round((100 - 2 * 34 + 45) / 0.5);
  // A 2 mm slab missing across the posterior two thirds (open at the posterior wall), and an
  // enclosed 8 × 8 × 6 mm cavity in the middle: the shapes seen in example_ct L1 and L4.
  const slab = punch(spine, 3, (_i, j, k) => k >= k0 + 20 && k < k0 + 24 && j > 22);
  const cavity = punch(spine, 3, (i, j, k) => Math.abs(i - 30) < 4 && Math.abs(j - 22) < 4 && k >= k0 + 30 && k < k0 + 42);
  assert.ok(slab > 500 && cavity > 300);
  const body = prepareBodies(spine).get(3)!;
  assert.ok(body.repaired.repairedVoxels - body.repaired.originalVoxels >= slab + cavity);
  const m = measureMorphometry(spine)[2]!;
  assert.equal(m.heights.status, 'measured');
  if (m.heights.status !== 'measured') return;
  for (const c of ['anterior', 'middle', 'posterior'] as const) assert.ok(Math.abs(m.heights.value[c].heightMm - 26) <= 0.6, `${c} ${m.heights.value[c].heightMm}`);
  assert.equal(m.genant.status === 'measured' && m.genant.value.grade, 0);
});

test('a concave endplate is not filled by the repair (open towards the disc)', () => {
  const { spine } = stack({ L3: { middleDipMm: 9 } });
  const b = prepareBodies(spine).get(4)!;
  assert.equal(b.repaired.repairedVoxels, b.repaired.originalVoxels);
});

test('3 mm slices: a posterior corner labelled posterior elements over 12 mm of a 26 mm body is taken back (no false crush)', () => {
  const { spine } = stack({}, [1, 1, 3]); // L2 = instance 3: z 32–58 mm, y −15 (anterior) to 15 (posterior)
  const moved = relabel(spine, 3, 2, (_x, y, z) => y > 11 && z > 45);
  assert.ok(moved > 300);
  const m = measureMorphometry(spine)[2]!;
  assert.ok(m.heights.status === 'measured' && m.genant.status === 'measured');
  assert.ok(Math.abs(m.heights.value.posterior.heightMm - 26) <= 3, `posterior ${m.heights.value.posterior.heightMm}`);
  assert.equal(m.genant.value.grade, 0);
});

test('a height line runs on through a body corner labelled posterior elements of the same vertebra (what the repair leaves: tilted bodies)', () => {
  const { spine } = stack(); // 1 × 1 × 0.5 mm; L2 = instance 3: z 32–58 mm, y −15 (anterior) to 15 (posterior)
  relabel(spine, 3, 2, (_x, y, z) => y > 8 && z > 50);
  // Without the repair's absorption the corner is missing from the body mask.
  const body = prepareBodies(spine, { absorbPosteriorParts: false }).get(3)!;
  const without = measureVertebraHeights(spine, body.repaired, body.frame).value!;
  const through = measureVertebraHeights(spine, body.repaired, body.frame, {}, undefined, 3).value!;
  assert.ok(without.posterior.heightMm < 22, `without ${without.posterior.heightMm}`);
  assert.ok(Math.abs(through.posterior.heightMm - 26) <= 0.6, `through ${through.posterior.heightMm}`);
  assert.ok(Math.abs(through.anterior.heightMm - 26) <= 0.6, `anterior ${through.anterior.heightMm}`);
});
