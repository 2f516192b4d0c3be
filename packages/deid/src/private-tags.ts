/** Private attributes: removed unless Retain Safe Private is on and the element is on the safe list. */
import type { DicomElement } from './part10/parse.js';
import { NUMERIC_VR_SIZE } from './part10/syntax.js';
import { isPrivateCreator, isPrivateTag } from './profile/dictionary.js';
import { SAFE_PRIVATE, type SafePrivate } from './profile/safe-private.js';
import { valueText } from './values.js';

const NUMERIC_TEXT = /^[0-9+\-.eE \\]*$/;

function valueFits(src: Uint8Array, el: DicomElement, entry: SafePrivate): boolean {
  if (el.undefinedLength || el.items) return false;
  if (el.vr !== entry.vr && el.vr !== 'UN') return false;
  const size = NUMERIC_VR_SIZE[entry.vr];
  if (size !== undefined) return el.valueLength % size === 0;
  return NUMERIC_TEXT.test(valueText(src, el));
}

/**
 * Returns the private elements of one dataset level that may be kept: safe-listed elements whose
 * value is a number of the listed VR, plus the creator elements of the blocks they live in.
 */
export function safePrivateElements(src: Uint8Array, elements: readonly DicomElement[], retainSafePrivate: boolean): Set<DicomElement> {
  const keep = new Set<DicomElement>();
  if (!retainSafePrivate) return keep;
  const creators = new Map<number, { el: DicomElement; name: string }>();
  for (const el of elements) {
    if (isPrivateCreator(el.tag)) creators.set(((el.tag >>> 16) << 8) | (el.tag & 0xff), { el, name: valueText(src, el) });
  }
  for (const el of elements) {
    const elem = el.tag & 0xffff;
    if (!isPrivateTag(el.tag) || elem < 0x1000) continue;
    const group = el.tag >>> 16;
    const creator = creators.get((group << 8) | (elem >>> 8));
    if (!creator) continue;
    const entry = SAFE_PRIVATE.find((s) => s.group === group && s.element === (elem & 0xff) && s.creator === creator.name);
    if (entry && valueFits(src, el, entry)) {
      keep.add(el);
      keep.add(creator.el);
    }
  }
  return keep;
}
