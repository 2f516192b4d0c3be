/**
 * Serialises a rewrite plan: kept elements are copied byte for byte from the source, changed
 * elements are encoded fresh, and walked sequences are rebuilt keeping each sequence's and item's
 * original length style (defined or undefined).
 */
import type { DicomElement } from './parse.js';
import { LONG_VRS, STRING_VRS, TAG, type TransferSyntax } from './syntax.js';

export type OutElement =
  | { kind: 'copy'; el: DicomElement }
  | { kind: 'value'; tag: number; vr: string; value: Uint8Array }
  | { kind: 'sequence'; tag: number; vr: string; undefinedLength: boolean; items: OutItem[] };

export interface OutItem {
  undefinedLength: boolean;
  elements: OutElement[];
}

interface Enc { explicit: boolean; le: boolean }

function header(tag: number, vr: string, length: number, enc: Enc): Uint8Array {
  const long = !enc.explicit || LONG_VRS.has(vr);
  const h = new Uint8Array(enc.explicit && long ? 12 : 8);
  const v = new DataView(h.buffer);
  v.setUint16(0, tag >>> 16, enc.le);
  v.setUint16(2, tag & 0xffff, enc.le);
  if (!enc.explicit) {
    v.setUint32(4, length, enc.le);
  } else {
    h[4] = vr.charCodeAt(0);
    h[5] = vr.charCodeAt(1);
    if (long) v.setUint32(8, length, enc.le);
    else v.setUint16(6, length, enc.le);
  }
  return h;
}

function marker(tag: number, length: number, enc: Enc): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, tag >>> 16, enc.le);
  v.setUint16(2, tag & 0xffff, enc.le);
  v.setUint32(4, length, enc.le);
  return h;
}

/** Encodes text values as a DICOM string value (backslash-joined, padded to even length). */
export function encodeString(values: readonly string[], vr: string): Uint8Array {
  let s = values.join('\\');
  if (s.length % 2 === 1) s += vr === 'UI' ? '\0' : ' ';
  return Buffer.from(s, 'latin1');
}

export function isStringVr(vr: string): boolean {
  return STRING_VRS.has(vr);
}

function sizeOf(el: OutElement, enc: Enc): number {
  switch (el.kind) {
    case 'copy':
      return el.el.end - el.el.start;
    case 'value':
      return header(el.tag, el.vr, 0, enc).length + el.value.length;
    case 'sequence': {
      let n = header(el.tag, el.vr, 0, enc).length + (el.undefinedLength ? 8 : 0);
      for (const it of el.items) n += 8 + itemBodySize(it, enc) + (it.undefinedLength ? 8 : 0);
      return n;
    }
  }
}

function itemBodySize(it: OutItem, enc: Enc): number {
  let n = 0;
  for (const e of it.elements) n += sizeOf(e, enc);
  return n;
}

function emit(el: OutElement, src: Uint8Array, enc: Enc, out: Uint8Array[]): void {
  if (el.kind === 'copy') {
    out.push(src.subarray(el.el.start, el.el.end));
  } else if (el.kind === 'value') {
    if (el.value.length > 0xffff && enc.explicit && !LONG_VRS.has(el.vr)) {
      throw new Error(`value too long for a ${el.vr} element`);
    }
    out.push(header(el.tag, el.vr, el.value.length, enc), el.value);
  } else {
    let body = 0;
    if (!el.undefinedLength) for (const it of el.items) body += 8 + itemBodySize(it, enc) + (it.undefinedLength ? 8 : 0);
    out.push(header(el.tag, el.vr, el.undefinedLength ? 0xffffffff : body, enc));
    for (const it of el.items) {
      out.push(marker(TAG.ItemStart, it.undefinedLength ? 0xffffffff : itemBodySize(it, enc), enc));
      for (const e of it.elements) emit(e, src, enc, out);
      if (it.undefinedLength) out.push(marker(TAG.ItemEnd, 0, enc));
    }
    if (el.undefinedLength) out.push(marker(TAG.SequenceEnd, 0, enc));
  }
}

/** Builds a Part 10 file: 128 zero bytes, "DICM", the meta group (explicit LE) and the dataset. */
export function writePart10(meta: OutElement[], dataset: OutElement[], src: Uint8Array, syntax: TransferSyntax): Buffer {
  const metaEnc: Enc = { explicit: true, le: true };
  const enc: Enc = { explicit: syntax.explicitVR, le: syntax.littleEndian };
  const chunks: Uint8Array[] = [new Uint8Array(128), Buffer.from('DICM', 'latin1')];
  const metaChunks: Uint8Array[] = [];
  for (const e of meta) emit(e, src, metaEnc, metaChunks);
  let metaLength = 0;
  for (const c of metaChunks) metaLength += c.length;
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaLength, true);
  chunks.push(header(0x00020000, 'UL', 4, metaEnc), groupLength, ...metaChunks);
  for (const e of dataset) emit(e, src, enc, chunks);
  return Buffer.concat(chunks);
}
