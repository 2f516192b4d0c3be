/** Raw voxel bytes ↔ typed arrays, shared by the NIfTI and NRRD codecs. */
import type { VoxelArray } from '../core/volume.js';

export type ElementKind = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'int64' | 'uint64';

export const BYTES_PER_ELEMENT: Record<ElementKind, number> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8, int64: 8, uint64: 8,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapInPlace(bytes: Uint8Array, width: number): void {
  for (let p = 0; p + width <= bytes.length; p += width) {
    for (let a = p, b = p + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Copies `n` elements from `src` (any alignment) into a fresh typed array.
 * 64-bit integers become Float64Array (exact up to 2^53; the caller warns).
 */
export function decodeVoxels(src: Uint8Array, kind: ElementKind, n: number, littleEndian: boolean): VoxelArray {
  const width = BYTES_PER_ELEMENT[kind];
  const bytes = new Uint8Array(n * width);
  bytes.set(src.subarray(0, n * width));
  if (width > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapInPlace(bytes, width);
  const buf = bytes.buffer;
  switch (kind) {
    case 'int8': return new Int8Array(buf);
    case 'uint8': return bytes;
    case 'int16': return new Int16Array(buf);
    case 'uint16': return new Uint16Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int64': return Float64Array.from(new BigInt64Array(buf), (v) => Number(v));
    case 'uint64': return Float64Array.from(new BigUint64Array(buf), (v) => Number(v));
  }
}

export function elementKindOf(data: VoxelArray): ElementKind {
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** Little-endian bytes of a typed array (a view when the host is little-endian). */
export function littleEndianBytes(data: VoxelArray): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return view;
  const copy = new Uint8Array(view);
  swapInPlace(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/**
 * Applies value = slope·raw + inter. Integer input with integer slope/intercept stays integer
 * (Int16/Int32 when the range fits, as CT in HU does); anything else becomes Float32 (Float64 for
 * 64-bit input).
 */
export function applyScaling(raw: VoxelArray, slope: number, inter: number): VoxelArray {
  const n = raw.length;
  const integral = !(raw instanceof Float32Array || raw instanceof Float64Array) && Number.isInteger(slope) && Number.isInteger(inter);
  if (integral) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = raw[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const a = slope * lo + inter;
    const b = slope * hi + inter;
    const min = Math.min(a, b);
    const max = Math.max(a, b);
    const out =
      min >= -32768 && max <= 32767 ? new Int16Array(n) : min >= -2147483648 && max <= 2147483647 ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = slope * raw[i]! + inter;
    return out;
  }
  const out = raw instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = slope * raw[i]! + inter;
  return out;
}
