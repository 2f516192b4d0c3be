/** Crop and pad by whole voxels; the origin moves so world positions of voxels are unchanged. */
import type { Vec3, VoxelArray } from '../core/volume.js';
import { MAX_VOXELS } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { Image } from './image.js';
import { allocLike, checkImage, derive } from './image.js';
import { indexToWorld } from './geometry.js';

/** Crop to index box [lo, hi) (clamped to the image); throws INVALID_ARGUMENT when the box is empty. */
export function crop<T extends Image>(img: T, lo: Vec3, hi: Vec3): T {
  checkImage(img, 'crop');
  const l = [0, 1, 2].map((a) => Math.min(img.size[a]!, Math.max(0, Math.floor(lo[a]!))));
  const h = [0, 1, 2].map((a) => Math.min(img.size[a]!, Math.max(l[a]!, Math.floor(hi[a]!))));
  const size = [h[0]! - l[0]!, h[1]! - l[1]!, h[2]! - l[2]!] as unknown as Vec3;
  if (size.some((s) => s <= 0)) throw new RachisError('INVALID_ARGUMENT', `crop: empty box [${lo.join(',')}) – [${hi.join(',')})`);
  const [nx, ny] = img.size;
  const out = allocLike(img.data, size[0] * size[1] * size[2]);
  for (let k = 0, q = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++, q += size[0]) {
      const p = l[0]! + nx * (l[1]! + j + ny * (l[2]! + k));
      out.set(img.data.subarray(p, p + size[0]), q);
    }
  }
  const origin = indexToWorld(img, [l[0]!, l[1]!, l[2]!]);
  return derive(img, { size, spacing: img.spacing, origin, direction: img.direction }, out);
}

/** Pad by lo/hi voxels per axis (≥ 0) with `value`; origin updated. */
export function pad<T extends Image>(img: T, lo: Vec3, hi: Vec3, value = 0): T {
  checkImage(img, 'pad');
  if (![...lo, ...hi].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new RachisError('INVALID_ARGUMENT', `pad: amounts must be integers ≥ 0, got ${lo.join(',')} / ${hi.join(',')}`);
  }
  const size = [0, 1, 2].map((a) => img.size[a]! + lo[a]! + hi[a]!) as unknown as Vec3;
  const n = size[0] * size[1] * size[2];
  if (n > MAX_VOXELS) throw new RachisError('INVALID_ARGUMENT', `pad: result ${size.join('×')} is too large`);
  const out = allocLike(img.data, n);
  if (value !== 0) out.fill(value);
  const [nx, ny, nz] = img.size;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const p = nx * (j + ny * k);
      const q = lo[0] + size[0] * (lo[1] + j + size[1] * (lo[2] + k));
      out.set(img.data.subarray(p, p + nx), q);
    }
  }
  const origin = indexToWorld(img, [-lo[0], -lo[1], -lo[2]]);
  return derive(img, { size, spacing: img.spacing, origin, direction: img.direction }, out);
}

/** Copies `part` (size `partSize`) into `out` (size `size`) with its voxel (0,0,0) at index `lo`. */
export function pasteBox(out: VoxelArray, size: Vec3, part: VoxelArray, partSize: Vec3, lo: Vec3): void {
  const [nx, ny] = size;
  const [sx, sy, sz] = partSize;
  for (let k = 0; k < sz; k++) {
    for (let j = 0; j < sy; j++) {
      const q = sx * (j + sy * k);
      out.set(part.subarray(q, q + sx), lo[0] + nx * (lo[1] + j + ny * (lo[2] + k)));
    }
  }
}
