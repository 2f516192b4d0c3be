/** runRadiomics: the CLI-facing edge reads files, applies a settings file and a label override. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRachisError } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { rowsToCsv, runRadiomics, runRadiomicsBatch } from '../src/index.js';

test('runRadiomics on the IBSI digital phantom with a YAML settings file', async (t) => {
  const dir = sharedData('ibsi', 'data_sets', 'ibsi_1_digital_phantom', 'nifti');
  if (!dir) return t.skip('shared IBSI data not present');
  const tmp = mkdtempSync(join(tmpdir(), 'rachis-radiomics-'));
  const settingsPath = join(tmp, 's.yaml');
  writeFileSync(settingsPath, 'discretisation:\n  texture: { method: none }\n  histogram: { method: none }\nfamilies: [statistics, glcm]\n');
  const rows = await runRadiomics({ imagePath: join(dir, 'image/phantom.nii.gz'), maskPath: join(dir, 'mask/mask.nii.gz'), label: 1, settingsPath });
  const mean = rows.find((r) => r.feature === 'stat_mean')!;
  assert.equal(mean.ibsiCode, 'Q4LE');
  assert.equal(mean.pyradiomicsName, 'firstorder_Mean');
  assert.ok(Math.abs(mean.value - 2.1486) < 1e-4);
  assert.ok(rows.some((r) => r.feature === 'cm_joint_max_3D_avg' && r.aggregation === '3D_avg' && r.ibsiAggregationCode === 'ITBB' && r.ibsiCode === 'GYBY'));
  assert.ok(!rows.some((r) => r.family === 'morphology'));
  const csv = rowsToCsv(rows);
  assert.equal(csv.split('\n')[0], 'image,mask,label,family,feature,aggregation,ibsiAggregationCode,ibsiCode,ibsiName,pyradiomicsName,value');
  assert.ok(csv.includes("\"Moran's") === false);
  // label that does not exist → typed error; batch mode records it and continues
  await assert.rejects(
    runRadiomics({ imagePath: join(dir, 'image/phantom.nii.gz'), maskPath: join(dir, 'mask/mask.nii.gz'), label: 7, settingsPath }),
    (e) => isRachisError(e, 'INVALID_ARGUMENT'),
  );
  const batch = await runRadiomicsBatch([
    { imagePath: join(dir, 'image/phantom.nii.gz'), maskPath: join(dir, 'mask/mask.nii.gz'), settingsPath },
    { imagePath: join(tmp, 'nope.nii.gz'), maskPath: join(dir, 'mask/mask.nii.gz') },
  ]);
  assert.equal(batch.errors.length, 1);
  assert.ok(batch.rows.length > 20);
});
