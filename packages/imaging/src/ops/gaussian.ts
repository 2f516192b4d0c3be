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

/** Separable Gaussian with sigma in mm (scalar or per axis); 0 leaves an axis unsmoothed. */
export function gaussianSmooth(img: Image, sigmaMm: number | Vec3): Image<Float32Array> {
  const n = checkImage(img, 'gaussianSmooth');
  const sigma = toVec3(sigmaMm, 'sigmaMm');
  const f = Float32Array.from(img.data);
  const size = img.size;
  const strides = [1, size[0], size[0] * size[1]];
  const maxLen = Math.max(...size);
  for (let axis = 0; axis < 3; axis++) {
    const len = size[axis]!;
    const s = sigma[axis]! / img.spacing[axis]!;
    if (s === 0 || len === 1) continue;
    const kernel = gaussianKernel(s);
    const r = (kernel.length - 1) / 2;
    const line = new Float64Array(maxLen + 2 * r);
    const stride = strides[axis]!;
    const a1 = axis === 0 ? 1 : 0;
    const a2 = axis === 2 ? 1 : 2;
    for (let c2 = 0; c2 < size[a2]!; c2++) {
      for (let c1 = 0; c1 < size[a1]!; c1++) {
        const start = c1 * strides[a1]! + c2 * strides[a2]!;
        for (let q = 0, p = start; q < len; q++, p += stride) line[q + r] = f[p]!;
        const first = line[r]!;
        const last = line[r + len - 1]!;
        for (let q = 0; q < r; q++) {
          line[q] = first;
          line[r + len + q] = last;
        }
        for (let q = 0, p = start; q < len; q++, p += stride) {
          let acc = 0;
          for (let t = 0; t < kernel.length; t++) acc += kernel[t]! * line[q + t]!;
          f[p] = acc;
        }
      }
    }
  }
  if (f.length !== n) throw new Error('gaussianSmooth: internal size mismatch');
  return { ...geometryOf(img), data: f };
}
