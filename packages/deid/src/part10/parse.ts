/**
 * Strict DICOM element parser that records the exact byte range of every element, item and
 * pixel fragment, so the rewriter can copy kept elements verbatim.
 *
 * Written by hand on purpose: dicom-parser is lenient (it silently fixes lengths, merges duplicate
 * tags and skips private sequences) and dcmjs re-encodes every value on write (it rewrites
 * SpecificCharacterSet to ISO_IR 192 and refuses over-long legacy values). De-identification must
 * fail closed, so anything this parser does not fully understand throws a RachisError and the
 * file is quarantined.
 */
import { RachisError } from '@rachis/imaging';
import { vrOf } from '../profile/dictionary.js';
import { LONG_VRS, TAG, VALID_VRS, tagHex, transferSyntax, type TransferSyntax } from './syntax.js';

export interface DicomItem {
  start: number;
  end: number;
  undefinedLength: boolean;
  elements: DicomElement[];
}

export interface DicomElement {
  /** (group << 16 | element) as an unsigned number. */
  tag: number;
  /** VR written in the file (explicit) or from the dictionary (implicit; UN when unknown). */
  vr: string;
  start: number;
  valueOffset: number;
  /** Value bytes; for undefined length, up to (not including) the closing delimiter. */
  valueLength: number;
  /** Offset just past the element, delimiter included. */
  end: number;
  undefinedLength: boolean;
  items?: DicomItem[];
  /** Items of an undefined-length UN element are implicit VR little endian (CP-246). */
  implicitItems?: boolean;
  /** Encapsulated pixel data: byte ranges of the basic offset table item and each fragment. */
  fragments?: { start: number; end: number }[];
}

export interface ParsedFile {
  bytes: Uint8Array;
  /** True when the file had a 128-byte preamble, "DICM" and a file meta group. */
  hasPart10Header: boolean;
  meta: DicomElement[];
  syntax: TransferSyntax;
  dataset: DicomElement[];
}

const MAX_DEPTH = 32;
const UNDEFINED = 0xffffffff;

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly file: string | undefined) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(code: 'MALFORMED' | 'TRUNCATED', msg: string, at: number): never {
    throw new RachisError(code, `${msg} at byte ${at}`, this.file ? { file: this.file } : {});
  }
  need(pos: number, n: number): void {
    if (pos + n > this.bytes.length) this.fail('TRUNCATED', `needs ${n} more bytes`, pos);
  }
  u16(pos: number, le: boolean): number { this.need(pos, 2); return this.view.getUint16(pos, le); }
  u32(pos: number, le: boolean): number { this.need(pos, 4); return this.view.getUint32(pos, le); }
  tag(pos: number, le: boolean): number {
    return ((this.u16(pos, le) << 16) | this.u16(pos + 2, le)) >>> 0;
  }
  ascii(pos: number, n: number): string {
    this.need(pos, n);
    let s = '';
    for (let i = pos; i < pos + n; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }
}

interface Ctx { r: Reader; explicit: boolean; le: boolean; encapsulated: boolean }

/** Reads elements from `pos` until `limit` (defined length) or an item delimiter (limit = -1). */
function readDataset(c: Ctx, pos: number, limit: number, depth: number, out: DicomElement[], stopAtGroup2 = false): number {
  if (depth > MAX_DEPTH) c.r.fail('MALFORMED', `sequences nested deeper than ${MAX_DEPTH}`, pos);
  let last = -1;
  const end = limit < 0 ? c.r.bytes.length : limit;
  while (pos < end) {
    const tag = c.r.tag(pos, c.le);
    if (stopAtGroup2 && tag >>> 16 !== 0x0002) return pos;
    if (tag === TAG.ItemEnd) {
      if (limit >= 0) c.r.fail('MALFORMED', 'item delimiter inside a defined-length item', pos);
      if (c.r.u32(pos + 4, c.le) !== 0) c.r.fail('MALFORMED', 'item delimiter with non-zero length', pos);
      return pos + 8;
    }
    if (tag === TAG.TrailingPadding && depth === 0) {
      const el = readElement(c, pos, depth);
      out.push(el);
      pos = el.end;
      continue;
    }
    if (tag >>> 16 === 0xfffe) c.r.fail('MALFORMED', `unexpected ${tagHex(tag)} in a dataset`, pos);
    if (tag <= last) c.r.fail('MALFORMED', `element ${tagHex(tag)} out of order or duplicated`, pos);
    last = tag;
    const el = readElement(c, pos, depth);
    out.push(el);
    pos = el.end;
  }
  if (limit < 0) c.r.fail('TRUNCATED', 'item of undefined length has no delimiter', pos);
  if (pos !== end) c.r.fail('MALFORMED', 'item length does not match its elements', pos);
  return pos;
}

