import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '@rachis/imaging';
import { makeSpinePhantom } from '@rachis/spine';
import { runCli } from './run-cli.js';

test('analyze writes every report output from a NIfTI CT, and prints the same report it wrote', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rachis-cli-analyze-'));
  const phantom = makeSpinePhantom({ seed: 3, spacingMm: [2, 2, 2], fov: { from: 'T12', to: 'S1', marginMm: 10 } });
  const input = join(dir, 'ct.nii.gz');
  await writeNifti(input, { ...phantom.volume, meta: { ...phantom.volume.meta, modality: 'CT' } });
  const out = join(dir, 'out');
  const r = await runCli('analyze', input, '--out', out, '--seed', 'test', '--json');
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['report.json', 'report.html', 'report.pdf', 'fhir-bundle.json', 'dicom/seg.dcm', 'dicom/sr.dcm', 'segmentation/vertebrae.nii.gz']) {
    assert.ok(existsSync(join(out, f)), `${f} written`);
  }
  const printed = JSON.parse(r.stdout) as { report: { levels: unknown[]; reportId: string } };
  const onDisk = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { levels: unknown[]; reportId: string };
  assert.deepEqual(printed.report.levels, onDisk.levels);
  assert.equal(printed.report.reportId, onDisk.reportId);
});

test('analyze needs --out and validates --height-m, --sex and the override flags', async () => {
  assert.equal((await runCli('analyze', 'x.nii.gz')).code, 2);
  assert.equal((await runCli('analyze', 'x.nii.gz', '--out', '/tmp/o', '--height-m', '172')).code, 2);
  assert.equal((await runCli('analyze', 'x.nii.gz', '--out', '/tmp/o', '--sex', 'X')).code, 2);
  assert.equal((await runCli('analyze', 'x.nii.gz', '--out', '/tmp/o', '--first-visible', 'Q7')).code, 2);
  assert.equal((await runCli('analyze', 'x.nii.gz', '--out', '/tmp/o', '--first-visible', 'T10', '--lowest-lumbar', 'L5')).code, 2);
  assert.equal((await runCli('analyze', 'x.nii.gz', '--out', '/tmp/o', '--instance', 'three=L1')).code, 2);
});

test('segment relabels with --first-visible without re-segmenting differently', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rachis-cli-segment-'));
  const phantom = makeSpinePhantom({ seed: 5, spacingMm: [2, 2, 2], fov: { from: 'L1', to: 'S1', marginMm: 10 } });
  const input = join(dir, 'ct.nii.gz');
  await writeNifti(input, { ...phantom.volume, meta: { ...phantom.volume.meta, modality: 'CT' } });
  const a = await runCli('segment', input, '--out', join(dir, 'a'), '--json');
  assert.equal(a.code, 0, a.stderr);
  const b = await runCli('segment', input, '--out', join(dir, 'b'), '--json', '--first-visible', 'T9');
  assert.equal(b.code, 0, b.stderr);
  const va = (JSON.parse(a.stdout) as { vertebrae: { label: string; centroidMm: number[] }[] }).vertebrae;
  const vb = (JSON.parse(b.stdout) as { vertebrae: { label: string; centroidMm: number[] }[] }).vertebrae;
  assert.equal(va.length, vb.length);
  assert.deepEqual(va.map((v) => v.centroidMm), vb.map((v) => v.centroidMm));
  assert.equal(vb[0]?.label, 'T9');
  for (const f of ['vertebrae.nii.gz', 'parts.nii.gz', 'spine.json', 'sagittal.png', 'coronal.png']) assert.ok(existsSync(join(dir, 'b', f)));
});
