import { test } from 'node:test';
import assert from 'node:assert/strict';
import { voxelCount } from '@rachis/imaging';

test('voxelCount multiplies the three dimensions', () => {
  assert.equal(voxelCount([2, 3, 4]), 24);
});
