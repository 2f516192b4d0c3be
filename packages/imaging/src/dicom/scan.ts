/** Finds files, reads their headers (first chunk only when it suffices) and groups them into series. */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RachisError, isRachisError } from '../core/errors.js';
import { readFileHeader, type FileHeader } from './header.js';
import { parseDicomBytes } from './parse.js';
import { transferSyntaxInfo } from './transfer-syntax.js';

/** Most headers end well inside this; when not, the whole file is read. */
const HEADER_CHUNK_BYTES = 64 * 1024;
/** Whole-file reads stop here (Node buffers top out near 2 GiB anyway). */
const MAX_FILE_BYTES = 2 ** 31 - 1;
/** How many files are read at once. */
export const IO_CONCURRENCY = 8;

export interface SkippedFile {
  file: string;
  code: string;
  reason: string;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Expands a folder (recursively) or a list of paths into files, sorted for reproducibility. */
export async function collectFiles(input: string | readonly string[]): Promise<string[]> {
  const roots = typeof input === 'string' ? [input] : [...input];
  if (roots.length === 0) throw new RachisError('INVALID_ARGUMENT', 'no input files given');
  const files: string[] = [];
  for (const root of roots) {
    let st;
    try {
      st = await stat(root);
    } catch (cause) {
      throw new RachisError('NOT_FOUND', 'no such file or folder', { file: root, cause });
    }
    if (st.isDirectory()) {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const p = join(e.parentPath ?? e.path, e.name);
        if (e.isFile()) files.push(p);
        else if (e.isSymbolicLink() && (await stat(p).catch(() => undefined))?.isFile()) files.push(p);
      }
    } else if (st.isFile()) {
      files.push(root);
    }
  }
  return files.sort();
}

/** File-system failures (vanished, unreadable: ENOENT, EACCES…) as typed errors; anything else unchanged. */
export function fsError(cause: unknown, file: string): unknown {
  const code = (cause as { code?: unknown } | null)?.code;
  if (cause instanceof RachisError || typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return cause;
  return new RachisError('NOT_FOUND', `cannot read file (${code})`, { file, cause });
}

async function readChunk(file: string): Promise<{ bytes: Uint8Array; size: number }> {
  const fh = await open(file, 'r').catch((e: unknown) => {
    throw fsError(e, file);
  });
  try {
    const size = (await fh.stat()).size;
    const len = Math.min(size, HEADER_CHUNK_BYTES);
    const bytes = new Uint8Array(len);
    const { bytesRead } = await fh.read(bytes, 0, len, 0);
    return { bytes: bytes.subarray(0, bytesRead), size };
  } finally {
    await fh.close();
  }
}

/** Header of one file; tries the first chunk, falls back to the whole file when the header is longer. */
export async function readHeader(file: string): Promise<FileHeader> {
  const { bytes, size } = await readChunk(file);
  let header: FileHeader;
  try {
    header = readFileHeader(parseDicomBytes(bytes, file, true), file);
  } catch (e) {
    if (size <= bytes.length || (isRachisError(e, 'NOT_DICOM') && bytes.length >= 132)) throw e;
    if (size > MAX_FILE_BYTES) throw new RachisError('ABSURD_DIMENSIONS', `file of ${size} bytes is larger than we read (${MAX_FILE_BYTES})`, { file });
    const whole = await readFile(file).catch((err: unknown) => {
      throw fsError(err, file);
    });
    header = readFileHeader(parseDicomBytes(new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength), file, true), file);
  }
  const info = transferSyntaxInfo(header.transferSyntaxUID);
  if (info && !info.deflated && header.pixelDataLength !== 0xffffffff && header.pixelDataOffset + header.pixelDataLength > size) {
    header.problem = { code: 'TRUNCATED', message: `PixelData needs ${header.pixelDataLength} bytes at offset ${header.pixelDataOffset} but the file has ${size}` };
  }
  return header;
}

export interface ScanResult {
  headers: FileHeader[];
  skipped: SkippedFile[];
}

/** Reads every header; non-DICOM files and broken ones are listed in `skipped` instead of failing the scan. */
export async function scanHeaders(files: readonly string[]): Promise<ScanResult> {
  const results = await mapLimit(files, IO_CONCURRENCY, async (file) => {
    try {
      return await readHeader(file);
    } catch (e) {
      if (isRachisError(e)) return { file, code: e.code, reason: e.message } satisfies SkippedFile;
      throw e;
    }
  });
  const headers: FileHeader[] = [];
  const skipped: SkippedFile[] = [];
  for (const r of results) {
    if ('rows' in r) headers.push(r);
    else skipped.push(r);
  }
  return { headers, skipped };
}

export const NO_SERIES_UID = '(no SeriesInstanceUID)';

/** Groups headers by SeriesInstanceUID, keeping first-seen order. */
export function groupBySeries(headers: readonly FileHeader[]): Map<string, FileHeader[]> {
  const groups = new Map<string, FileHeader[]>();
  for (const h of headers) {
    const key = h.seriesInstanceUID ?? NO_SERIES_UID;
    const g = groups.get(key);
    if (g) g.push(h);
    else groups.set(key, [h]);
  }
  return groups;
}
