import { isAbsolute, join, resolve } from 'node:path';
import { parse } from '../args.js';
import { EXIT_OK, UsageError, writeLine } from '../context.js';
import type { CliIO, Command } from '../context.js';
import { checkOverrideRequest } from '../override.js';
import type { OverrideRequest } from '../override.js';
import { createProgress } from '../progress.js';
import { ANALYSIS_STAGES, runAnalysis } from '../pipeline.js';
import type { AnalysisResult, MeasureRequest } from '../pipeline.js';

export const OVERRIDE_OPTIONS = {
  'first-visible': { type: 'string' },
  'lowest-lumbar': { type: 'string' },
  instance: { type: 'string' },
} as const;

export const OVERRIDE_USAGE = `  --first-visible <name>  the most cranial vertebra found is <name> (e.g. T10); relabels, no re-segmenting
  --lowest-lumbar <name>  the lowest vertebra now labelled lumbar is <name> (e.g. L5 when there are 6 lumbar-type)
  --instance <N=name>     vertebra instance N (1 = most cranial found) is <name>`;

/** Options shared by the commands that measure: input choice, patient data, label corrections. */
export const MEASURE_OPTIONS = {
  series: { type: 'string' },
  'height-m': { type: 'string' },
  sex: { type: 'string' },
  json: { type: 'boolean' },
  ...OVERRIDE_OPTIONS,
} as const;

/** The validated MeasureRequest of a command line parsed with MEASURE_OPTIONS. */
export function measureRequestFrom(input: string, values: Record<string, unknown>): MeasureRequest {
  const heightM = parseHeight(typeof values['height-m'] === 'string' ? values['height-m'] : undefined);
  const sex = parseSex(typeof values.sex === 'string' ? values.sex : undefined);
  return {
    input,
    override: overrideFrom(values),
    ...(typeof values.series === 'string' ? { series: values.series } : {}),
    ...(heightM !== undefined ? { heightM } : {}),
    ...(sex !== undefined ? { sex } : {}),
  };
}

export function overrideFrom(values: Record<string, unknown>): OverrideRequest {
  const r: OverrideRequest = {};
  if (typeof values['first-visible'] === 'string') r.firstVisible = values['first-visible'];
  if (typeof values['lowest-lumbar'] === 'string') r.lowestLumbar = values['lowest-lumbar'];
  if (typeof values.instance === 'string') r.instance = values.instance;
  checkOverrideRequest(r);
  return r;
}

export function parseHeight(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const h = Number(text);
  if (!(h > 0.5 && h < 2.6)) throw new UsageError(`--height-m must be a height in metres between 0.5 and 2.6, got '${text}'`);
  return h;
}

export function parseSex(text: string | undefined): 'M' | 'F' | undefined {
  if (text === undefined) return undefined;
  const s = text.toUpperCase();
  if (s !== 'M' && s !== 'F') throw new UsageError(`--sex must be M or F, got '${text}'`);
  return s;
}

export function printAnalysis(io: CliIO, result: AnalysisResult, outDir: string, json: boolean): void {
  const { report } = result;
  if (json) {
    writeLine(io.stdout, JSON.stringify({ outDir, files: result.files, report }, null, 2));
    return;
  }
  const levels = result.spine.vertebrae.map((v) => v.label).join(' ');
  writeLine(io.stdout, `Vertebrae (${report.labelling.state}): ${levels}`);
  for (const f of report.findings) writeLine(io.stdout, `  ${f.summary}`);
  writeLine(io.stdout, '');
  writeLine(io.stdout, `Report: ${join(outDir, 'report.pdf')} (also report.html, report.json, fhir-bundle.json, dicom/)`);
  writeLine(io.stdout, 'Rachis supports the radiologist: review the key images and every finding before use.');
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'The main job: DICOM folder/file or NIfTI → vertebrae, measurements and a report (PDF, HTML, JSON, DICOM SEG/SR/SC, FHIR)',
  usage: `Usage: rachis analyze <input> --out <dir> [options]

  <input>        DICOM folder or file, or .nii/.nii.gz/.nrrd CT (values in HU)
  --out <dir>    output folder (created; existing report files in it are replaced)
  --series <x>   choose one series when the folder holds several (UID or part of the description)
  --height-m <m> patient height in metres, for the skeletal muscle index
  --sex M|F      for the muscle-index cut-offs (else read from DICOM)
  --seed <text>  fix output UIDs and report id (reproducible outputs)
${OVERRIDE_USAGE}
  --json         print the report JSON (no progress display)

Writes report.pdf, report.html, report.json, fhir-bundle.json, key images (PNG),
dicom/seg.dcm, dicom/sr.dcm, dicom/sc-*.dcm and segmentation/vertebrae.nii.gz.`,
  async run(args, io) {
    const { values, positionals } = parse(args, { out: { type: 'string' }, seed: { type: 'string' }, ...MEASURE_OPTIONS }, { min: 1, max: 1 });
    if (values.out === undefined) throw new UsageError('--out <dir> is required');
    const outDir = isAbsolute(values.out) ? values.out : resolve(values.out);
    const request = measureRequestFrom(positionals[0] as string, values);
    const progress = createProgress(io, ANALYSIS_STAGES, !values.json);
    const result = await runAnalysis(
      { ...request, outDir, ...(values.seed !== undefined ? { seed: values.seed } : {}) },
      progress,
    );
    printAnalysis(io, result, outDir, values.json === true);
    return EXIT_OK;
  },
};
