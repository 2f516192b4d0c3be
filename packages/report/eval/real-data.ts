/**
 * eval:report — the full report step on the real shared-data examples (TotalSegmentator example CT,
 * as DICOM and as NIfTI): read → segmentSpineCT → measureSpineCT → writeAnalysisReport into
 * out/report-eval/<case>/, then dciodvfy every DICOM output and print one table.
 * Run: npm run eval:report   (needs ../shared/data; dciodvfy from Debian dicom3tools)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readVolume } from '@rachis/imaging';
import { sharedData, REPO_ROOT } from '@rachis/imaging/testing';
import { segmentSpineCT } from '@rachis/spine';
import { measureSpineCT } from '@rachis/measure';
import { writeAnalysisReport } from '../src/index.js';

const CASES = [
  ['dicom', ['totalseg-example-ct', 'example_ct_dicom']],
  ['nifti', ['totalseg-example-ct', 'example_ct.nii.gz']],
] as const;

function dciodvfy(path: string): { errors: number; warnings: number } {
  const r = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (r.error) return { errors: Number.NaN, warnings: Number.NaN };
  const lines = `${r.stdout}${r.stderr}`.split('\n');
  return { errors: lines.filter((l) => l.startsWith('Error')).length, warnings: lines.filter((l) => l.startsWith('Warning')).length };
}

const rows: string[][] = [['case', 'vertebrae', 'read s', 'segment s', 'measure s', 'report s', 'DICOM files', 'dciodvfy errors', 'warnings', 'impression']];
for (const [name, parts] of CASES) {
  const input = sharedData(...parts);
  if (!input) {
    rows.push([name, 'missing shared data', '', '', '', '', '', '', '', '']);
    continue;
  }
  const out = join(REPO_ROOT, 'out', 'report-eval', name);
  const t: number[] = [performance.now()];
  const volume = await readVolume(input);
  t.push(performance.now());
  const spine = await segmentSpineCT(volume);
  t.push(performance.now());
  const results = measureSpineCT(volume, spine);
  t.push(performance.now());
  const { report, files } = await writeAnalysisReport(out, volume, spine, results);
  t.push(performance.now());
  const dicom = files.filter((f) => f.endsWith('.dcm')).map(dciodvfy);
  const s = (i: number): string => ((t[i + 1]! - t[i]!) / 1000).toFixed(1);
  rows.push([
    name, report.levels.filter((l) => l.kind === 'vertebra').map((l) => l.name).join(' '), s(0), s(1), s(2), s(3), String(dicom.length),
    String(dicom.reduce((a, d) => a + d.errors, 0)), String(dicom.reduce((a, d) => a + d.warnings, 0)), report.impression.slice(1).join(' | '),
  ]);
  console.error(`${name}: outputs in ${out}`);
}
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
