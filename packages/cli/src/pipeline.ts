/**
 * The main job as one function: load → spine engine → measurements → report → files.
 * Each stage is a library call; this module only sequences them, reports progress and writes
 * the outputs, so a server can run the same steps.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readVolume, writeVolume } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';
import { TISSUE_LABELS, measureSpineCT } from '@rachis/measure';
import type { MeasurementResults } from '@rachis/measure';
import { writeAnalysisReport } from '@rachis/report';
import type { BodyCompositionOverlay, ReportV1 } from '@rachis/report';
import { relabelSpine, segmentSpineCT } from '@rachis/spine';
import type { SpineSegmentation } from '@rachis/spine';
import { resolveOverride } from './override.js';
import type { OverrideRequest } from './override.js';
import type { Progress } from './progress.js';

/** Input, series choice, label corrections and patient data: what every analysis stage needs. */
export interface MeasureRequest {
  input: string;
  series?: string;
  override?: OverrideRequest;
  /** Patient height in metres (for the skeletal muscle index). */
  heightM?: number;
  sex?: 'M' | 'F';
}

export interface AnalysisRequest extends MeasureRequest {
  outDir: string;
  /** Fixes output UIDs and the report id (reproducible output). */
  seed?: string;
}

export interface AnalysisResult {
  volume: Volume;
  spine: SpineSegmentation;
  measurements: MeasurementResults;
  report: ReportV1;
  files: string[];
}

export const ANALYSIS_STAGES = 4;

export async function segmentWithOverride(volume: Volume, override: OverrideRequest | undefined): Promise<SpineSegmentation> {
  const spine = await segmentSpineCT(volume);
  const resolved = override ? resolveOverride(override, spine) : undefined;
  return resolved ? relabelSpine(spine, resolved) : spine;
}

export function loadVolume(progress: Progress, input: string, series: string | undefined): Promise<Volume> {
  return progress.stage('Loading images', () => readVolume(input, series === undefined ? {} : { series }));
}

/** The three stages shared by `measure` and `analyze`: load, segment (with overrides), measure. */
export async function loadAndMeasure(
  req: MeasureRequest,
  progress: Progress,
  options: { withTissueMask: boolean },
): Promise<{ volume: Volume; spine: SpineSegmentation; measurements: MeasurementResults }> {
  const volume = await loadVolume(progress, req.input, req.series);
  const spine = await progress.stage('Finding, segmenting and labelling vertebrae', () => segmentWithOverride(volume, req.override));
  const measurements = await progress.stage('Measuring each level', () =>
    measureSpineCT(volume, spine, {
      bodyComposition: {
        withTissueMask: options.withTissueMask,
        ...(req.heightM !== undefined ? { heightM: req.heightM } : {}),
        ...(req.sex !== undefined ? { sex: req.sex } : {}),
      },
    }),
  );
  return { volume, spine, measurements };
}

export async function runAnalysis(req: AnalysisRequest, progress: Progress): Promise<AnalysisResult> {
  const { volume, spine, measurements } = await loadAndMeasure(req, progress, { withTissueMask: true });
  const { report, files } = await progress.stage('Writing the report (PDF, HTML, JSON, DICOM SEG/SR/SC, FHIR)', async () => {
    const overlay = bodyCompositionOverlay(measurements);
    const written = await writeAnalysisReport(req.outDir, volume, spine, measurements, {
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(overlay ? { bodyComposition: overlay } : {}),
    });
    const mask = join(req.outDir, 'segmentation', 'vertebrae.nii.gz');
    await mkdir(dirname(mask), { recursive: true });
    await writeVolume(mask, spine.vertebraMask);
    return { report: written.report, files: [...written.files, mask] };
  });
  return { volume, spine, measurements, report, files };
}

/** Conventional body-composition colours (muscle red, IMAT green, VAT yellow, SAT cyan). */
const TISSUE_COLOURS: Readonly<Record<number, [number, number, number]>> = {
  1: [220, 40, 40],
  2: [60, 200, 80],
  3: [240, 210, 40],
  4: [40, 190, 230],
};

function bodyCompositionOverlay(m: MeasurementResults): BodyCompositionOverlay | undefined {
  const bc = m.bodyComposition;
  if (bc.status !== 'measured' || !bc.value.tissueMask) return undefined;
  const legend = [...TISSUE_LABELS].map(([value, name]) => ({ value, name, ...(TISSUE_COLOURS[value] ? { colour: TISSUE_COLOURS[value] } : {}) }));
  return { overlay: bc.value.tissueMask, sliceIndex: bc.value.sliceIndex, legend };
}
