/**
 * Applies the compiled profile to every element of a dataset, recursing into sequences.
 * Produces a rewrite plan (OutElement[]); never touches bytes it does not mean to change.
 */
import { cleanFreeText } from './clean-text.js';
import type { Pseudonymizer } from './keyed.js';
import type { DicomElement, DicomItem } from './part10/parse.js';
import { FREE_TEXT_VRS, STRING_VRS } from './part10/syntax.js';
import { encodeString, type OutElement, type OutItem } from './part10/write.js';
import { dictionaryVr, isPrivateTag } from './profile/dictionary.js';
import { isCurveOrOverlay, type Action, type CompiledProfile } from './profile/rules.js';
import { safePrivateElements } from './private-tags.js';
import { QuarantineError } from './quarantine.js';
import { dummyValue, shiftDate, valueList, valueText } from './values.js';

/** How free text not named by the table is treated inside a sequence the table says to D or C. */
export type Mode = 'normal' | 'dummyText' | 'cleanText';

export type Outcome = 'removed' | 'emptied' | 'dummied' | 'uidReplaced' | 'cleaned' | 'dateShifted' | 'kept' | 'pseudonymized';

/** Counts per attribute name (from the standard, or a category) and outcome: never values. */
export type ActionCounts = Record<string, Partial<Record<Outcome, number>>>;

export interface WalkContext {
  src: Uint8Array;
  profile: CompiledProfile;
  pseudo: Pseudonymizer;
  /** Days to move dates back by (Retain Longitudinal Temporal Information, modified dates). */
  dateOffsetDays: number;
  counts: ActionCounts;
  /** Removed identifying strings; the output is searched for them afterwards (fail closed). */
  needles: Set<string>;
}

const ICON_IMAGE_SEQUENCE = 0x00880200;
/** Patient's Name and Patient ID of the object itself get a keyed pseudonym instead of Z / Z-D. */
const PSEUDONYMIZED_AT_TOP = new Set([0x00100010, 0x00100020]);
/** Attributes whose removed values are searched for in the output afterwards. */
const NEEDLE_TAGS = new Set([0x00100020, 0x00101000, 0x00080050, 0x00101040, 0x00102154, 0x00101090]);
const NOT_A_NEEDLE = /^(ANONYMI[SZ]ED|ANONYMOUS|UNKNOWN|NONE|N\/A|NULL|TEST)$/i;

function count(ctx: WalkContext, name: string, what: Outcome): void {
  const c = (ctx.counts[name] ??= {});
  c[what] = (c[what] ?? 0) + 1;
}

function addNeedles(ctx: WalkContext, el: DicomElement, vr: string): void {
  if (el.items || el.undefinedLength || el.valueLength > 1024) return;
  if (vr !== 'PN' && !NEEDLE_TAGS.has(el.tag)) return;
  for (const v of valueList(ctx.src, el)) {
    const parts = vr === 'PN' ? [v, ...v.split(/[\^=]/)] : [v];
    for (const p of parts) {
      const t = p.trim();
      if (t.length >= 4 && !NOT_A_NEEDLE.test(t)) ctx.needles.add(t);
    }
  }
}

function stringValue(tag: number, vr: string, values: readonly string[]): OutElement {
  return { kind: 'value', tag, vr, value: encodeString(values, vr) };
}

function walkItems(items: readonly DicomItem[], mode: Mode, depth: number, ctx: WalkContext): OutItem[] {
  return items.map((it) => ({ undefinedLength: it.undefinedLength, elements: walkDataset(it.elements, mode, depth + 1, ctx) }));
}

function sequenceOut(el: DicomElement, mode: Mode, depth: number, ctx: WalkContext): OutElement {
  return { kind: 'sequence', tag: el.tag, vr: 'SQ', undefinedLength: el.undefinedLength, items: walkItems(el.items ?? [], mode, depth, ctx) };
}

/**
 * Coded-entry attributes (code value, scheme, version, meaning, context): controlled terminology,
 * not typed text, so they survive inside sequences whose free text is dummied or cleaned. Without
 * this an SR's concept names and units would all become "ANONYMIZED".
 */
const CODED_ENTRY_TAGS = new Set([0x00080100, 0x00080102, 0x00080103, 0x00080104, 0x00080105, 0x00080106, 0x0008010f, 0x00080119, 0x00080120]);

/**
 * UI attributes that hold class, syntax or registry UIDs (kept: remapping them would break the
 * object). Every other UI attribute that Table E.1-1 does not list (e.g. SOPInstanceUIDOfConcatenationSource,
 * MultiFrameSourceSOPInstanceUID, TableFrameOfReferenceUID, HomeCommunityID) is treated as an
 * instance UID and remapped with the same keyed mapping, so references stay intact.
 */
const CLASS_UID_TAGS = new Set([
  0x00080016, 0x0008001a, 0x0008001b, 0x00080062, 0x0008010c, 0x0008010d, 0x00080117, 0x00080118, 0x0008040e,
  0x00081150, 0x0008115a, 0x00083002, 0x00089123, 0x00340003, 0x04000010, 0x04000510, 0x3010001f, 0x30100052,
  0x30100053, 0x00020002, 0x00020010, 0x00020012, 0x00020032, 0x00020100, 0x00041510, 0x00041512, 0x0004151a,
]);

