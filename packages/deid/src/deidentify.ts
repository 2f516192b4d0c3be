/**
 * The pure core: DICOM bytes in, de-identified DICOM bytes (or a quarantine reason) out.
 * No file system, no console, no global state.
 */
import { isRachisError } from '@rachis/imaging';
import { blankBurnedIn, burnedInRisk, topLevel } from './burned-in.js';
import type { Pseudonymizer } from './keyed.js';
import { METHOD_CODES, methodCodes, type DeidOptions } from './options.js';
import { parsePart10, type ParsedFile } from './part10/parse.js';
import { TAG } from './part10/syntax.js';
import { encodeString, writePart10, type OutElement } from './part10/write.js';
import { compileProfile, type CompiledProfile } from './profile/rules.js';
import { QuarantineError, type QuarantineReason } from './quarantine.js';
import { valueBytes, valueText } from './values.js';
import { verifyOutput } from './verify.js';
import { walkDataset, type ActionCounts, type WalkContext } from './walk.js';

/** Implementation Class UID of Rachis's de-identifier (a fixed 2.25 UUID-derived UID). */
export const IMPLEMENTATION_CLASS_UID = '2.25.176925483922563880453516302722911693741';
export const IMPLEMENTATION_VERSION = 'RACHIS_DEID_01';
const DICOMDIR_CLASS = '1.2.840.10008.1.3.10';

export interface Linkage {
  patientIdOriginal: string;
  patientPseudonym: string;
  studyUidOriginal: string;
  studyUidNew: string;
  sopInstanceUidOriginal: string;
  sopInstanceUidNew: string;
}

export type DeidResult =
  | { status: 'written'; bytes: Buffer; counts: ActionCounts; linkage: Linkage; pixelsCleanedBy?: string }
  | { status: 'quarantined'; reason: QuarantineReason; detail: string };

export interface DatasetPlan {
  meta: OutElement[];
  dataset: OutElement[];
  counts: ActionCounts;
  needles: Set<string>;
  linkage: Linkage;
  /** Expected bytes of the pixel data value in the output (source range or blanked copy). */
  pixelData?: Uint8Array;
  pixelsCleanedBy?: string;
}

const str = (tag: number, vr: string, values: readonly string[]): OutElement => ({ kind: 'value', tag, vr, value: encodeString(values, vr) });
const tagOf = (e: OutElement): number => (e.kind === 'copy' ? e.el.tag : e.tag);

function codeItem(code: readonly [string, string]): { undefinedLength: boolean; elements: OutElement[] } {
  return { undefinedLength: false, elements: [str(0x00080100, 'SH', [code[0]]), str(0x00080102, 'SH', ['DCM']), str(0x00080104, 'LO', [code[1]])] };
}

/**
 * De-identifies a parsed dataset into a rewrite plan. Throws QuarantineError when the object
 * cannot be made safe (burned-in text without a region rule, missing SOP Instance UID, …).
 */
