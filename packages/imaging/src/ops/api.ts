/**
 * PUBLIC API of the imaging ops (names and signatures agreed between packages).
 * Each op lives in its own file under src/ops/; this file only re-exports.
 */
import type { Mat3, Vec3 } from '../core/volume.js';
import type { Image } from './image.js';
import type { Statistics, Histogram } from './types.js';

export type { Image, Mask, Connectivity } from './image.js';
export type { Components, Interpolation, Statistics, Histogram } from './types.js';
export { geometryOf, sameGeometry, assertSameGeometry } from './image.js';
export { indexToWorld, worldToIndex, indexToWorldMatrix } from './geometry.js';
export { threshold } from './threshold.js';
export { connectedComponents, fillHoles } from './components.js';
export { distanceToMask, distanceInside } from './distance.js';
export { dilate, erode, open, close } from './morphology.js';
export { resampleToGeometry, resampleToSpacing } from './resample.js';
export { crop, pad } from './crop-pad.js';

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

// ---- filters ----
/** Separable Gaussian with sigma in mm (scalar or per axis). */
export function gaussianSmooth(_img: Image, _sigmaMm: number | Vec3): Image<Float32Array> { return todo('gaussianSmooth'); }

// ---- statistics ----
/** Statistics of voxel values, optionally inside mask ≠ 0 (same geometry required). */
export function statistics(_img: Image, _mask?: Image): Statistics { return todo('statistics'); }
export function histogram(_img: Image, _bins: number, _range?: [number, number], _mask?: Image): Histogram { return todo('histogram'); }
