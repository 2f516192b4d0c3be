/**
 * Separable Gaussian smoothing with sigma in mm (per axis), kernel truncated at 4σ and
 * normalised; borders replicate the edge voxel (scipy's mode="nearest").
 */
import type { Vec3 } from '../core/volume.js';
import type { Image } from './image.js';
import { checkImage, geometryOf, toVec3 } from './image.js';

export const GAUSSIAN_TRUNCATE_SIGMAS = 4;

export function gaussianKernel(sigmaVoxels: number): Float64Array {
  const r = Math.max(1, Math.ceil(GAUSSIAN_TRUNCATE_SIGMAS * sigmaVoxels));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigmaVoxels * sigmaVoxels));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** Convolves contiguous lines along x (axis 0) with edge replication. */
function convolveX(f: Float32Array, nx: number, kernel: Float64Array): void {
  const r = (kernel.length - 1) / 2;
  const line = new Float64Array(nx + 2 * r);
  for (let base = 0; base < f.length; base += nx) {
    for (let q = 0; q < nx; q++) line[q + r] = f[base + q]!;
    const first = line[r]!;
    const last = line[r + nx - 1]!;
    for (let q = 0; q < r; q++) {
      line[q] = first;
      line[r + nx + q] = last;
    }
    // The kernel is symmetric: pair taps ±t to halve the multiplications.
    const w0 = kernel[r]!;
    for (let q = 0; q < nx; q++) {
      const c = q + r;
      let acc = w0 * line[c]!;
      for (let t = 1; t <= r; t++) acc += kernel[r + t]! * (line[c - t]! + line[c + t]!);
      f[base + q] = acc;
    }
  }
}

/**
 * Convolves along a slower axis whose rows (`inner` contiguous values) are `inner` apart:
 * whole rows are combined (contiguous, cache-friendly) and the original rows still needed
 * after being overwritten are kept in a ring of r+1 rows.
 */
function convolveRows(f: Float32Array, inner: number, len: number, kernel: Float64Array): void {
  const r = (kernel.length - 1) / 2;
  const slots = r + 1;
  const ring = new Float32Array(slots * inner);
  const acc = new Float64Array(inner);
  for (let base = 0; base < f.length; base += len * inner) {
    for (let k = 0; k < len; k++) {
      const rowK = base + k * inner;
      ring.set(f.subarray(rowK, rowK + inner), (k % slots) * inner);
      // Symmetric kernel: row k itself, then the pairs k±t (rows ≤ k come from the ring).
      const self = (k % slots) * inner;
      const w0 = kernel[r]!;
      for (let x = 0; x < inner; x++) acc[x] = w0 * ring[self + x]!;
      for (let t = 1; t <= r; t++) {
        const w = kernel[r + t]!;
        const lo = (Math.max(0, k - t) % slots) * inner;
        const hiRow = Math.min(len - 1, k + t);
        if (hiRow <= k) {
          const hi = (hiRow % slots) * inner;
          for (let x = 0; x < inner; x++) acc[x]! += w * (ring[lo + x]! + ring[hi + x]!);
        } else {
          const hi = base + hiRow * inner;
          for (let x = 0; x < inner; x++) acc[x]! += w * (ring[lo + x]! + f[hi + x]!);
        }
      }
      f.set(acc, rowK);
    }
  }
}

/** Separable Gaussian with sigma in mm (scalar or per axis); 0 leaves an axis unsmoothed. */
export function gaussianSmooth(img: Image, sigmaMm: number | Vec3): Image<Float32Array> {
  checkImage(img, 'gaussianSmooth');
  const sigma = toVec3(sigmaMm, 'sigmaMm');
  const f = Float32Array.from(img.data);
  const [nx, ny, nz] = img.size;
  const lens = [nx, ny, nz];
  const inner = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const s = sigma[axis]! / img.spacing[axis]!;
    if (s === 0 || lens[axis] === 1) continue;
    const kernel = gaussianKernel(s);
    if (axis === 0) convolveX(f, nx, kernel);
    else convolveRows(f, inner[axis]!, lens[axis]!, kernel);
  }
  return { ...geometryOf(img), data: f };
}
