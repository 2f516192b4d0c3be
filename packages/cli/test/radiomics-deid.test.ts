import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedData } from '@rachis/imaging/testing';
import { runCli } from './run-cli.js';

test('radiomics on the IBSI digital phantom prints CSV with IBSI codes', async (t) => {
  const image = sharedData('ibsi/data_sets/ibsi_1_digital_phantom/nifti/image/phantom.nii.gz');
  const mask = sharedData('ibsi/data_sets/ibsi_1_digital_phantom/nifti/mask/mask.nii.gz');
  if (!image || !mask) return t.skip('IBSI digital phantom not available');
  const r = await runCli('radiomics', image, mask, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { ibsiCode: string; value: number }[];
  assert.ok(rows.length > 100);
  assert.ok(rows.some((row) => row.ibsiCode === 'RNU0'), 'morphology volume (RNU0) present');
});

test('radiomics rejects a bad --label and a bad --format', async () => {
  assert.equal((await runCli('radiomics', 'a.nii', 'b.nii', '--label', 'x')).code, 2);
  assert.equal((await runCli('radiomics', 'a.nii', 'b.nii', '--format', 'xml')).code, 2);
});

test('deid needs a key file, creates one on request, and writes hashed names', async (t) => {
  const input = sharedData('totalseg-example-ct/example_ct_dicom');
  if (!input) return t.skip('example DICOM not available');
  const dir = mkdtempSync(join(tmpdir(), 'rachis-cli-deid-'));
  const noKey = await runCli('deid', input, join(dir, 'out'));
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /--key-file is required/);
  const missingKey = await runCli('deid', input, join(dir, 'out'), '--key-file', join(dir, 'nokey'));
  assert.equal(missingKey.code, 1);
  const key = join(dir, 'deid.key');
  const r = await runCli('deid', input, join(dir, 'out'), '--key-file', key, '--create-key', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  const summary = JSON.parse(r.stdout) as { files: { written: number } };
  assert.equal(summary.files.written, readdirSync(input).length);
  for (const f of readdirSync(join(dir, 'out'))) assert.doesNotMatch(f, /1\.3\.12/);
  assert.ok(existsSync(key));
});

test('deid rejects an unknown --retain-dates mode', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rachis-cli-deid-'));
  writeFileSync(join(dir, 'k'), Buffer.alloc(32, 7));
  const r = await runCli('deid', dir, join(dir, 'o'), '--key-file', join(dir, 'k'), '--retain-dates', 'sometimes');
  assert.equal(r.code, 2);
});

test('radiomics --vertebrae runs the spine engine and gives one feature set per vertebral body', async () => {
  const { makeSpinePhantom } = await import('@rachis/spine');
  const { writeNifti } = await import('@rachis/imaging');
  const dir = mkdtempSync(join(tmpdir(), 'rachis-cli-radiomics-'));
  const phantom = makeSpinePhantom({ seed: 11, spacingMm: [2, 2, 2], fov: { from: 'L2', to: 'S1', marginMm: 10 } });
  const ct = join(dir, 'ct.nii.gz');
  await writeNifti(ct, { ...phantom.volume, meta: { ...phantom.volume.meta, modality: 'CT' } });
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, JSON.stringify({ families: ['statistics'], interpolation: { spacingMm: [2, 2, 2] } }));
  const r = await runCli('radiomics', ct, '--vertebrae', '--settings', settings, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { mask: string; ibsiCode: string; value: number }[];
  const bodies = new Set(rows.map((row) => row.mask));
  assert.ok(bodies.size >= 3, `several bodies, got ${[...bodies].join(', ')}`);
  for (const b of bodies) assert.match(b, / body$/);
  const means = rows.filter((row) => row.ibsiCode === 'Q4LE');
  assert.equal(means.length, bodies.size, 'one intensity mean (Q4LE) per body');
});
