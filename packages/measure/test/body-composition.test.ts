/**
 * Body composition on the spine phantom's L3 slice, unmodified and with two real-CT failure modes
 * painted in: an organ pressed against the flank wall (liver / spleen on non-contrast CT have muscle
 * HU) and a gap in the abdominal wall (lets skin-grown fat leak into the abdomen). Also checks the
 * returned tissue classification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpinePhantom, type SpinePhantom } from '@rachis/spine';
import type { Volume } from '@rachis/imaging';
import { measureBodyComposition, TISSUE_LABELS } from '../src/body-composition.js';
import type { BodyCompositionValue } from '../src/types.js';
import { phantomSegmentation } from '../eval/phantom-seg.js';

const ph = makeSpinePhantom({ spacingMm: [1, 1, 1], fov: { from: 'L2', to: 'L4', marginMm: 5 } });
const seg = phantomSegmentation(ph);
const truth = ph.truth.l3BodyComposition!;
const [nx, ny] = ph.volume.size;
const k = truth.sliceIndex;
const MUSCLE = 3; // phantom TISSUE.muscle
const rel = (a: number, b: number): number => Math.abs(a - b) / b;

function run(volume: Volume): BodyCompositionValue {
  const bc = measureBodyComposition(volume, seg, { withTissueMask: true });
  assert.equal(bc.status, 'measured');
  if (bc.status !== 'measured') throw new Error('not measured');
  return bc.value;
}

/** Copy of the phantom with `paint(i, j)` → HU (or undefined to keep) applied on slice k. */
function painted(p: SpinePhantom, paint: (i: number, j: number) => number | undefined): Volume {
  const data = Int16Array.from(p.volume.data);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const hu = paint(i, j);
      if (hu !== undefined) data[k * nx * ny + j * nx + i] = hu;
    }
  }
  return { ...p.volume, data };
}

const tissueAt = (i: number, j: number): number => ph.tissue.data[k * nx * ny + j * nx + i]!;
const clean = run(ph.volume);

test('tissue mask: only on request; one slice on the CT grid, classes add up to the reported areas', () => {
  const plain = measureBodyComposition(ph.volume, seg);
  assert.ok(plain.status === 'measured' && plain.value.tissueMask === undefined);
  const m = clean.tissueMask!;
  assert.deepEqual(m.size, [nx, ny, 1]);
  assert.deepEqual(m.spacing, ph.volume.spacing);
  assert.ok(Math.abs(m.origin[2] - (ph.volume.origin[2] + k * ph.volume.spacing[2])) < 1e-9);
  assert.equal(m.labels, TISSUE_LABELS);
  const counts = [0, 0, 0, 0, 0];
  m.data.forEach((v) => counts[v]!++);
  const px = (ph.volume.spacing[0] * ph.volume.spacing[1]) / 100;
  assert.ok(Math.abs(counts[1]! * px - clean.skeletalMuscle.areaCm2) < 1e-9);
  assert.ok(Math.abs(counts[2]! * px - clean.intermuscularFat.areaCm2) < 1e-9);
  assert.ok(Math.abs(counts[3]! * px - clean.visceralFat.areaCm2) < 1e-9);
  assert.ok(Math.abs(counts[4]! * px - clean.subcutaneousFat.areaCm2) < 1e-9);
  // Against the phantom's own tissue labels: muscle pixels are mostly muscle.
  let hit = 0;
  m.data.forEach((v, p) => {
    if (v === 1 && tissueAt(p % nx, Math.floor(p / nx)) === MUSCLE) hit++;
  });
  assert.ok(hit / counts[1]! > 0.95, `muscle precision ${hit / counts[1]!}`);
});

test('an organ with muscle HU pressed on the flank wall, behind the vertebral body, is not muscle', () => {
  // Inner edge of the left flank wall on the row of the L3 body centroid.
  const jc = Math.round(seg.vertebrae.find((v) => v.label === 'L3')!.bodyCentroidMm[1] - ph.volume.origin[1]);
  let iWall = nx - 1;
  while (iWall > 0 && tissueAt(iWall, jc) !== MUSCLE) iWall--;
  while (iWall > 0 && tissueAt(iWall - 1, jc) === MUSCLE) iWall--;
  const r = 30;
  const ci = iWall - r;
  let organPx = 0;
  const vol = painted(ph, (i, j) => {
    const inside = (i - ci) ** 2 + (j - jc) ** 2 <= r * r && tissueAt(i, j) !== MUSCLE;
    if (inside) organPx++;
    return inside ? 45 : undefined;
  });
  const v = run(vol);
  const added = (v.skeletalMuscle.areaCm2 - clean.skeletalMuscle.areaCm2) / (organPx / 100);
  assert.ok(added < 0.15, `${(added * 100).toFixed(0)} % of the ${(organPx / 100).toFixed(1)} cm² organ counted as muscle`);
  assert.ok(rel(v.skeletalMuscle.areaCm2, truth.muscleCm2) <= 0.05, `muscle ${v.skeletalMuscle.areaCm2} vs ${truth.muscleCm2}`);
});

test('a gap in the abdominal wall does not turn visceral fat into subcutaneous fat', () => {
  // Replace a 25 mm stretch of the left flank wall (around the body's centroid row) by fat.
  const jc = Math.round(seg.vertebrae.find((v) => v.label === 'L3')!.bodyCentroidMm[1] - ph.volume.origin[1]);
  const vol = painted(ph, (i, j) => (Math.abs(j - jc) <= 12 && i > nx / 2 && tissueAt(i, j) === MUSCLE ? -100 : undefined));
  const v = run(vol);
  assert.ok(rel(v.subcutaneousFat.areaCm2, truth.subcutaneousFatCm2) <= 0.05, `SAT ${v.subcutaneousFat.areaCm2} vs ${truth.subcutaneousFatCm2}`);
  assert.ok(rel(v.visceralFat.areaCm2, truth.visceralFatCm2) <= 0.1, `VAT ${v.visceralFat.areaCm2} vs ${truth.visceralFatCm2}`);
});
