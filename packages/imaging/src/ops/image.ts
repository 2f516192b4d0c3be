/**
 * Shared types and small helpers of the imaging ops. An `Image` is anything with a geometry and
 * voxel data (a Volume, a LabelMap, an intermediate mask); ops return the same kind they got,
 * with the non-geometry fields (meta, labels) carried over.
 */
import type { Geometry, Vec3, VoxelArray } from '../core/volume.js';
import { MAX_VOXELS, voxelCount } from '../core/volume.js';
import { RachisError } from '../core/errors.js';

/** Anything with a geometry and voxel data: a Volume, a LabelMap, or an intermediate mask. */
export type Image<T extends VoxelArray = VoxelArray> = Geometry & { readonly data: T };
export type Mask = Image<Uint8Array>;
export type Connectivity = 6 | 18 | 26;

export function geometryOf(g: Geometry): Geometry {
  return { size: g.size, spacing: g.spacing, origin: g.origin, direction: g.direction };
}

/** True when size matches exactly and spacing/origin/direction agree within `tolMm` (mm or unitless). */
export function sameGeometry(a: Geometry, b: Geometry, tolMm = 1e-3): boolean {
  for (let i = 0; i < 3; i++) {
    if (a.size[i] !== b.size[i]) return false;
    if (Math.abs(a.spacing[i]! - b.spacing[i]!) > tolMm) return false;
    if (Math.abs(a.origin[i]! - b.origin[i]!) > tolMm) return false;
  }
  for (let i = 0; i < 9; i++) if (Math.abs(a.direction[i]! - b.direction[i]!) > 1e-4) return false;
  return true;
}

export function assertSameGeometry(a: Geometry, b: Geometry, what: string): void {
  if (!sameGeometry(a, b)) {
    throw new RachisError(
      'GEOMETRY_MISMATCH',
      `${what}: geometries differ (size ${a.size.join('×')} vs ${b.size.join('×')}, origin ${a.origin.map((v) => v.toFixed(2)).join(',')} vs ${b.origin.map((v) => v.toFixed(2)).join(',')})`,
    );
  }
}

/** Checks that size is sane and data length matches it; returns the voxel count. */
export function checkImage(img: Image, what: string): number {
  const n = voxelCount(img.size);
  if (!img.size.every((s) => Number.isInteger(s) && s > 0) || n > MAX_VOXELS) {
    throw new RachisError('INVALID_ARGUMENT', `${what}: invalid size ${img.size.join('×')}`);
  }
  if (img.data.length !== n) {
    throw new RachisError('INVALID_ARGUMENT', `${what}: data length ${img.data.length} ≠ ${img.size.join('×')}`);
  }
  if (!img.spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new RachisError('INVALID_ARGUMENT', `${what}: spacing must be positive, got ${img.spacing.join(',')}`);
  }
  return n;
}

type ArrayCtor<T extends VoxelArray> = new (n: number) => T;

/** A zero-filled array of the same element type as `data`. */
export function allocLike<T extends VoxelArray>(data: T, n: number): T {
  return new (data.constructor as ArrayCtor<T>)(n);
}

/** A copy of `img` (keeping meta/labels) with a new geometry and data. */
export function derive<T extends Image>(img: T, geometry: Geometry, data: VoxelArray): T {
  const out = { ...img, ...geometryOf(geometry), data } as T & { meta?: object };
  // A Volume's meta is mutable: give the result its own (shallow) copy.
  if ('meta' in img && typeof img.meta === 'object' && img.meta !== null) out.meta = { ...img.meta };
  return out;
}

/** A mask on the geometry of `g`. */
export function maskLike(g: Geometry, data: Uint8Array): Mask {
  return { ...geometryOf(g), data };
}

export function toVec3(v: number | Vec3, what: string): Vec3 {
  const r: Vec3 = typeof v === 'number' ? [v, v, v] : v;
  if (!r.every((x) => Number.isFinite(x) && x >= 0)) {
    throw new RachisError('INVALID_ARGUMENT', `${what} must be finite and ≥ 0, got ${r.join(',')}`);
  }
  return r;
}

/** True for integer element types, where computed values must be rounded before storing. */
export function isIntegerArray(data: VoxelArray): boolean {
  return !(data instanceof Float32Array || data instanceof Float64Array);
}

/** Index box [lo, hi) of the non-zero voxels, or undefined when there are none. */
export function boundingBox(img: Image): { lo: Vec3; hi: Vec3 } | undefined {
  const [nx, ny, nz] = img.size;
  const d = img.data;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        if (d[p] === 0) continue;
        if (i < x0) x0 = i;
        if (i > x1) x1 = i;
        if (j < y0) y0 = j;
        if (j > y1) y1 = j;
        if (k < z0) z0 = k;
        if (k > z1) z1 = k;
      }
    }
  }
  return x1 < 0 ? undefined : { lo: [x0, y0, z0], hi: [x1 + 1, y1 + 1, z1 + 1] };
}

