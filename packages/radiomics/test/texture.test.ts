/** Hand-computed texture matrices on the 3×3 example (see helpers.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glcmCounts, glcmFeatures } from '../src/texture/glcm.js';
import { glrlmCounts } from '../src/texture/glrlm.js';
import { sizeMatrixFeatures } from '../src/texture/common.js';
import { edgeDistance, findZones, zoneFamilies } from '../src/texture/zones.js';
import { neighbourhoodFamilies } from '../src/texture/neighbourhood.js';
import { EXAMPLE, close, slice } from './helpers.js';

test('GLCM, direction (1,0): symmetric counts and features', () => {
  const roi = slice(EXAMPLE);
  const c = glcmCounts(roi, [1, 0, 0], 0);
  // pairs: (1,1) (1,2) | (1,2) (2,2) | (3,3) (3,2), counted both ways
  assert.deepEqual(Array.from(c.m), [2, 2, 0, 2, 2, 1, 0, 1, 2]);
  const f = glcmFeatures(c, 3)!;
  assert.ok(close(f.get('cm_joint_max'), 2 / 12));
  assert.ok(close(f.get('cm_contrast'), 6 / 12));
  assert.ok(close(f.get('cm_dissimilarity'), 6 / 12));
  assert.ok(close(f.get('cm_energy'), 22 / 144));
  assert.ok(close(f.get('cm_joint_avg'), (1 * 4 + 2 * 5 + 3 * 3) / 12)); // marginal of the symmetric matrix
  assert.ok(close(f.get('cm_inv_diff'), 6 / 12 + 6 / 12 / 2));
  assert.ok(close(f.get('cm_inv_diff_norm'), 6 / 12 + 6 / 12 / (1 + 1 / 3)));
  assert.equal(glcmFeatures(glcmCounts(slice([[1]]), [1, 0, 0], 0), 1), null);
});

test('GLRLM, direction (1,0): runs and short-run emphasis', () => {
  const roi = slice(EXAMPLE);
  const c = glrlmCounts(roi, [1, 0, 0], 0, 3);
  // level 1: lengths 2,1 ; level 2: 1,2,1 ; level 3: 2
  assert.deepEqual(Array.from(c.m), [1, 1, 0, 2, 1, 0, 0, 1, 0]);
  assert.equal(c.nv, 9);
  const f = sizeMatrixFeatures(c.m, 3, 3, c.nv)!;
  assert.ok(close(f.get('se'), (1 + 1 / 4 + 2 + 1 / 4 + 1 / 4) / 6));
  assert.ok(close(f.get('perc'), 6 / 9));
  assert.ok(close(f.get('glnu'), (2 * 2 + 3 * 3 + 1) / 6));
});

test('GLSZM 2D: 8-connected zones', () => {
  const zones = findZones(slice(EXAMPLE), 0).map((z) => [z.level, z.size]).sort();
  assert.deepEqual(zones, [[1, 3], [2, 4], [3, 2]]);
  const f = zoneFamilies(slice(EXAMPLE), ['2D'], { szm: true, dzm: true }).szm.get('2D')!;
  assert.ok(close(f.get('szm_sze'), (1 / 9 + 1 / 16 + 1 / 4) / 3));
  assert.ok(close(f.get('szm_z_perc'), 3 / 9));
});

test('GLDZM 2D: city-block distance to the ROI edge', () => {
  const rows = [1, 2, 3, 4, 5].map(() => [1, 1, 1, 1, 1]);
  rows[2]![2] = 2;
  const roi = slice(rows);
  const d = edgeDistance(roi, 0);
  assert.equal(d[2 * 5 + 2], 3);
  assert.equal(d[0], 1);
  assert.equal(d[1 * 5 + 1], 2);
  const f = zoneFamilies(roi, ['2D'], { szm: false, dzm: true }).dzm.get('2D')!;
  assert.ok(close(f.get('dzm_sde'), (1 + 1 / 9) / 2));
  assert.ok(close(f.get('dzm_lde'), (1 + 9) / 2));
});

test('NGTDM 2D: coarseness from hand-computed s_i', () => {
  const f = neighbourhoodFamilies(slice(EXAMPLE), ['2D'], 0).ngt.get('2D')!;
  const s = [1 / 3 + 0.6 + 1, 1 / 3 + 0.125 + 0 + 1 / 3, 2];
  const p = [3 / 9, 4 / 9, 2 / 9];
  assert.ok(close(f.get('ngt_coarseness'), 1 / (p[0]! * s[0]! + p[1]! * s[1]! + p[2]! * s[2]!)));
  const strength = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => (p[i]! + p[j]!) * (i - j) ** 2)).reduce((a, b) => a + b) / (s[0]! + s[1]! + s[2]!);
  assert.ok(close(f.get('ngt_strength'), strength));
});

test('NGLDM 2D (α = 0): dependence counts', () => {
  const f = neighbourhoodFamilies(slice(EXAMPLE), ['2D'], 0).ngl.get('2D')!;
  // level 1: j=3 ×3 ; level 2: j=3 ×2, j=4 ×2 ; level 3: j=2 ×2
  assert.ok(close(f.get('ngl_lde'), (3 / 9 + 2 / 9 + 2 / 16 + 2 / 4) / 9));
  assert.ok(close(f.get('ngl_hde'), (3 * 9 + 2 * 9 + 2 * 16 + 2 * 4) / 9));
  assert.ok(close(f.get('ngl_dc_perc'), 1));
});
