/**
 * buildReport: Volume + SpineSegmentation + measurements → ReportV1 (a pure function).
 * Every number is rounded here once; writers only print the model.
 */
import { randomUUID } from 'node:crypto';
import type { Geometry, Volume, VolumeMetadata } from '@rachis/imaging';
import { RachisError } from '@rachis/imaging';
import type { SpineSegmentation } from '@rachis/spine';
import type { DicomOutputPlan, ReportV1, StudyFinding, Threshold } from '../model/types.js';
import { REPORT_MODEL_VERSION } from '../model/types.js';
import { levelRange, roundTo } from '../model/format.js';
import { RACHIS_UID_ROOT, createUidFactory, isValidUid, uuidFromSeed } from '../dicom/uids.js';
import type { KeyImageInput, ReportMeasurements } from './inputs.js';
import { buildLevels } from './levels.js';
import { alignmentFinding, bodyCompositionFinding, boneDensityFinding, boneDensityThresholds, fractureFinding, SCOLIOSIS_THRESHOLD } from './findings.js';
import { DISCLAIMER, GENERAL_LIMITS, METHOD_IDS, buildMethods } from './methods.js';

export const RACHIS_VERSION = '0.1.0';

export interface BuildReportOptions {
  /** Key images that will be written with the report (only their names/captions enter the model). */
  keyImages?: readonly Pick<KeyImageInput, 'id' | 'title' | 'caption'>[];
  /** Seed for output UIDs and the report id; random by default. Fix it for reproducible output. */
  seed?: string;
  /** Report creation time (defaults to now). */
  createdAt?: Date;
  /** First series number of the output series (SEG, SR, SC follow); default 9001. */
  firstSeriesNumber?: number;
}

const GEOMETRY_TOLERANCE_MM = 1e-3;

function sameGeometry(a: Geometry, b: Geometry): boolean {
  const close = (x: readonly number[], y: readonly number[]): boolean => x.every((v, i) => Math.abs(v - (y[i] ?? NaN)) <= GEOMETRY_TOLERANCE_MM);
  return a.size.every((v, i) => v === b.size[i]) && close(a.spacing, b.spacing) && close(a.origin, b.origin) && close(a.direction, b.direction);
}

function studyCaveats(volume: Volume, spine: SpineSegmentation, meas: ReportMeasurements | undefined): string[] {
  const out: string[] = [];
  const m = volume.meta;
  if (m.modality && m.modality !== 'CT') out.push(`Modality ${m.modality}: HU-based measurements (attenuation, bone density, body composition) do not apply.`);
  const agent = m.contrastAgent?.trim();
  if (agent) out.push(`Contrast-enhanced (agent: ${agent}): trabecular HU may be overestimated by about 10–25 HU, so the bone-density category may be too favourable.`);
  else out.push('No contrast agent recorded (0018,0010): HU thresholds assume a non-enhanced scan; if contrast was given, trabecular HU may be overestimated by about 10–25 HU.');
  if (m.kvp !== undefined && Math.abs(m.kvp - 120) > 1) out.push(`Tube voltage ${m.kvp} kVp: the HU thresholds assume 120 kVp (lower kVp reads bone higher).`);
  if (m.sliceThicknessMm !== undefined && m.sliceThicknessMm > 3) out.push(`Slice thickness ${m.sliceThicknessMm} mm: heights and angles are less precise.`);
  if (spine.labelling.state === 'uncertain') {
    const alt = spine.labelling.hypotheses[1];
    out.push(`Vertebra labelling is uncertain${alt ? `; alternative (${roundTo(alt.probability * 100, 0)}%): ${levelRange(alt.labels)} — ${alt.reason}` : ''}. Check the count before using level names.`);
  }
  if (spine.labelling.override) out.push(`Labels set by a user override: instance ${spine.labelling.override.instance} = ${spine.labelling.override.label}.`);
  // The contrast caveat above is written from the same header field the stages read, so their
  // own contrast notes would only repeat it.
  for (const w of [...(m.warnings ?? []), ...spine.warnings, ...(meas?.warnings ?? [])]) {
    if (!out.includes(w) && !/contrast/i.test(w)) out.push(w);
  }
  return out;
}

function impression(vertebraNames: string[], state: string, findings: StudyFinding[], caveats: string[]): string[] {
  const lines = [`${vertebraNames.length} vertebrae segmented (${levelRange(vertebraNames)}); labelling ${state}.`];
  const get = (k: StudyFinding['key']): StudyFinding | undefined => findings.find((f) => f.key === k && f.status === 'assessed');
  const fr = get('fractures');
  if (fr) lines.push(fr.summary);
  const bd = get('bone-density');
  if (bd) lines.push(bd.summary);
  const al = get('alignment');
  if (al) lines.push(al.summary);
  const bc = get('body-composition');
  if (bc) lines.push(`Body composition ${bc.summary}`);
  const missing = findings.filter((f) => f.status === 'not-assessed').map((f) => f.title.charAt(0).toLowerCase() + f.title.slice(1));
  if (missing.length) lines.push(`Not assessed: ${missing.join(', ')}.`);
  if (bd && caveats.some((c) => c.startsWith('Contrast-enhanced'))) lines.push('Contrast-enhanced study: interpret the bone-density category with caution.');
  return lines;
}

