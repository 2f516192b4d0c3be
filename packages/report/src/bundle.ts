/**
 * The report bundle: every output rendered from one ReportV1. `renderReportBundle` is pure
 * (returns file names → bytes); `writeReportBundle` is the only function here that touches the disk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LabelMap, Volume } from '@rachis/imaging';
import type { MeasurementResults } from '@rachis/measure';
import type { SpineSegmentation } from '@rachis/spine';
import { RachisError } from '@rachis/imaging';
import type { ReportV1 } from './model/types.js';
import type { KeyImageInput } from './build/inputs.js';
import { writeSeg } from './dicom/seg.js';
import { writeSr } from './dicom/sr.js';
import { writeSecondaryCaptures } from './dicom/sc.js';
import { writeFhirBundle } from './fhir/fhir.js';
import { writeHtml } from './html/html.js';
import { writePdf } from './pdf/pdf.js';
import { buildReport } from './build/build-report.js';
import { fromMeasure } from './build/measure-adapter.js';
import { keyImageRefs, renderKeyImages, type BodyCompositionOverlay } from './key-images.js';

export interface BundleInputs {
  report: ReportV1;
  /** `SpineSegmentation.vertebraMask` (label values as in the report levels). */
  vertebraMask: LabelMap;
  /** PNGs for report.keyImages, matched by id. */
  keyImages?: readonly KeyImageInput[];
  /** From the input Volume's meta, to reference the source slices in SEG and SR. */
  sourceSopInstanceUIDs?: readonly string[];
  sourceSopClassUID?: string;
}

export const BUNDLE_FILES = {
  json: 'report.json',
  html: 'report.html',
  pdf: 'report.pdf',
  fhir: 'fhir-bundle.json',
  seg: 'dicom/seg.dcm',
  sr: 'dicom/sr.dcm',
} as const;

/** Relative path → bytes of every output. */
export async function renderReportBundle(inputs: BundleInputs): Promise<Map<string, Uint8Array>> {
  const { report } = inputs;
  const pngById = new Map((inputs.keyImages ?? []).map((k) => [k.id, k.png]));
  const missing = report.keyImages.filter((k) => !pngById.has(k.id)).map((k) => k.id);
  if (missing.length) throw new RachisError('INVALID_ARGUMENT', `no PNG given for key image(s) ${missing.join(', ')}`);
  const pngs = report.keyImages.map((k) => pngById.get(k.id)!);
  const source = {
    ...(inputs.sourceSopInstanceUIDs ? { sourceSopInstanceUIDs: inputs.sourceSopInstanceUIDs } : {}),
    ...(inputs.sourceSopClassUID ? { sourceSopClassUID: inputs.sourceSopClassUID } : {}),
  };
  const files = new Map<string, Uint8Array>();
  const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  files.set(BUNDLE_FILES.json, text(`${JSON.stringify(report, null, 2)}\n`));
  files.set(BUNDLE_FILES.html, text(writeHtml(report, { keyImagePngs: pngById })));
  files.set(BUNDLE_FILES.pdf, await writePdf(report, pngById));
  files.set(BUNDLE_FILES.fhir, text(writeFhirBundle(report)));
  files.set(BUNDLE_FILES.seg, writeSeg(report, inputs.vertebraMask, source));
  files.set(BUNDLE_FILES.sr, writeSr(report, source));
  writeSecondaryCaptures(report, pngs).forEach((b, i) => files.set(`dicom/sc-${i + 1}.dcm`, b));
  report.keyImages.forEach((k, i) => files.set(k.file, pngs[i]!));
  return files;
}

/** Writes the bundle under `outDir` and returns the absolute paths written. */
export async function writeReportBundle(outDir: string, inputs: BundleInputs): Promise<string[]> {
  const files = await renderReportBundle(inputs);
  const written: string[] = [];
  for (const [rel, bytes] of files) {
    const p = join(outDir, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, bytes);
    written.push(p);
  }
  return written;
}

export interface AnalysisReportOptions {
  /** Reproducible UIDs/ids (tests, golden runs). */
  seed?: string;
  /** L3 tissue overlay for the axial key image (omitted: sagittal and coronal only). */
  bodyComposition?: BodyCompositionOverlay;
}

/**
 * The whole report step for `rachis analyze`: measurements from @rachis/measure → model →
 * key images → every output under `outDir`. Returns the model and the files written.
 */
export async function writeAnalysisReport(
  outDir: string,
  volume: Volume,
  spine: SpineSegmentation,
  results: MeasurementResults,
  options: AnalysisReportOptions = {},
): Promise<{ report: ReportV1; files: string[] }> {
  const report = buildReport(volume, spine, fromMeasure(results), {
    keyImages: keyImageRefs({ bodyComposition: options.bodyComposition !== undefined }),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const keyImages = renderKeyImages(report, volume, spine.vertebraMask, options.bodyComposition);
  const files = await writeReportBundle(outDir, {
    report, vertebraMask: spine.vertebraMask, keyImages,
    ...(volume.meta.sourceSopInstanceUIDs ? { sourceSopInstanceUIDs: volume.meta.sourceSopInstanceUIDs } : {}),
    ...(volume.meta.sourceSopClassUID ? { sourceSopClassUID: volume.meta.sourceSopClassUID } : {}),
  });
  return { report, files };
}
