/** Every NIfTI/NRRD file in ../shared/data must read; a few are cross-checked against ITK (itk-wasm). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readImageNode } from '@itk-wasm/image-io';
import { readNifti, readNrrd } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';

const IMAGE_FILE = /\.(nii|nii\.gz|nrrd|nhdr)$/i;

function listImages(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: false })
    .map(String)
    .filter((f) => IMAGE_FILE.test(f))
    .sort()
    .map((f) => join(root, f));
}

const read = (f: string): ReturnType<typeof readNifti> => (/\.(nrrd|nhdr)$/i.test(f) ? readNrrd(f) : readNifti(f));

test('every NIfTI/NRRD file in ../shared/data reads with a sane geometry', async (t) => {
  const root = sharedData();
  if (!root) return t.skip('../shared/data not present');
  const files = listImages(root);
  assert.ok(files.length >= 100, `expected the shared NIfTI/NRRD corpus, found ${files.length} files`);
  for (const f of files) {
    const v = await read(f);
    assert.equal(v.data.length, v.size[0] * v.size[1] * v.size[2], f);
    assert.ok(v.spacing.every((s) => s > 0 && s < 100), `${f}: spacing ${v.spacing}`);
    assert.ok(v.origin.every(Number.isFinite), `${f}: origin ${v.origin}`);
    // Direction columns are unit vectors.
    for (let c = 0; c < 3; c++) {
      const n = Math.hypot(v.direction[c]!, v.direction[3 + c]!, v.direction[6 + c]!);
      assert.ok(Math.abs(n - 1) < 1e-6, `${f}: direction column ${c} norm ${n}`);
    }
  }
});

const CROSS_CHECK = [
  'sct-testing-data/t2/t2.nii.gz',
  'totalseg-example-ct/example_ct_sm.nii.gz',
  'verse-sub-verse004/verse_repo/sub-verse004_seg-vert_msk.nii.gz',
  'ibsi/data_sets/ibsi_2_digital_phantom/nifti/orientation/image/orientation.nii.gz',
  'pyradiomics-testdata/prostate_phantom_subvolume.nrrd',
];

test('geometry and voxels agree with ITK (itk-wasm readImageNode)', async (t) => {
  for (const rel of CROSS_CHECK) {
    const f = sharedData(...rel.split('/'));
    if (!f) {
      t.diagnostic(`skipped missing ${rel}`);
      continue;
    }
    const ours = await read(f);
    const itk = await readImageNode(f);
    assert.deepEqual([...ours.size], [...itk.size], rel);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(ours.spacing[i]! - itk.spacing[i]!) < 1e-4, `${rel}: spacing ${ours.spacing} vs ${itk.spacing}`);
      assert.ok(Math.abs(ours.origin[i]! - itk.origin[i]!) < 1e-3, `${rel}: origin ${ours.origin} vs ${itk.origin}`);
    }
    // itk-wasm's direction is ITK's row-major matrix whose columns are the axes, as ours.
    for (let i = 0; i < 9; i++) {
      assert.ok(Math.abs(ours.direction[i]! - Number(itk.direction[i]!)) < 1e-4, `${rel}: direction ${ours.direction} vs ${String(itk.direction)}`);
    }
    const theirs = itk.data as ArrayLike<number>;
    assert.equal(theirs.length, ours.data.length);
    let maxDiff = 0;
    for (let i = 0; i < theirs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(Number(theirs[i]!) - ours.data[i]!));
    assert.ok(maxDiff < 1e-3, `${rel}: max voxel difference ${maxDiff}`);
  }
});
