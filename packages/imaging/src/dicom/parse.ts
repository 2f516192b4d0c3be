/**
 * Byte-level DICOM parsing with dicom-parser, hardened for hostile input: every failure
 * becomes a RachisError (NOT_DICOM, TRUNCATED, MALFORMED, ABSURD_DIMENSIONS), inflation is
 * bounded, and files without a Part 10 preamble are accepted only when their first element
 * looks like a real dataset start.
 */
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { RachisError } from '../core/errors.js';
import { MAX_VOXELS } from '../core/volume.js';
import { TS } from './transfer-syntax.js';

export const PIXEL_DATA_TAG = 'x7fe00010';
/** Largest inflated dataset we accept from a deflated file (a zip bomb stops here). */
const MAX_INFLATED_BYTES = Math.min(MAX_VOXELS * 4, 2 ** 31 - 1);

export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntaxUID: string;
  /** Where dataSet.byteArray starts within the file (non-zero only for sniffed files whose meta we skipped). */
  fileOffset: number;
  /** False for raw datasets without preamble/meta (encoding was sniffed). */
  part10: boolean;
}

const VR_RE = /^[A-Z]{2}$/;
/** Groups a raw (preamble-less) dataset plausibly starts with. */
const FIRST_GROUPS = new Set([0x0002, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028]);

/** Guesses the encoding of a dataset that starts at `pos` (no meta to tell us). */
export function sniffEncoding(bytes: Uint8Array, pos: number): string | undefined {
  if (bytes.length - pos < 8) return undefined;
  const b = (i: number): number => bytes[pos + i] ?? 0;
  const isVr = (i: number): boolean => b(i) >= 0x41 && b(i) <= 0x5a && b(i + 1) >= 0x41 && b(i + 1) <= 0x5a;
  const groupLE = b(0) | (b(1) << 8);
  const groupBE = (b(0) << 8) | b(1);
  if (FIRST_GROUPS.has(groupLE)) {
    if (isVr(4)) return TS.ExplicitLE;
    const len = (b(4) | (b(5) << 8) | (b(6) << 16)) + b(7) * 2 ** 24;
    return len <= bytes.length - pos - 8 ? TS.ImplicitLE : undefined;
  }
  if (FIRST_GROUPS.has(groupBE) && isVr(4)) return TS.ExplicitBE;
  return undefined;
}

function hasDicmMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function boundedInflater(file: string) {
  return (arr: Uint8Array, position: number): Uint8Array => {
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(arr.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (cause) {
      const tooBig = cause instanceof RangeError || /maxOutputLength|buffer/i.test(String(cause));
      throw new RachisError(tooBig ? 'ABSURD_DIMENSIONS' : 'MALFORMED', tooBig ? 'deflated dataset inflates beyond the size limit' : 'deflated dataset is corrupt', { file, cause });
    }
    const full = Buffer.allocUnsafe(position + inflated.length);
    full.set(arr.subarray(0, position), 0);
    full.set(inflated, position);
    return full;
  };
}

interface DicomParserFailure {
  exception?: unknown;
  dataSet?: DataSet;
}

/** Turns whatever dicom-parser threw into a RachisError that says what is wrong. */
function classify(err: unknown, file: string, bytes: Uint8Array): RachisError {
  if (err instanceof RachisError) return err;
  const failure = (typeof err === 'object' && err !== null && 'exception' in err ? err : { exception: err }) as DicomParserFailure;
  const inner = failure.exception;
  if (inner instanceof RachisError) return inner;
  const msg = inner instanceof Error ? inner.message : String(inner);
  const partial = failure.dataSet;
  if (partial) {
    const bad = Object.values(partial.elements).find((e) => e.vr !== undefined && !VR_RE.test(e.vr));
    if (bad) return new RachisError('MALFORMED', `invalid value representation near element ${bad.tag} (corrupt element length?)`, { file, cause: inner });
  }
  if (/overrun|past end|overread|greater than or equal/i.test(msg)) {
    const last = partial ? Object.values(partial.elements).at(-1) : undefined;
    if (last && last.tag !== PIXEL_DATA_TAG && last.length > bytes.length) {
      return new RachisError('MALFORMED', `element ${last.tag} declares length ${last.length}, beyond the ${bytes.length}-byte file`, { file, cause: inner });
    }
    return new RachisError('TRUNCATED', `file ends inside ${last ? `element ${last.tag}` : 'the header'} (${bytes.length} bytes)`, { file, cause: inner });
  }
  if (inner instanceof RangeError) return new RachisError('MALFORMED', `unparseable structure (${msg})`, { file, cause: inner });
  return new RachisError('MALFORMED', `unparseable DICOM (${msg})`, { file, cause: inner });
}

/** A parse that "succeeded" through a corrupt element shows it as a non-letter VR. */
function checkVrs(ds: DataSet, file: string): void {
  for (const e of Object.values(ds.elements)) {
    if (e.vr !== undefined && !VR_RE.test(e.vr)) throw new RachisError('MALFORMED', `invalid value representation "${e.vr}" in element ${e.tag}`, { file });
  }
}

function parseRaw(bytes: Uint8Array, ts: string, untilTag: string | undefined): DataSet {
  return dicomParser.parseDicom(bytes, { TransferSyntaxUID: ts, ...(untilTag ? { untilTag } : {}) });
}

/** End of the file meta group (position of the first dataset byte), read by hand: small and bounded. */
function metaEnd(bytes: Uint8Array): number {
  let pos = 132;
  while (pos + 8 <= bytes.length && (bytes[pos] ?? 0) === 0x02 && (bytes[pos + 1] ?? 0) === 0x00) {
    const vr = String.fromCharCode(bytes[pos + 4] ?? 0, bytes[pos + 5] ?? 0);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV'].includes(vr);
    const len = long
      ? (bytes[pos + 8] ?? 0) | ((bytes[pos + 9] ?? 0) << 8) | ((bytes[pos + 10] ?? 0) << 16) | ((bytes[pos + 11] ?? 0) << 24)
      : (bytes[pos + 6] ?? 0) | ((bytes[pos + 7] ?? 0) << 8);
    pos += (long ? 12 : 8) + (len >>> 0);
  }
  return pos;
}

/**
 * Parses one file's bytes. With `headerOnly`, stops before PixelData (its element header,
 * offset and length are still recorded).
 */
export function parseDicomBytes(bytes: Uint8Array, file: string, headerOnly = false): ParsedDicom {
  const untilTag = headerOnly ? PIXEL_DATA_TAG : undefined;
  if (!hasDicmMagic(bytes)) {
    const ts = sniffEncoding(bytes, 0);
    if (!ts) throw new RachisError('NOT_DICOM', 'not a DICOM file (no DICM magic and no plausible raw dataset)', { file });
    try {
      const ds = parseRaw(bytes, ts, untilTag);
      checkVrs(ds, file);
      return { dataSet: ds, transferSyntaxUID: ts, fileOffset: 0, part10: false };
    } catch (e) {
      throw classify(e, file, bytes);
    }
  }
  let metaTs: string | undefined;
  let metaEndPos: number;
  try {
    const meta = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
    metaTs = meta.string('x00020010') || undefined;
    metaEndPos = meta.position;
  } catch (e) {
    throw classify(e, file, bytes);
  }
  if (metaTs === TS.DeflatedExplicitLE) {
    // Inflated here rather than by dicom-parser, whose deflate path re-parses the preamble as elements.
    const inflated = boundedInflater(file)(bytes, metaEndPos).subarray(metaEndPos);
    try {
      const ds = parseRaw(inflated, TS.ExplicitLE, untilTag);
      checkVrs(ds, file);
      return { dataSet: ds, transferSyntaxUID: metaTs, fileOffset: 0, part10: true };
    } catch (e) {
      // The file's length says nothing here: a dataset that stops early inflated from a damaged
      // (or cut) compressed stream, which zlib may end without an error.
      const err = classify(e, file, inflated);
      throw err.code === 'TRUNCATED' ? new RachisError('MALFORMED', `deflated dataset is corrupt: it inflates to ${inflated.length} bytes that end inside an element`, { file, cause: err }) : err;
    }
  }
  if (metaTs) {
    try {
      const ds = dicomParser.parseDicom(bytes, untilTag ? { untilTag } : {});
      checkVrs(ds, file);
      return { dataSet: ds, transferSyntaxUID: metaTs, fileOffset: 0, part10: true };
    } catch (e) {
      throw classify(e, file, bytes);
    }
  }
  // DICM present but the meta names no transfer syntax: sniff the dataset that follows (as dcmtk does).
  const start = Math.max(metaEndPos, metaEnd(bytes));
  const ts = sniffEncoding(bytes, start);
  if (!ts) throw new RachisError('MALFORMED', 'file meta lacks TransferSyntaxUID (0002,0010) and the dataset encoding cannot be recognised', { file });
  try {
    const ds = parseRaw(bytes.subarray(start), ts, untilTag);
    checkVrs(ds, file);
    return { dataSet: ds, transferSyntaxUID: ts, fileOffset: start, part10: true };
  } catch (e) {
    throw classify(e, file, bytes);
  }
}
