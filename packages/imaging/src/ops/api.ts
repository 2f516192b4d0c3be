/**
 * PUBLIC API of the imaging ops (names and signatures agreed between packages).
 * Each op lives in its own file under src/ops/; this file only re-exports.
 */
export type { Image, Mask, Connectivity } from './image.js';
export type { Components, Interpolation, Statistics, Histogram } from './types.js';
export { geometryOf, sameGeometry, assertSameGeometry } from './image.js';
export { indexToWorld, worldToIndex, indexToWorldMatrix, solve3 } from './geometry.js';
export { threshold } from './threshold.js';
export { connectedComponents, fillHoles, fillHolesInSlices } from './components.js';
export { distanceToMask, distanceInside } from './distance.js';
export { dilate, erode, open, close } from './morphology.js';
export { resampleToGeometry, resampleToSpacing } from './resample.js';
export { crop, pad } from './crop-pad.js';
export { orientationCode, reorient } from './orientation.js';
export { gaussianSmooth, gaussianKernel } from './gaussian.js';
export { statistics, histogram } from './statistics.js';
