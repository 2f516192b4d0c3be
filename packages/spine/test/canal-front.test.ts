import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';
import { releaseCanalInFrontOfWall } from '../src/segment/canal-front.js';
import { labelledBox } from '../src/segment/box.js';

/**
 * One 1 mm line of voxels from front (j = 0) to back (+y, posterior in LPS), repeated over a 3 × 3
 * patch: low-density marrow (95 HU) of a body at j 0–7, its posterior wall at j 8, the canal
 * (−50 HU) at j 9–14, the lamina (850 HU) at j 15–16. The work grid's canal label reached two
 * voxels into the marrow and over the wall (j 6–14).
 */
function line(wallHU: number, bodyLabelled: boolean): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array; at: (j: number) => number } {
  const ny = 20;
  const hu = (j: number) => (j <= 7 ? 95 : j === 8 ? wallHU : j <= 14 ? -50 : j <= 16 ? 850 : -100);
  const data = new Float32Array(3 * ny * 3);
  const instance = new Uint8Array(data.length);
  const part = new Uint8Array(data.length);
  const at = (j: number) => 1 + 3 * (j + ny * 1);
  for (let k = 0; k < 3; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < 3; i++) {
    const p = i + 3 * (j + ny * k);
    data[p] = hu(j);
    if (j <= 5 && bodyLabelled) [instance[p], part[p]] = [1, 1];
    else if (j >= 6 && j <= 14) part[p] = 3;
    else if (j >= 15 && j <= 16) [instance[p], part[p]] = [1, 2];
  }
  return { v: { size: [3, ny, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data, meta: { modality: 'CT' } }, instance, part, at };
}

test('canal labels in front of a body\'s posterior wall are released; the canal behind it stays', () => {
  const { v, instance, part, at } = line(850, true);
  assert.ok(releaseCanalInFrontOfWall(v, instance, part, labelledBox(v.size, instance)) > 0);
  for (const j of [6, 7, 8]) assert.equal(part[at(j)], 0, `j ${j} (marrow and wall in front of the canal) still canal`);
  for (let j = 9; j <= 14; j++) assert.equal(part[at(j)], 3, `j ${j} (canal) released`);
});

test('no release without a cortical wall (an enhanced epidural vein, 250 HU) or without a body in front (a disc level)', () => {
  for (const [wallHU, body] of [[250, true], [850, false]] as const) {
    const { v, instance, part, at } = line(wallHU, body);
    assert.equal(releaseCanalInFrontOfWall(v, instance, part, labelledBox(v.size, instance)), 0, `wall ${wallHU} HU, body ${body}`);
    assert.equal(part[at(7)], 3);
  }
});