function readElement(c: Ctx, start: number, depth: number): DicomElement {
  const { r } = c;
  const tag = r.tag(start, c.le);
  let vr: string;
  let length: number;
  let valueOffset: number;
  if (c.explicit) {
    vr = r.ascii(start + 4, 2);
    if (!VALID_VRS.has(vr)) r.fail('MALFORMED', `invalid VR "${vr.replace(/[^\x20-\x7e]/g, '?')}" for ${tagHex(tag)}`, start);
    if (LONG_VRS.has(vr)) {
      length = r.u32(start + 8, c.le);
      valueOffset = start + 12;
    } else {
      length = r.u16(start + 6, c.le);
      valueOffset = start + 8;
    }
  } else {
    vr = vrOf(tag);
    length = r.u32(start + 4, c.le);
    valueOffset = start + 8;
  }
  const el: DicomElement = { tag, vr, start, valueOffset, valueLength: length, end: 0, undefinedLength: length === UNDEFINED };
  if (el.undefinedLength) {
    if (tag === TAG.PixelData && c.encapsulated) return readFragments(c, el);
    if (vr === 'SQ' || (!c.explicit && vr === 'UN')) {
      el.items = [];
      el.end = readItems(c, el, valueOffset, -1, depth + 1);
    } else if (vr === 'UN') {
      el.implicitItems = true;
      el.items = [];
      const inner: Ctx = { r, explicit: false, le: true, encapsulated: false };
      el.end = readItems(inner, el, valueOffset, -1, depth + 1);
    } else {
      r.fail('MALFORMED', `undefined length on a ${vr} element ${tagHex(tag)}`, start);
    }
    el.valueLength = el.end - 8 - valueOffset;
    return el;
  }
  r.need(valueOffset, length);
  el.end = valueOffset + length;
  if (vr === 'SQ') {
    el.items = [];
    readItems(c, el, valueOffset, el.end, depth + 1);
  }
  return el;
}

/** Reads sequence items; returns the offset after the sequence (delimiter included). */
function readItems(c: Ctx, el: DicomElement, pos: number, limit: number, depth: number): number {
  const items = el.items!;
  for (;;) {
    if (limit >= 0 && pos >= limit) {
      if (pos !== limit) c.r.fail('MALFORMED', 'sequence length does not match its items', pos);
      return pos;
    }
    const tag = c.r.tag(pos, c.le);
    const len = c.r.u32(pos + 4, c.le);
    if (tag === TAG.SequenceEnd) {
      if (limit >= 0) c.r.fail('MALFORMED', 'sequence delimiter in a defined-length sequence', pos);
      return pos + 8;
    }
    if (tag !== TAG.ItemStart) c.r.fail('MALFORMED', `expected an item in ${tagHex(el.tag)}`, pos);
    const item: DicomItem = { start: pos, end: 0, undefinedLength: len === UNDEFINED, elements: [] };
    if (item.undefinedLength) {
      item.end = readDataset(c, pos + 8, -1, depth, item.elements);
    } else {
      c.r.need(pos + 8, len);
      item.end = readDataset(c, pos + 8, pos + 8 + len, depth, item.elements);
    }
    items.push(item);
    pos = item.end;
  }
}

function readFragments(c: Ctx, el: DicomElement): DicomElement {
  const frags: { start: number; end: number }[] = [];
  let pos = el.valueOffset;
  for (;;) {
    const tag = c.r.tag(pos, c.le);
    const len = c.r.u32(pos + 4, c.le);
    if (tag === TAG.SequenceEnd) {
      el.end = pos + 8;
      el.valueLength = pos - el.valueOffset;
      el.fragments = frags;
      if (frags.length === 0) c.r.fail('MALFORMED', 'encapsulated pixel data without a basic offset table item', pos);
      return el;
    }
    if (tag !== TAG.ItemStart || len === UNDEFINED) c.r.fail('MALFORMED', 'bad pixel data fragment', pos);
    c.r.need(pos + 8, len);
    frags.push({ start: pos, end: pos + 8 + len });
    pos += 8 + len;
  }
}

/** Guesses the encoding of a dataset stored without preamble or file meta (old ACR-NEMA style). */
function guessRawSyntax(r: Reader): TransferSyntax | undefined {
  if (r.bytes.length < 12) return undefined;
  const b = r.bytes;
  const vrLooksValid = VALID_VRS.has(String.fromCharCode(b[4]!, b[5]!));
  if (b[0] === 0x08 && b[1] === 0x00) return transferSyntax(vrLooksValid ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2');
  if (b[0] === 0x00 && b[1] === 0x08 && vrLooksValid) return transferSyntax('1.2.840.10008.1.2.2');
  return undefined;
}

/** Parses a whole file. Throws RachisError (NOT_DICOM, UNSUPPORTED_TRANSFER_SYNTAX, MALFORMED, TRUNCATED). */
export function parsePart10(bytes: Uint8Array, file?: string): ParsedFile {
  const r = new Reader(bytes, file);
  const opts = file ? { file } : {};
  const hasPart10Header = bytes.length >= 132 && r.ascii(128, 4) === 'DICM';
  let syntax: TransferSyntax | undefined;
  const meta: DicomElement[] = [];
  let pos = 0;
  if (hasPart10Header) {
    pos = readDataset({ r, explicit: true, le: true, encapsulated: false }, 132, bytes.length, 0, meta, true);
    const ts = meta.find((e) => e.tag === TAG.TransferSyntaxUID);
    if (!ts) throw new RachisError('MALFORMED', 'file meta has no transfer syntax', opts);
    const uid = r.ascii(ts.valueOffset, ts.valueLength).replace(/[\0 ]+$/, '');
    syntax = transferSyntax(uid);
    if (!syntax) throw new RachisError('UNSUPPORTED_TRANSFER_SYNTAX', `transfer syntax ${uid.slice(0, 64)} cannot be rewritten byte for byte`, opts);
  } else {
    syntax = guessRawSyntax(r);
    if (!syntax) throw new RachisError('NOT_DICOM', 'no DICM marker and no recognisable dataset start', opts);
  }
  const dataset: DicomElement[] = [];
  const c: Ctx = { r, explicit: syntax.explicitVR, le: syntax.littleEndian, encapsulated: syntax.encapsulated };
  readDataset(c, pos, bytes.length, 0, dataset);
  if (dataset.length === 0) throw new RachisError('NOT_DICOM', 'file holds no dataset', opts);
  return { bytes, hasPart10Header, meta, syntax, dataset };
}
