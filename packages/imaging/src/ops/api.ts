/**
 * PUBLIC API CONTRACT of the imaging ops (signatures agreed between packages).
 * Bodies are being implemented in separate files under src/ops/ — this file will be
 * replaced by re-exports of those implementations with the same names and signatures.
 */
import type { Geometry, Mat3, Vec3 } from '../core/volume.js';
import type { Image, Mask, Connectivity } from './image.js';

export type { Image, Mask, Connectivity } from './image.js';
export { geometryOf, sameGeometry, assertSameGeometry } from './image.js';
export { indexToWorld, worldToIndex, indexToWorldMatrix } from './geometry.js';

const todo = (name: string): never => {
  throw new Error(`${name}: not implemented yet`);
};

// ---- geometry ----
/** 'LPS', 'RAS', 'LIP', … : for each axis i,j,k the LPS letter it points to most. */
export function orientationCode(_direction: Mat3): string { return todo('orientationCode'); }
/**
 * Permute/flip axes (no interpolation) so the image's orientation code becomes `code`
 * (default 'LPS': i→L, j→P, k→S). World positions of voxels are unchanged.
 */
export function reorient<T extends Image>(_img: T, _code?: string): T { return todo('reorient'); }

// ---- resampling, crop/pad ----
export type Interpolation = 'nearest' | 'linear';
/** Resample to a new spacing over the same physical extent (grid aligned at the first voxel centre). */
export function resampleToSpacing<T extends Image>(_img: T, _spacing: Vec3, _interp: Interpolation, _fill?: number): T { return todo('resampleToSpacing'); }
/** Resample onto another geometry (e.g. back to the original CT grid). Output data type = input's. */
export function resampleToGeometry<T extends Image>(_img: T, _target: Geometry, _interp: Interpolation, _fill?: number): T { return todo('resampleToGeometry'); }
/** Crop to index box [lo, hi) (clamped); geometry (origin) updated. */
export function crop<T extends Image>(_img: T, _lo: Vec3, _hi: Vec3): T { return todo('crop'); }
/** Pad by lo/hi voxels per axis with `value`; origin updated. */
export function pad<T extends Image>(_img: T, _lo: Vec3, _hi: Vec3, _value?: number): T { return todo('pad'); }

// ---- masks and morphology ----
/** 1 where lo ≤ v ≤ hi. */
export function threshold(_img: Image, _lo: number, _hi: number): Mask { return todo('threshold'); }
export interface Components {
  /** 0 = background, 1..count component ids, ordered by decreasing size. */
  labels: Image<Int32Array>;
  count: number;
  /** sizes[id-1] = voxel count of component id. */
  sizes: number[];
}
export function connectedComponents(_mask: Mask, _connectivity?: Connectivity): Components { return todo('connectedComponents'); }
/** Structuring element = ellipsoid of radius `radiusMm` (scalar or per axis) in physical space. */
export function dilate(_mask: Mask, _radiusMm: number | Vec3): Mask { return todo('dilate'); }
export function erode(_mask: Mask, _radiusMm: number | Vec3): Mask { return todo('erode'); }
export function open(_mask: Mask, _radiusMm: number | Vec3): Mask { return todo('open'); }
export function close(_mask: Mask, _radiusMm: number | Vec3): Mask { return todo('close'); }
/** Fill cavities not connected to the image border (3D). */
export function fillHoles(_mask: Mask): Mask { return todo('fillHoles'); }

// ---- distances and filters ----
/**
 * Exact Euclidean distance (mm, anisotropic spacing honoured) from every voxel to the
 * nearest voxel where mask ≠ 0. 0 on the mask itself. (Felzenszwalb–Huttenlocher.)
 */
export function distanceToMask(_mask: Mask): Image<Float32Array> { return todo('distanceToMask'); }
/** Distance (mm) from each foreground voxel to the nearest background voxel; 0 outside. */
export function distanceInside(_mask: Mask): Image<Float32Array> { return todo('distanceInside'); }
/** Separable Gaussian with sigma in mm (scalar or per axis). */
export function gaussianSmooth(_img: Image, _sigmaMm: number | Vec3): Image<Float32Array> { return todo('gaussianSmooth'); }

// ---- statistics ----
export interface Statistics {
  count: number; mean: number; sd: number; min: number; max: number;
  median: number; p5: number; p95: number; sum: number;
}
/** Statistics of voxel values, optionally inside mask ≠ 0 (same geometry required). */
export function statistics(_img: Image, _mask?: Image): Statistics { return todo('statistics'); }
export interface Histogram { edges: number[]; counts: number[] }
export function histogram(_img: Image, _bins: number, _range?: [number, number], _mask?: Image): Histogram { return todo('histogram'); }
