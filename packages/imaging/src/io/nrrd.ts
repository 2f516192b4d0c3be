/**
 * NRRD read/write (attached .nrrd or detached .nhdr + data file; raw, gzip or ascii), in LPS.
 * Written by hand: no maintained typed npm package reads and writes NRRD (itk-wasm aside,
 * a 27 MB devDependency here, used only to cross-check).
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { LabelMap, Volume, VoxelArray } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { readFileTyped } from './files.js';
import { gunzipPrefix } from './gzip.js';
import { parseNrrdHeader } from './nrrd-header.js';
import type { NrrdHeaderInfo } from './nrrd-header.js';
import { BYTES_PER_ELEMENT, decodeVoxels, elementKindOf, littleEndianBytes } from './voxels.js';
import type { ElementKind } from './voxels.js';

const gzipAsync = promisify(gzip);

function skipLines(buf: Uint8Array, from: number, lines: number): number {
  let p = from;
  for (let l = 0; l < lines; l++) {
    const nl = buf.indexOf(0x0a, p);
    if (nl < 0) return buf.length;
    p = nl + 1;
  }
  return p;
}

async function elementBytes(h: NrrdHeaderInfo, src: Uint8Array, start: number, count: number, file: string): Promise<Uint8Array> {
  const need = count * BYTES_PER_ELEMENT[h.element];
  if (h.encoding === 'raw') {
    const from = h.byteSkip === -1 ? src.length - need : start + Math.max(0, h.byteSkip);
    if (from < 0 || from + need > src.length) {
      throw new RachisError('TRUNCATED', `raw data has ${Math.max(0, src.length - Math.max(from, 0))} of ${need} bytes`, { file });
    }
    return src.subarray(from, from + need);
  }
  const skip = Math.max(0, h.byteSkip);
  const { data } = await gunzipPrefix(src.subarray(start), skip + need, file);
  if (data.length < skip + need) throw new RachisError('TRUNCATED', `gzip data ends after ${data.length} of ${skip + need} bytes`, { file });
  return data.subarray(skip);
}

function asciiValues(src: Uint8Array, start: number, count: number, kind: ElementKind, file: string): VoxelArray {
  // Each value takes at least one character and one separator: check before allocating.
  if (src.length - start < 2 * count - 1) {
    throw new RachisError('TRUNCATED', `ASCII data of ${src.length - start} bytes cannot hold ${count} values`, { file });
  }
  const text = Buffer.from(src.buffer, src.byteOffset + start, src.length - start).toString('latin1');
  const out = kind === 'float32' ? new Float32Array(count) : new Float64Array(count);
  const re = /[^\s,]+/g;
  let i = 0;
  for (let m = re.exec(text); m && i < count; m = re.exec(text)) {
    const v = Number(m[0]);
    if (!Number.isFinite(v)) throw new RachisError('MALFORMED', `bad ASCII NRRD value "${m[0].slice(0, 20)}"`, { file });
    out[i++] = v;
  }
  if (i < count) throw new RachisError('TRUNCATED', `ASCII data has ${i} of ${count} values`, { file });
  return out;
}

/** .nrrd / .nhdr (+ raw/gz data) */
export async function readNrrd(path: string): Promise<Volume> {
  const buf = await readFileTyped(path);
  const h = parseNrrdHeader(buf, path, path.toLowerCase().endsWith('.nhdr'));
  let src: Uint8Array = buf;
  let start = h.dataOffset;
  let dataPath = path;
  if (h.dataFile) {
    dataPath = isAbsolute(h.dataFile) ? h.dataFile : join(dirname(path), h.dataFile);
    src = await readFileTyped(dataPath);
    start = 0;
  } else if (start >= buf.length) {
    throw new RachisError('TRUNCATED', 'NRRD header has no attached data and no data file', { file: path });
  }
  start = skipLines(src, start, h.lineSkip);
  const n = h.size[0] * h.size[1] * h.size[2];
  const count = n * h.components;
  let data: VoxelArray;
  if (h.encoding === 'ascii') {
    data = asciiValues(src, start, count, h.element, dataPath);
  } else {
    data = decodeVoxels(await elementBytes(h, src, start, count, dataPath), h.element, count, h.littleEndian);
  }
  if (h.components > 1) {
    const first = data.slice(0, n);
    for (let p = 0; p < n; p++) first[p] = data[p * h.components]!;
    data = first;
  }
  const warnings = [...h.warnings];
  if (h.element === 'int64' || h.element === 'uint64') warnings.push(`${h.element} voxels converted to float64 (exact only up to 2^53)`);
  const meta: Volume['meta'] = { source: path };
  if (warnings.length) meta.warnings = warnings;
  return { size: h.size, spacing: h.spacing, origin: h.origin, direction: h.direction, data, meta };
}

const NRRD_TYPE: Record<ElementKind, string> = {
  int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32',
  float32: 'float', float64: 'double', int64: 'int64', uint64: 'uint64',
};

export interface WriteNrrdOptions {
  /** 'gzip' (default) or 'raw'. */
  encoding?: 'gzip' | 'raw';
  gzipLevel?: number;
}

/**
 * Writes an attached .nrrd, or a detached .nhdr with its data beside it (<name>.raw[.gz]).
 * Numbers are written with full double precision, so geometry round-trips exactly.
 */
export async function writeNrrd(path: string, img: Volume | LabelMap, options: WriteNrrdOptions = {}): Promise<void> {
  const n = img.size[0] * img.size[1] * img.size[2];
  if (img.data.length !== n) throw new RachisError('INVALID_ARGUMENT', `data length ${img.data.length} ≠ ${img.size.join('×')}`, { file: path });
  const encoding = options.encoding ?? 'gzip';
  const vec = (v: number[]): string => `(${v.map((x) => String(x === 0 ? 0 : x)).join(',')})`;
  const dirs = [0, 1, 2].map((c) => vec([0, 1, 2].map((r) => img.direction[r * 3 + c]! * img.spacing[c]!)));
  const detached = path.toLowerCase().endsWith('.nhdr');
  const dataName = `${basename(path).replace(/\.nhdr$/i, '')}.raw${encoding === 'gzip' ? '.gz' : ''}`;
  const lines = [
    'NRRD0004',
    '# written by Rachis',
    `type: ${NRRD_TYPE[elementKindOf(img.data)]}`,
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${img.size.join(' ')}`,
    `space directions: ${dirs.join(' ')}`,
    'kinds: domain domain domain',
    'endian: little',
    `encoding: ${encoding}`,
    `space origin: ${vec([...img.origin])}`,
  ];
  if (detached) lines.push(`data file: ${dataName}`);
  const header = Buffer.from(lines.join('\n') + '\n' + (detached ? '' : '\n'), 'latin1');
  const raw = littleEndianBytes(img.data);
  const body = encoding === 'gzip' ? await gzipAsync(raw, { level: options.gzipLevel ?? 6 }) : raw;
  if (detached) {
    await writeFile(join(dirname(path), dataName), body);
    await writeFile(path, header);
  } else {
    await writeFile(path, Buffer.concat([header, body]));
  }
}