function dicomPlan(volume: Volume, seed: string, keyImageCount: number, firstSeries: number): DicomOutputPlan {
  const uid = createUidFactory(seed);
  return {
    uidRoot: RACHIS_UID_ROOT,
    studyInstanceUID: volume.meta.studyInstanceUID ?? uid('study'),
    frameOfReferenceUID: volume.meta.frameOfReferenceUID ?? uid('frame-of-reference'),
    seg: { seriesInstanceUID: uid('seg.series'), sopInstanceUID: uid('seg.instance'), seriesNumber: firstSeries },
    sr: { seriesInstanceUID: uid('sr.series'), sopInstanceUID: uid('sr.instance'), seriesNumber: firstSeries + 1 },
    sc: { seriesInstanceUID: uid('sc.series'), seriesNumber: firstSeries + 2, sopInstanceUIDs: Array.from({ length: keyImageCount }, (_, i) => uid(`sc.instance.${i + 1}`)) },
  };
}

/**
 * Input identity with invalid UIDs dropped: de-identified or hand-made files often carry empty or
 * malformed UIDs, which must never be copied into outputs (new ones are made instead).
 */
function cleanMeta(m: VolumeMetadata): VolumeMetadata {
  const ok = (u: string | undefined): string | undefined => (u !== undefined && isValidUid(u) ? u : undefined);
  const sops = m.sourceSopInstanceUIDs;
  const { studyInstanceUID: _s, seriesInstanceUID: _r, frameOfReferenceUID: _f, sourceSopInstanceUIDs: _i, ...rest } = m;
  return {
    ...rest,
    ...(ok(m.studyInstanceUID) ? { studyInstanceUID: m.studyInstanceUID } : {}),
    ...(ok(m.seriesInstanceUID) ? { seriesInstanceUID: m.seriesInstanceUID } : {}),
    ...(ok(m.frameOfReferenceUID) ? { frameOfReferenceUID: m.frameOfReferenceUID } : {}),
    ...(sops && sops.every((u) => isValidUid(u)) && new Set(sops).size === sops.length ? { sourceSopInstanceUIDs: sops } : {}),
  };
}

export function buildReport(input: Volume, spine: SpineSegmentation, measurements: ReportMeasurements | undefined, options: BuildReportOptions = {}): ReportV1 {
  const volume: Volume = { ...input, meta: cleanMeta(input.meta) };
  if (!sameGeometry(volume, spine.vertebraMask)) {
    throw new RachisError('GEOMETRY_MISMATCH', 'the vertebra label map does not have the geometry of the image it is reported on');
  }
  if (spine.vertebrae.length === 0) throw new RachisError('NO_SPINE', 'no vertebra was found, so there is nothing to report');
  const seed = options.seed ?? randomUUID();
  const m = volume.meta;
  const levels = buildLevels(spine, measurements);
  const findings = [fractureFinding(levels), boneDensityFinding(measurements), alignmentFinding(measurements), bodyCompositionFinding(measurements)];
  const caveats = studyCaveats(volume, spine, measurements);

  const used = new Set<string>([METHOD_IDS.segmentation]);
  for (const item of [...levels, ...findings]) for (const x of [...item.measurements, ...item.evaluations]) used.add(x.method);
  const measureAlgo = measurements?.algorithm ?? { name: 'none', version: 'none' };
  const algorithms = { default: measureAlgo, [METHOD_IDS.segmentation]: spine.algorithm };
  const thresholds: Record<string, Threshold[]> = { [METHOD_IDS.boneDensity]: boneDensityThresholds(measurements), [METHOD_IDS.alignment]: [SCOLIOSIS_THRESHOLD] };
  const methods = buildMethods(used, algorithms, measurements?.methods, thresholds);

  const vertebraNames = levels.filter((l) => l.kind === 'vertebra').map((l) => l.name);
  const keyImages = (options.keyImages ?? []).map((k) => ({ id: k.id, title: k.title, caption: k.caption, file: `key-${k.id}.png` }));
  const fromDicom = (m.sourceSopInstanceUIDs?.length ?? 0) === volume.size[2] && m.seriesInstanceUID !== undefined && m.studyInstanceUID !== undefined;
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;

  return {
    model: 'rachis.report',
    version: REPORT_MODEL_VERSION,
    reportId: uuidFromSeed(seed),
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    generator: { name: 'Rachis', version: RACHIS_VERSION, components: [{ ...spine.algorithm }, { ...measureAlgo }] },
    patient: defined({ id: m.patientId, name: m.patientName, sex: m.patientSex, age: m.patientAge, birthDate: m.patientBirthDate }),
    study: defined({ studyInstanceUID: m.studyInstanceUID, date: m.studyDate, description: m.studyDescription, accessionNumber: m.accessionNumber }),
    series: defined({
      seriesInstanceUID: m.seriesInstanceUID, seriesNumber: m.seriesNumber, description: m.seriesDescription, modality: m.modality,
      frameOfReferenceUID: m.frameOfReferenceUID, fromDicom, sourceInstanceCount: fromDicom ? volume.size[2] : 0,
      sizeVoxels: [...volume.size], spacingMm: volume.spacing.map((s) => roundTo(s, 4)) as [number, number, number],
      kvp: m.kvp, contrastAgent: m.contrastAgent, sliceThicknessMm: m.sliceThicknessMm,
    }),
    labelling: {
      state: spine.labelling.state,
      anchors: [...spine.labelling.anchors],
      alternatives: spine.labelling.hypotheses.slice(1).map((h) => ({ labels: [...h.labels], probability: roundTo(h.probability, 2), reason: h.reason })),
      ...(spine.labelling.override ? { override: { ...spine.labelling.override } } : {}),
    },
    levels,
    findings,
    impression: impression(vertebraNames, spine.labelling.state, findings, caveats),
    methods,
    limits: [...GENERAL_LIMITS],
    caveats,
    disclaimer: DISCLAIMER,
    keyImages,
    dicom: dicomPlan(volume, seed, keyImages.length, options.firstSeriesNumber ?? 9001),
  };
}