/** The action for an element the table does not name, given the mode of the enclosing sequence. */
function defaultAction(tag: number, vr: string, mode: Mode): Action {
  if (vr === 'PN') return 'D'; // defensive: a person's name is never kept, wherever it appears
  if (vr === 'UI' && !CLASS_UID_TAGS.has(tag)) return 'U';
  if (CODED_ENTRY_TAGS.has(tag)) return 'K';
  if (mode === 'dummyText' && FREE_TEXT_VRS.has(vr)) return 'D';
  if (mode === 'cleanText' && FREE_TEXT_VRS.has(vr)) return 'C';
  return 'K';
}

function apply(el: DicomElement, vr: string, action: Action, name: string, mode: Mode, depth: number, ctx: WalkContext): OutElement | undefined {
  const isSeq = el.items !== undefined && !el.implicitItems;
  if (action !== 'K' && action !== 'SHIFT') addNeedles(ctx, el, vr);
  switch (action) {
    case 'X':
      count(ctx, name, 'removed');
      return undefined;
    case 'Z':
      count(ctx, name, 'emptied');
      return isSeq
        ? { kind: 'sequence', tag: el.tag, vr: 'SQ', undefinedLength: false, items: [] }
        : { kind: 'value', tag: el.tag, vr, value: new Uint8Array(0) };
    case 'D': {
      count(ctx, name, 'dummied');
      if (isSeq) return sequenceOut(el, 'dummyText', depth, ctx);
      const d = dummyValue(vr);
      return Array.isArray(d) ? stringValue(el.tag, vr, d) : { kind: 'value', tag: el.tag, vr, value: d };
    }
    case 'U': {
      if (isSeq) return sequenceOut(el, mode, depth, ctx);
      const uids = valueList(ctx.src, el);
      if (uids.length === 0) return { kind: 'copy', el };
      count(ctx, name, 'uidReplaced');
      return stringValue(el.tag, 'UI', uids.map((u) => ctx.pseudo.uid(u)));
    }
    case 'C': {
      if (isSeq) return sequenceOut(el, 'cleanText', depth, ctx);
      count(ctx, name, 'cleaned');
      if (!STRING_VRS.has(vr) || vr === 'DS' || vr === 'IS') return { kind: 'copy', el };
      if (vr === 'UI') return stringValue(el.tag, vr, valueList(ctx.src, el).map((u) => ctx.pseudo.uid(u)));
      if (vr === 'DA' || vr === 'DT' || vr === 'TM') return apply(el, vr, 'SHIFT', name, mode, depth, ctx);
      addNeedles(ctx, el, vr);
      return stringValue(el.tag, vr, [cleanFreeText(valueText(ctx.src, el))]);
    }
    case 'SHIFT': {
      if (isSeq) return sequenceOut(el, mode, depth, ctx);
      if (vr !== 'DA' && vr !== 'DT') return { kind: 'copy', el }; // TM: whole-day shifts keep times
      count(ctx, name, 'dateShifted');
      const shifted = valueList(ctx.src, el).map((v) => shiftDate(v, ctx.dateOffsetDays));
      if (shifted.some((v) => v === undefined)) return { kind: 'value', tag: el.tag, vr, value: new Uint8Array(0) };
      return stringValue(el.tag, vr, shifted as string[]);
    }
    case 'K':
      if (isSeq) return sequenceOut(el, mode, depth, ctx);
      return { kind: 'copy', el };
  }
}

/** De-identifies one dataset level (the top level has depth 0). */
export function walkDataset(elements: readonly DicomElement[], mode: Mode, depth: number, ctx: WalkContext): OutElement[] {
  const out: OutElement[] = [];
  const safePrivate = safePrivateElements(ctx.src, elements, ctx.profile.options.retainSafePrivate);
  for (const el of elements) {
    const tag = el.tag;
    if ((tag & 0xffff) === 0 || tag === 0xfffcfffc) continue; // group lengths and padding: recomputed/needless
    if (isPrivateTag(tag)) {
      if (safePrivate.has(el)) {
        out.push({ kind: 'copy', el });
        count(ctx, 'private attribute (safe list)', 'kept');
      } else {
        count(ctx, 'private attribute', 'removed');
      }
      continue;
    }
    if (isCurveOrOverlay(tag)) {
      count(ctx, 'curve or overlay group (50xx/60xx)', 'removed');
      continue;
    }
    if (tag === ICON_IMAGE_SEQUENCE) {
      count(ctx, 'Icon Image Sequence', 'removed');
      continue;
    }
    const dictVr = dictionaryVr(tag);
    if (dictVr === undefined) {
      count(ctx, 'public attribute missing from the 2024b dictionary', 'removed');
      continue;
    }
    const vr = el.vr === 'UN' ? dictVr : el.vr;
    if (vr === 'SQ' && (el.items === undefined || el.implicitItems)) {
      // A public sequence stored as UN with a defined length: its items cannot be walked, so
      // identifiers inside could not be removed.
      throw new QuarantineError('public-sequence-not-parseable', `sequence ${tag.toString(16).padStart(8, '0')} is encoded as UN`);
    }
    const rule = ctx.profile.exact.get(tag);
    if (depth === 0 && PSEUDONYMIZED_AT_TOP.has(tag)) {
      // Replaced by the keyed patient pseudonym after the walk (deidentifyDataset).
      addNeedles(ctx, el, vr);
      count(ctx, rule?.name ?? 'patient', 'pseudonymized');
      continue;
    }
    const action = rule?.action ?? defaultAction(tag, vr, mode);
    const o = apply(el, vr, action, rule?.name ?? (action === 'K' ? 'other attributes' : action === 'U' ? 'instance UID not in Table E.1-1' : `${vr} text inside a replaced sequence`), mode, depth, ctx);
    if (o) out.push(o);
  }
  return out;
}
