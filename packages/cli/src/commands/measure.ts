import { writeFile } from 'node:fs/promises';
import type { MeasurementResults } from '@rachis/measure';
import { parse } from '../args.js';
import { EXIT_OK, writeLine } from '../context.js';
import type { CliIO, Command } from '../context.js';
import { createProgress } from '../progress.js';
import { loadAndMeasure } from '../pipeline.js';
import { MEASURE_OPTIONS, OVERRIDE_USAGE, measureRequestFrom } from './analyze.js';

export const measureCommand: Command = {
  name: 'measure',
  summary: 'Per-vertebra measurements of a CT: heights/Genant grade, trabecular HU, Cobb/kyphosis/lordosis, L3 body composition',
  usage: `Usage: rachis measure <input> [--out measurements.json] [--height-m <m>] [--sex M|F] [overrides] [--json]

  <input>        DICOM folder or file, or .nii/.nii.gz/.nrrd CT in HU
  --out <file>   also write every measurement with its method, inputs and caveats as JSON
${OVERRIDE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parse(args, { out: { type: 'string' }, ...MEASURE_OPTIONS }, { min: 1, max: 1 });
    const request = measureRequestFrom(positionals[0] as string, values);
    const progress = createProgress(io, 3, !values.json);
    const { spine, measurements: m } = await loadAndMeasure(request, progress, { withTissueMask: false });
    const payload = { labelling: spine.labelling.state, vertebrae: spine.vertebrae.map((v) => v.label), measurements: m };
    if (values.out !== undefined) await writeFile(values.out, JSON.stringify(payload, null, 2) + '\n');
    if (values.json) writeLine(io.stdout, JSON.stringify(payload, null, 2));
    else printTable(io, m, spine.labelling.state);
    return EXIT_OK;
  },
};

const fmt = (x: number | undefined, d = 1): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

function printTable(io: CliIO, m: MeasurementResults, state: string): void {
  writeLine(io.stdout, `Levels: ${state}`);
  writeLine(io.stdout, 'level  Ha mm  Hm mm  Hp mm  Genant  trab. HU');
  const density = new Map(m.density.map((d) => [d.label, d]));
  for (const v of m.morphometry) {
    const h = v.heights.status === 'measured' ? v.heights.value : undefined;
    const g = v.genant.status === 'measured' ? `${v.genant.value.grade}${v.genant.value.shape !== 'normal' ? ' ' + v.genant.value.shape : ''}` : 'n/g';
    const d = density.get(v.label);
    const hu = d && d.trabecular.status === "measured" ? fmt(d.trabecular.value.meanHU, 0) : '-';
    writeLine(
      io.stdout,
      `${v.label.padEnd(6)} ${fmt(h?.anterior.heightMm).padStart(5)}  ${fmt(h?.middle.heightMm).padStart(5)}  ${fmt(h?.posterior.heightMm).padStart(5)}  ${g.padEnd(6)}  ${hu.padStart(7)}`,
    );
  }
  const bmd = m.opportunisticBmd;
  writeLine(io.stdout, bmd.status === 'measured' ? `Bone density: ${bmd.value.level} ${fmt(bmd.value.meanHU, 0)} HU → ${bmd.value.category}` : `Bone density: not measured (${bmd.reason})`);
  const bc = m.bodyComposition;
  writeLine(
    io.stdout,
    bc.status === 'measured'
      ? `Body composition at ${bc.value.level}: muscle ${fmt(bc.value.skeletalMuscle.areaCm2)} cm², VAT ${fmt(bc.value.visceralFat.areaCm2)} cm², SAT ${fmt(bc.value.subcutaneousFat.areaCm2)} cm²`
      : `Body composition: not measured (${bc.reason})`,
  );
  for (const w of m.warnings) writeLine(io.stderr, `warning: ${w}`);
}