export function deidentifyDataset(parsed: ParsedFile, options: DeidOptions, pseudo: Pseudonymizer, profile: CompiledProfile = compileProfile(options)): DatasetPlan {
  const top = topLevel(parsed);
  const oldMeta = new Map(parsed.meta.map((e) => [e.tag, e]));
  const metaText = (tag: number): string => {
    const el = oldMeta.get(tag);
    return el ? valueText(parsed.bytes, el) : '';
  };
  if ((metaText(0x00020002) || top.text(0x00080016)) === DICOMDIR_CLASS) {
    throw new QuarantineError('dicomdir', 'DICOMDIR files list paths and patients; rebuild one from the output instead');
  }
  // An empty dataset SOP Instance UID (seen in partially de-identified exports) falls back to the
  // file meta's copy, so that MediaStorageSOPInstanceUID = SOPInstanceUID holds in the output.
  const sopInstance = top.text(0x00080018) || metaText(0x00020003);
  if (!sopInstance) throw new QuarantineError('missing-sop-instance-uid', 'the object has no SOP Instance UID');
  const studyUid = top.text(0x0020000d);
  // Patient key: Patient ID, else name + birth date, else the study (each study its own pseudo-patient).
  const patientId = top.text(0x00100020);
  const nameAndBirth = top.text(0x00100010) || top.text(0x00100030) ? `${top.text(0x00100010)}|${top.text(0x00100030)}` : '';
  const patientKey = Buffer.from(patientId || nameAndBirth || `study:${studyUid}`, 'latin1');
  const code = pseudo.patientCode(patientKey);

  let pixelData: Uint8Array | undefined;
  let pixelsCleanedBy: string | undefined;
  const px = top.find(TAG.PixelData);
  if (px) pixelData = parsed.bytes.subarray(px.valueOffset, px.valueOffset + px.valueLength);
  const risk = burnedInRisk(top, parsed);
  if (risk) {
    const cleaned = blankBurnedIn(parsed, top, options.burnedInRegions, risk);
    pixelData = cleaned.pixels;
    pixelsCleanedBy = cleaned.rule;
  }

  const ctx: WalkContext = {
    src: parsed.bytes, profile, pseudo, counts: {}, needles: new Set(),
    dateOffsetDays: options.retainLongitudinalTemporal === 'modified' ? pseudo.dateOffsetDays(patientKey) : 0,
  };
  const walked = walkDataset(parsed.dataset, 'normal', 0, ctx);

  const newSop = options.retainUIDs ? sopInstance : pseudo.uid(sopInstance);
  const overrides: OutElement[] = [
    str(0x00080018, 'UI', [newSop]),
    str(0x00100010, 'PN', [`ANON^${code}`]),
    str(0x00100020, 'LO', [`RX${code}`]),
    str(0x00120062, 'CS', ['YES']),
    str(0x00120063, 'LO', ['Rachis deid: DICOM PS3.15 E.1 table 2024b']),
    {
      kind: 'sequence', tag: 0x00120064, vr: 'SQ', undefinedLength: false,
      items: [...methodCodes(options), ...(pixelsCleanedBy ? [METHOD_CODES.cleanPixel] : [])].map(codeItem),
    },
    str(0x00280303, 'CS', [{ off: 'REMOVED', full: 'UNMODIFIED', modified: 'MODIFIED' }[options.retainLongitudinalTemporal]]),
  ];
  if (pixelsCleanedBy) {
    overrides.push(str(0x00280301, 'CS', ['NO']));
    overrides.push({ kind: 'value', tag: TAG.PixelData, vr: px!.vr === 'OB' ? 'OB' : 'OW', value: pixelData! });
  }
  const overridden = new Set(overrides.map(tagOf));
  const dataset = [...walked.filter((e) => !overridden.has(tagOf(e))), ...overrides].sort((a, b) => tagOf(a) - tagOf(b));
  for (const n of [top.text(0x00100010), patientId]) if (n.length >= 4) ctx.needles.add(n);

  const metaClass = oldMeta.get(0x00020002);
  const sopClassEl = top.find(0x00080016);
  const meta: OutElement[] = [
    { kind: 'value', tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
    metaClass && metaClass.valueLength > 0
      ? { kind: 'copy', el: metaClass }
      : { kind: 'value', tag: 0x00020002, vr: 'UI', value: sopClassEl && !sopClassEl.items ? Uint8Array.from(valueBytes(parsed.bytes, sopClassEl)) : new Uint8Array(0) },
    str(0x00020003, 'UI', [newSop]),
    str(0x00020010, 'UI', [parsed.syntax.uid]),
    str(0x00020012, 'UI', [IMPLEMENTATION_CLASS_UID]),
    str(0x00020013, 'SH', [IMPLEMENTATION_VERSION]),
  ];
  const linkage: Linkage = {
    patientIdOriginal: patientId, patientPseudonym: `RX${code}`,
    studyUidOriginal: studyUid, studyUidNew: options.retainUIDs || !studyUid ? studyUid : pseudo.uid(studyUid),
    sopInstanceUidOriginal: sopInstance, sopInstanceUidNew: newSop,
  };
  return { meta, dataset, counts: ctx.counts, needles: ctx.needles, linkage, ...(pixelData ? { pixelData } : {}), ...(pixelsCleanedBy ? { pixelsCleanedBy } : {}) };
}

function quarantineFromParseError(e: unknown): DeidResult {
  if (isRachisError(e, 'NOT_DICOM')) return { status: 'quarantined', reason: 'not-dicom', detail: 'not a DICOM file' };
  if (isRachisError(e, 'UNSUPPORTED_TRANSFER_SYNTAX')) return { status: 'quarantined', reason: 'unsupported-transfer-syntax', detail: 'transfer syntax cannot be rewritten byte for byte' };
  if (isRachisError(e)) return { status: 'quarantined', reason: 'unparseable', detail: `${e.code.toLowerCase()} encoding` };
  throw e;
}

/** De-identifies one DICOM object held in memory. Never throws for bad input: it quarantines. */
export function deidentifyDicomBytes(bytes: Uint8Array, options: DeidOptions, pseudo: Pseudonymizer, profile: CompiledProfile = compileProfile(options)): DeidResult {
  let parsed: ParsedFile;
  try {
    parsed = parsePart10(bytes);
  } catch (e) {
    return quarantineFromParseError(e);
  }
  try {
    const plan = deidentifyDataset(parsed, options, pseudo, profile);
    const out = writePart10(plan.meta, plan.dataset, parsed.bytes, parsed.syntax);
    verifyOutput(out, parsed, plan);
    return { status: 'written', bytes: out, counts: plan.counts, linkage: plan.linkage, ...(plan.pixelsCleanedBy ? { pixelsCleanedBy: plan.pixelsCleanedBy } : {}) };
  } catch (e) {
    if (e instanceof QuarantineError) return { status: 'quarantined', reason: e.reason, detail: e.detail };
    if (isRachisError(e)) return { status: 'quarantined', reason: 'rewrite-verification-failed', detail: `${e.code.toLowerCase()} on re-reading the output` };
    throw e;
  }
}
