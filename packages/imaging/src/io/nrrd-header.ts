/**
 * NRRD header parsing (http://teem.sourceforge.net/nrrd/format.html): the fields a 3-D medical
 * volume uses. Geometry → LPS via the `space` field (RAS/LAS variants flip the matching axes).
 */
import type { Mat3, Vec3 } from '../core/volume.js';
import { MAX_VOXELS } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { ElementKind } from './voxels.js';

const TYPES: [ElementKind, string[]][] = [
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  ['int64', ['longlong', 'long long', 'long long int', 'signed long long', 'signed long long int', 'int64', 'int64_t']],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
];

/** LPS sign of each world axis for the spaces we accept. */
const SPACES: Record<string, Vec3> = {
  'left-posterior-superior': [1, 1, 1], lps: [1, 1, 1],
  'right-anterior-superior': [-1, -1, 1], ras: [-1, -1, 1],
  'left-anterior-superior': [1, -1, 1], las: [1, -1, 1],
  'scanner-xyz': [1, 1, 1], '3d-right-handed': [1, 1, 1],
};

export type NrrdEncoding = 'raw' | 'gzip' | 'ascii';

export interface NrrdHeaderInfo {
  element: ElementKind;
  size: Vec3;
  /** Elements per voxel (a leading non-spatial axis, e.g. RGB); only the first is kept. */
  components: number;
  /** Number of 3-D volumes along a trailing non-spatial axis; only the first is read. */
  volumes: number;
  littleEndian: boolean;
  encoding: NrrdEncoding;
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dataFile?: string;
  byteSkip: number;
  lineSkip: number;
  /** Byte offset of attached data (after the blank line). */
  dataOffset: number;
  warnings: string[];
}

const MAX_HEADER = 1 << 20;

function vector(text: string, file: string): number[] | undefined {
  const t = text.trim();
  if (t === 'none') return undefined;
  const m = /^\(([^)]*)\)$/.exec(t);
  const nums = m ? m[1]!.split(',').map(Number) : [];
  if (nums.length === 0 || !nums.every(Number.isFinite)) throw new RachisError('MALFORMED', `bad NRRD vector "${t}"`, { file });
  return nums;
}

