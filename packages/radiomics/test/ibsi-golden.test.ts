/** Golden test: the IBSI-1 digital phantom against the IBSI reference values, every family. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readLabelMap, readNifti } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { extractFeatures } from '../src/index.js';
import { IBSI_CASES } from '../eval/ibsi-configs.js';
import { matches, readReference } from '../eval/reference.js';

test('IBSI-1 digital phantom: every reference feature matches (3 significant digits)', async (t) => {
  const root = sharedData('ibsi');
  if (!root) return t.skip('shared IBSI data not present');
  const c = IBSI_CASES[0]!;
  const res = extractFeatures(await readNifti(join(root, '..', c.image)), await readLabelMap(join(root, '..', c.mask)), c.settings);
  const byTag = new Map(res.features.map((f) => [f.tag, f.value]));
  const refs = readReference(join(root, 'reference_values', 'ibsi_1_reference_values_digital_phantom.csv'));
  const families = new Set<string>();
  const misses: string[] = [];
  for (const r of refs) {
    families.add(r.family);
    const v = byTag.get(r.tag);
    if (v === undefined || !matches(v, r)) misses.push(`${r.tag}: ${v} vs ${r.value}`);
  }
  assert.ok(refs.length >= 480, `only ${refs.length} reference rows`);
  assert.ok(families.size >= 29);
  assert.deepEqual(misses, []);
});
