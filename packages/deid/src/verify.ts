/**
 * Checks every output before it is written: it must re-parse with the strict parser, keep the
 * transfer syntax, hold exactly the planned top-level elements, carry the expected pixel bytes,
 * have MediaStorageSOPInstanceUID = SOPInstanceUID, and contain none of the identifying strings
 * that were removed. Any failure quarantines the object (fail closed).
 */
import { RachisError } from '@rachis/imaging';
import type { DatasetPlan } from './deidentify.js';
import { parsePart10, type DicomElement, type ParsedFile } from './part10/parse.js';
import { TAG } from './part10/syntax.js';
import { dictionaryVr } from './profile/dictionary.js';
import { QuarantineError } from './quarantine.js';
import { valueText } from './values.js';

/** Text VRs searched for residual identifiers (numbers, UIDs and dates are not). */
const SEARCHED_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UR', 'UT']);

function fail(detail: string): never {
  throw new RachisError('MALFORMED', detail);
}

function findResidual(bytes: Uint8Array, elements: readonly DicomElement[], needles: readonly string[]): number | undefined {
  for (const el of elements) {
    if (el.items) {
      for (const it of el.items) {
        const hit = findResidual(bytes, it.elements, needles);
        if (hit !== undefined) return hit;
      }
      continue;
    }
    const vr = el.vr === 'UN' ? dictionaryVr(el.tag) ?? 'UN' : el.vr;
    if (!SEARCHED_VRS.has(vr) || el.undefinedLength) continue;
    const text = valueText(bytes, el);
    if (needles.some((n) => text.includes(n))) return el.tag;
  }
  return undefined;
}

export function verifyOutput(out: Uint8Array, src: ParsedFile, plan: DatasetPlan): void {
  const p = parsePart10(out);
  if (p.syntax.uid !== src.syntax.uid) fail('transfer syntax changed');
  const planned = plan.dataset.map((e) => (e.kind === 'copy' ? e.el.tag : e.tag));
  if (planned.length !== p.dataset.length || planned.some((t, i) => p.dataset[i]!.tag !== t)) fail('element list differs from the plan');
  const text = (els: DicomElement[], tag: number): string => {
    const el = els.find((e) => e.tag === tag);
    return el ? valueText(p.bytes, el) : '';
  };
  if (text(p.meta, 0x00020003) !== text(p.dataset, 0x00080018)) fail('MediaStorageSOPInstanceUID differs from SOPInstanceUID');
  const px = p.dataset.find((e) => e.tag === TAG.PixelData);
  if ((px === undefined) !== (plan.pixelData === undefined)) fail('pixel data appeared or vanished');
  if (px && plan.pixelData && Buffer.compare(p.bytes.subarray(px.valueOffset, px.valueOffset + px.valueLength), plan.pixelData) !== 0) {
    fail('pixel data bytes changed');
  }
  const needles = [...plan.needles];
  if (needles.length > 0) {
    const tag = findResidual(p.bytes, p.dataset.filter((e) => e.tag !== TAG.PixelData), needles);
    if (tag !== undefined) {
      throw new QuarantineError('residual-identifier', `a removed identifier reappears in (${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`);
    }
  }
}
