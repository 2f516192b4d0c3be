import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unreliableMaskReason, type BodyMaskEvidence } from '../src/mask-reliability.js';
import { measureMorphometry } from '../src/morphometry.js';
import { relabel, stack } from './synthetic-spine.js';

type Spine = ReturnType<typeof stack>['spine'];


const grade = (spine: Spine, label: string) => measureMorphometry(spine).find((m) => m.label === label)!.genant;

test('a clean 12 mm crushed body is graded 3; the same body with a hollow mask (segmentation failure) is not graded', () => {
  const clean = stack({ L2: { anteriorMm: 12, posteriorMm: 12 } }).spine; // L2 bottom at z = 32, 12 mm tall; neighbours 26 mm
  const g = grade(clean, 'L2');
  assert.ok(g.status === 'measured' && g.value.grade === 3, 'clean crush graded 3');
  const hollow = stack({ L2: { anteriorMm: 12, posteriorMm: 12 } }).spine;
  // Marrow below threshold: the interior of the slab is missing from the mask (enclosed, so repaired).
  assert.ok(relabel(hollow, 2 + 1, 0, (x, y, z) => Math.abs(x) < 14 && Math.abs(y) < 10 && z > 35 && z < 41) > 1000);
  const h = grade(hollow, 'L2');
  assert.equal(h.status, 'not-measured');
  if (h.status === 'not-measured') assert.match(h.reason, /body mask unreliable: .*hollow/);
});

test('a body merged with its neighbour across an unsegmented disc is not graded (nor is the neighbour)', () => {
  const { spine } = stack(); // L2 spans z 32–58, L3 spans z −2–24: the disc is z 24–32
  assert.ok(relabel(spine, 3, 1, (x, y, z) => (x / 20) ** 2 + (y / 15) ** 2 <= 1 && z > 24 && z < 32) > 1000);
  for (const label of ['L2', 'L3']) {
    const g = grade(spine, label);
    assert.equal(g.status, 'not-measured', label);
    if (g.status === 'not-measured') assert.match(g.reason, /body mask unreliable: it shares \d+ mm² of surface with the body of L[23]/, label);
  }
  const l2 = measureMorphometry(spine).find((m) => m.label === 'L2')!;
  assert.ok(l2.heights.caveats.some((c) => /body mask unreliable/.test(c)), 'the heights carry the reason as a caveat');
  const l1 = grade(spine, 'L1'); // untouched levels are still graded
  assert.ok(l1.status === 'measured' && l1.value.grade === 0);
});

test('unreliableMaskReason: small needs ragged, tall needs a margin over the neighbours', () => {
  const e = (over: Partial<BodyMaskEvidence>): BodyMaskEvidence => ({
    label: 'L2', volumeMm3: 40000, filledFraction: 0, largestPieceFraction: 1, meanSectionMm2: 1200, contactAboveMm2: 0, contactBelowMm2: 0, maxHeightMm: 28, ...over,
  });
  const nb = e({ label: 'L1' });
  assert.equal(unreliableMaskReason(e({ volumeMm3: 20000, maxHeightMm: 14 }), nb, nb), undefined); // a real crush: small but solid
  assert.match(unreliableMaskReason(e({ volumeMm3: 20000, largestPieceFraction: 0.6 }), nb, nb) ?? '', /split into pieces/);
  assert.equal(unreliableMaskReason(e({ volumeMm3: 30000, filledFraction: 0.3 }), nb, nb), undefined); // hollow but 75 % of the neighbours
  assert.equal(unreliableMaskReason(e({ contactBelowMm2: 500 }), nb, nb), undefined); // 42 % contact: a thin disc, not a merge
  assert.match(unreliableMaskReason(e({ contactBelowMm2: 700 }), nb, e({ label: 'L3' })) ?? '', /body of L3/);
  assert.equal(unreliableMaskReason(e({ maxHeightMm: 40 }), nb, nb), undefined);
  assert.match(unreliableMaskReason(e({ maxHeightMm: 48 }), nb, nb) ?? '', /implausible/);
  assert.match(unreliableMaskReason(e({ maxHeightMm: 52 })) ?? '', /implausible/);
  assert.equal(unreliableMaskReason(e({ heightsMm: [26, 24, 27] }), nb, nb), undefined); // concave endplates: middle shortest
  assert.match(unreliableMaskReason(e({ heightsMm: [18, 22.3, 18.3] }), nb, nb) ?? '', /corner of the body is missing/);
});