/** Parses the header at the start of `buf` (attached data follows the first blank line). */
export function parseNrrdHeader(buf: Uint8Array, file: string, detachedHeader: boolean): NrrdHeaderInfo {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, MAX_HEADER)).toString('latin1');
  if (!/^NRRD000[1-5]/.test(head)) throw new RachisError('MALFORMED', 'not a NRRD file (no NRRD000x magic)', { file });
  let end = head.search(/\r?\n\r?\n/);
  let dataOffset: number;
  if (end >= 0) {
    dataOffset = end + (/^\r?\n\r?\n/.exec(head.slice(end))![0].length);
  } else if (detachedHeader || buf.length <= MAX_HEADER) {
    end = head.length;
    dataOffset = buf.length;
  } else {
    throw new RachisError('MALFORMED', 'NRRD header does not end within 1 MiB', { file });
  }
  const fields = new Map<string, string>();
  for (const raw of head.slice(0, end).split(/\r?\n/).slice(1)) {
    if (raw.startsWith('#') || raw.includes(':=') || raw.trim() === '') continue;
    const c = raw.indexOf(': ');
    if (c < 0) throw new RachisError('MALFORMED', `bad NRRD header line "${raw.slice(0, 80)}"`, { file });
    fields.set(raw.slice(0, c).trim().toLowerCase(), raw.slice(c + 2).trim());
  }
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw new RachisError('MALFORMED', `NRRD header lacks "${k}"`, { file });
    return v;
  };
  const warnings: string[] = [];
  const typeName = need('type').toLowerCase();
  const element = TYPES.find(([, names]) => names.includes(typeName))?.[0];
  if (!element) throw new RachisError('UNSUPPORTED_FORMAT', `NRRD type "${typeName}" is not supported`, { file });

  const dim = Number(need('dimension'));
  const sizes = need('sizes').split(/\s+/).map(Number);
  if (!Number.isInteger(dim) || dim < 1 || dim > 16 || sizes.length !== dim || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new RachisError('MALFORMED', `NRRD dimension ${dim} / sizes "${fields.get('sizes')}" are inconsistent`, { file });
  }
  let total = 1;
  for (const s of sizes) total *= s;
  if (total > MAX_VOXELS) throw new RachisError('ABSURD_DIMENSIONS', `${sizes.join('×')} = ${total} elements exceeds the limit of ${MAX_VOXELS}`, { file });

  const dirField = fields.get('space directions');
  const dirs = dirField ? (dirField.match(/\([^)]*\)|none/g) ?? []).map((t) => vector(t, file)) : undefined;
  if (dirs && dirs.length !== dim) throw new RachisError('MALFORMED', `NRRD "space directions" has ${dirs.length} entries for ${dim} axes`, { file });
  // Spatial axes: those with a direction vector (or all, without space directions); up to three.
  const spatial = dirs ? dirs.flatMap((d, a) => (d ? [a] : [])) : sizes.map((_, a) => a).slice(0, 3);
  if (spatial.length < 1 || spatial.length > 3) throw new RachisError('UNSUPPORTED_FORMAT', `NRRD with ${spatial.length} spatial axes`, { file });
  const nonSpatial = sizes.map((_, a) => a).filter((a) => !spatial.includes(a));
  let components = 1;
  let volumes = 1;
  for (const a of nonSpatial) {
    if (a < spatial[0]!) components *= sizes[a]!;
    else if (a > spatial[spatial.length - 1]!) volumes *= sizes[a]!;
    else throw new RachisError('UNSUPPORTED_FORMAT', 'NRRD with a non-spatial axis between spatial axes', { file });
  }
  if (components > 1) warnings.push(`${components} components per voxel: only the first was read`);
  if (volumes > 1) warnings.push(`${volumes} volumes: only the first was read`);
  const size = [0, 1, 2].map((i) => (i < spatial.length ? sizes[spatial[i]!]! : 1)) as unknown as Vec3;

  const spaceName = (fields.get('space') ?? '').toLowerCase();
  let sign: Vec3 = [1, 1, 1];
  if (spaceName) {
    const s = SPACES[spaceName];
    if (!s) throw new RachisError('UNSUPPORTED_FORMAT', `NRRD space "${spaceName}" is not supported`, { file });
    sign = s;
    if (spaceName === 'scanner-xyz' || spaceName === '3d-right-handed') warnings.push(`NRRD space "${spaceName}" read as LPS`);
  }
  const spacing: number[] = [];
  const cols: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const v = dirs && i < spatial.length ? dirs[spatial[i]!] : undefined;
    if (v) {
      if (v.length !== 3) throw new RachisError('UNSUPPORTED_FORMAT', `NRRD space dimension ${v.length} (need 3)`, { file });
      const lps = v.map((x, r) => x * sign[r]!);
      const norm = Math.hypot(...lps);
      if (!(norm > 0)) throw new RachisError('MALFORMED', 'NRRD space direction of zero length', { file });
      spacing.push(norm);
      cols.push(lps.map((x) => x / norm));
    } else {
      const sp = fields.get('spacings')?.split(/\s+/).map(Number)[spatial[i] ?? i];
      spacing.push(sp !== undefined && Number.isFinite(sp) && sp > 0 ? sp : 1);
      cols.push([0, 1, 2].map((r) => (r === i ? 1 : 0)));
    }
  }
  if (!dirs) warnings.push('NRRD has no space directions: identity orientation assumed');
  const direction = [0, 1, 2].flatMap((r) => [cols[0]![r]!, cols[1]![r]!, cols[2]![r]!]) as unknown as Mat3;
  const o = fields.get('space origin');
  const ov = o ? vector(o, file) : undefined;
  const origin = (ov && ov.length === 3 ? ov.map((x, r) => x * sign[r]!) : [0, 0, 0]) as unknown as Vec3;

  const enc = need('encoding').toLowerCase();
  const encoding: NrrdEncoding | undefined = enc === 'raw' ? 'raw' : enc === 'gzip' || enc === 'gz' ? 'gzip' : ['ascii', 'text', 'txt'].includes(enc) ? 'ascii' : undefined;
  if (!encoding) throw new RachisError('UNSUPPORTED_FORMAT', `NRRD encoding "${enc}" is not supported (raw, gzip, ascii are)`, { file });
  const endian = (fields.get('endian') ?? 'little').toLowerCase();
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  if (dataFile && (/^LIST/.test(dataFile) || /%/.test(dataFile))) {
    throw new RachisError('UNSUPPORTED_FORMAT', 'NRRD with multiple detached data files is not supported', { file });
  }
  const byteSkip = Number(fields.get('byte skip') ?? 0);
  const lineSkip = Number(fields.get('line skip') ?? 0);
  if (!Number.isInteger(byteSkip) || byteSkip < -1 || !Number.isInteger(lineSkip) || lineSkip < 0) {
    throw new RachisError('MALFORMED', 'bad NRRD byte skip / line skip', { file });
  }
  const info: NrrdHeaderInfo = {
    element, size, components, volumes, littleEndian: endian !== 'big', encoding,
    spacing: spacing as unknown as Vec3, origin, direction, byteSkip, lineSkip, dataOffset, warnings,
  };
  if (dataFile) info.dataFile = dataFile;
  return info;
}
