import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedData } from '@rachis/imaging/testing';
import { gradeRaters, parseMosmed, raterAgreement, raterHeights } from '../eval/mosmed.js';

const FILE = 'RLAD42D007-22975_RLS6A01002SVR_2418297.json';

test('MosMed rater annotation: heights, grades and agreement from a real file', (t) => {
  const path = sharedData('genant-vertebral-heights-mosmed', 'annotation', FILE);
  if (!path) return t.skip('shared data not present');
  const file = parseMosmed(JSON.parse(readFileSync(path, 'utf8')), FILE);
  assert.deepEqual(Object.keys(file.Annotation).sort(), ['expert1', 'expert2']);
  // expert1 Th1 posterior segment [305.913, 250, 14.855] → [313.363, 250, 32.749] (voxel units).
  const h1 = raterHeights(file.Annotation.expert1!).get('T1')!;
  assert.ok(Math.abs(h1.posteriorMm - Math.hypot(313.3626009408083 - 305.9129125069371, 32.74949823197553 - 14.854547790758502)) < 1e-9);
  const graded = gradeRaters(file);
  const e1 = graded.get('expert1')!;
  assert.equal(e1.size, file.Annotation.expert1!.length);
  for (const g of e1.values()) {
    assert.ok(g.grade >= 0 && g.grade <= 3);
    assert.ok(g.heightLoss >= g.withinVertebraLoss);
  }
  const rep = raterAgreement([file]);
  assert.equal(rep.pairs.length, 1);
  const p = rep.pairs[0]!;
  assert.equal(p.pair, 'expert1–expert2');
  assert.equal(p.n, 13); // both raters annotated the same 13 levels
  assert.ok(p.meanAbsLossDiffPct >= 0 && p.meanAbsLossDiffPct < 10, `raters differ by ${p.meanAbsLossDiffPct} pp`);
  assert.ok(Number.isNaN(p.unweighted.kappa) || (p.unweighted.kappa >= -1 && p.unweighted.kappa <= 1));
});

test('a malformed annotation is rejected with the file name', () => {
  assert.throws(() => parseMosmed({ Folder: 'x' }, 'bad.json'), /bad\.json/);
  assert.throws(() => parseMosmed({ Annotation: { expert1: [{ type: 'Th1', segments: [] }] } }, 'bad.json'), /malformed/);
});
