/**
 * Genant grading precision on 1 mm perfect masks: grade-1 wedges (20–25 % loss) placed at five
 * levels of the low-BMD T10–S1 phantom, three losses each. A single 22 % wedge (phantom row (a))
 * says little about how far a reading can be off; this sweep shows the spread of the height-loss
 * error, whether a miss is flagged borderline with the truth inside its grade range, and the sign
 * of the error (a systematic under-reading would under-call fractures).
 *
 * Two renderings: the phantom's own (each voxel takes the tissue at its centre: a binary staircase
 * at every endplate, no sub-voxel information) and slice-integrated (each 1 mm slice the mean of
 * three 1/3 mm slices, as a CT slice integrates its thickness: the endplates carry partial volume).
 * The masks are the same centre-sampled labels in both.
 */
import type { SpinePhantomParams, VertebraName } from '@rachis/spine';
import { measureSpineCT } from '../src/pipeline.js';
import { phantomSegmentation } from './phantom-seg.js';
import { PHANTOMS, renderPhantom } from './phantom-eval.js';
import { fmt, table } from './table.js';

export const SWEEP_LEVELS: VertebraName[] = ['T11', 'T12', 'L1', 'L2', 'L4'];
export const SWEEP_LOSSES = [21, 22.5, 24];

interface Reading {
  level: VertebraName;
  truthLossPct: number;
  lossPct: number;
  grade: number;
  range: string;
  borderline: boolean;
}

export type SweepRendering = 'voxel-centre' | 'slice-integrated';

/** Sub-slices averaged into one slice for the slice-integrated rendering. */
const SUB_SLICES = 3;

export function gradingSweep(rendering: SweepRendering = 'voxel-centre'): string {
  const base = PHANTOMS.find((p) => p.name.startsWith('thoracolumbar T10–S1, grade-1 wedge'))?.params;
  if (!base) throw new Error('grading sweep: the low-BMD T10–S1 phantom is missing from PHANTOMS');
  const readings: Reading[] = [];
  const notes: string[] = [];
  for (const level of SWEEP_LEVELS) {
    for (const loss of SWEEP_LOSSES) {
      const params: SpinePhantomParams = { ...base, deformities: [{ level, shape: 'wedge', heightLossPct: loss }] };
      const ph = renderPhantom({ name: `${level} ${loss} %`, params, ...(rendering === 'slice-integrated' ? { sliceIntegrated: SUB_SLICES } : {}) });
      const r = measureSpineCT(ph.volume, phantomSegmentation(ph));
      const m = r.morphometry.find((x) => x.label === level);
      const truth = ph.truth.vertebrae.find((v) => v.name === level);
      if (!m || !truth || m.genant.status !== 'measured') {
        notes.push(`${level} ${loss} %: not graded (${m?.genant.status === 'not-measured' ? m.genant.reason : 'level not found'})`);
        continue;
      }
      const g = m.genant.value;
      readings.push({ level, truthLossPct: truth.heightLossPct, lossPct: 100 * g.heightLoss, grade: g.grade, range: g.gradeRange ? `${g.gradeRange[0]}–${g.gradeRange[1]}` : '—', borderline: !!g.gradeBorderline });
    }
  }
  const cell = (x: Reading | undefined): string => (x ? `${fmt(x.lossPct, 1)} % → ${x.grade}${x.grade === 1 ? '' : ' ✗'}${x.borderline ? ` (borderline ${x.range})` : ''}` : 'not graded');
  const rows = SWEEP_LEVELS.map((level) => [level, ...SWEEP_LOSSES.map((loss) => cell(readings.find((x) => x.level === level && x.truthLossPct === loss)))]);
  const exact = readings.filter((x) => x.grade === 1);
  const misses = readings.filter((x) => x.grade !== 1);
  const flagged = misses.filter((x) => x.borderline && x.range !== '—' && Number(x.range[0]) <= 1 && 1 <= Number(x.range[x.range.length - 1]));
  const d = readings.map((x) => x.lossPct - x.truthLossPct);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  return [
    table(['level', ...SWEEP_LOSSES.map((l) => `truth ${l} % (grade 1)`)], rows),
    `grade exact ${exact.length}/${readings.length}; misses flagged borderline with grade 1 in their range ${flagged.length}/${misses.length}; height-loss error mean ${fmt(mean(d))} pp (signed), mean |Δ| ${fmt(mean(d.map(Math.abs)))} pp, range ${fmt(Math.min(...d))} to ${fmt(Math.max(...d))} pp`,
    ...notes,
  ].join('\n');
}
