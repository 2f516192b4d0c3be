/**
 * Applies per-frame RescaleSlope/Intercept to the stored samples and picks the output type:
 * the stored type when nothing changes, Int16 when the result is integral and fits (done in
 * place over the same buffer for 16-bit data), Float32 otherwise.
 */
import type { VoxelArray } from '../core/volume.js';

export interface StoredFormat {
  bitsAllocated: number;
  bitsStored: number;
  signed: boolean;
}

export function storedView(buffer: ArrayBuffer, f: StoredFormat): VoxelArray {
  if (f.bitsAllocated === 8) return f.signed ? new Int8Array(buffer) : new Uint8Array(buffer);
  if (f.bitsAllocated === 16) return f.signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  return f.signed ? new Int32Array(buffer) : new Uint32Array(buffer);
}

export interface Rescale {
  slope: number;
  intercept: number;
}

function storedRange(f: StoredFormat): [number, number] {
  const bits = Math.min(f.bitsStored, f.bitsAllocated);
  return f.signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

function sliceRange(raw: VoxelArray, start: number, end: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    const v = raw[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function addInPlace(a: Int16Array, start: number, end: number, b: number): void {
  if (b === 0) return;
  for (let i = start; i < end; i++) a[i]! += b;
}

/** Returns the rescaled data; `raw` may be reused (and overwritten) when the output is Int16 over 16-bit storage. */
export function applyRescale(raw: VoxelArray, fmt: StoredFormat, perSlice: readonly Rescale[], sliceVoxels: number): VoxelArray {
  if (perSlice.every((r) => r.slope === 1 && r.intercept === 0)) return raw;
  const integral = perSlice.every((r) => Number.isInteger(r.slope) && Number.isInteger(r.intercept));
  if (integral) {
    // Decide from the declared bit depth first; scan actual values only when that is inconclusive.
    const [slo, shi] = storedRange(fmt);
    let fits = perSlice.every((r) => {
      const a = r.slope * slo + r.intercept;
      const b = r.slope * shi + r.intercept;
      return Math.min(a, b) >= -32768 && Math.max(a, b) <= 32767;
    });
    if (!fits) {
      fits = perSlice.every((r, k) => {
        const [lo, hi] = sliceRange(raw, k * sliceVoxels, (k + 1) * sliceVoxels);
        const a = r.slope * lo + r.intercept;
        const b = r.slope * hi + r.intercept;
        return Math.min(a, b) >= -32768 && Math.max(a, b) <= 32767;
      });
    }
    if (fits && fmt.bitsAllocated === 16 && perSlice.every((r) => r.slope === 1)) {
      // Fast path (the usual CT case): add the intercept on an Int16 view of the same bytes. For
      // unsigned storage, values above 32767 read as v − 65536; the sum wraps modulo 2^16 to the
      // right result because we checked that every true result fits in Int16.
      const out = new Int16Array(raw.buffer, raw.byteOffset, raw.length);
      perSlice.forEach((r, k) => addInPlace(out, k * sliceVoxels, (k + 1) * sliceVoxels, r.intercept));
      return out;
    }
    if (fits) {
      const out = fmt.bitsAllocated === 16 ? new Int16Array(raw.buffer, raw.byteOffset, raw.length) : new Int16Array(raw.length);
      perSlice.forEach((r, k) => {
        const end = (k + 1) * sliceVoxels;
        // Same index read then written: safe in place even when `out` aliases `raw`.
        for (let i = k * sliceVoxels; i < end; i++) out[i] = raw[i]! * r.slope + r.intercept;
      });
      return out;
    }
  }
  const out = new Float32Array(raw.length);
  perSlice.forEach((r, k) => {
    const end = (k + 1) * sliceVoxels;
    for (let i = k * sliceVoxels; i < end; i++) out[i] = raw[i]! * r.slope + r.intercept;
  });
  return out;
}
