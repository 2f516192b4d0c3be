/**
 * Binary morphology with an ellipsoidal structuring element in physical space (radii in mm along
 * the i, j, k axes). Computed through the exact EDT in a metric scaled by 1/radius, so the ball
 * is exact for any spacing and the cost is O(n) whatever the radius.
 * Borders: outside the image counts as background for dilation and as foreground for erosion
 * (erode is the exact dual of dilate; masks touching the border are not eaten from it).
 */
import type { Vec3 } from '../core/volume.js';
import type { Image, Mask } from './image.js';
import { checkImage, maskLike, toVec3 } from './image.js';
import { squaredDistanceField } from './distance.js';

/** Offsets exactly on the ellipsoid surface count as inside (relative tolerance). */
export const ELLIPSOID_BOUNDARY_TOLERANCE = 1e-6;

function scaledSteps(img: Image, radiusMm: number | Vec3): Vec3 | undefined {
  const r = toVec3(radiusMm, 'radiusMm');
  if (r.every((x) => x === 0)) return undefined;
  return [0, 1, 2].map((a) => (r[a] === 0 ? Infinity : img.spacing[a]! / r[a]!)) as unknown as Vec3;
}

function copyBinary(mask: Image): Mask {
  const out = new Uint8Array(mask.data.length);
  for (let p = 0; p < out.length; p++) out[p] = mask.data[p] !== 0 ? 1 : 0;
  return maskLike(mask, out);
}

export function dilate(mask: Mask, radiusMm: number | Vec3): Mask {
  checkImage(mask, 'dilate');
  const steps = scaledSteps(mask, radiusMm);
  if (!steps) return copyBinary(mask);
  const sq = squaredDistanceField(mask, steps, true);
  const out = new Uint8Array(sq.length);
  const limit = 1 + ELLIPSOID_BOUNDARY_TOLERANCE;
  for (let p = 0; p < out.length; p++) out[p] = sq[p]! <= limit ? 1 : 0;
  return maskLike(mask, out);
}

export function erode(mask: Mask, radiusMm: number | Vec3): Mask {
  checkImage(mask, 'erode');
  const steps = scaledSteps(mask, radiusMm);
  if (!steps) return copyBinary(mask);
  const sq = squaredDistanceField(mask, steps, false);
  const out = new Uint8Array(sq.length);
  const limit = 1 + ELLIPSOID_BOUNDARY_TOLERANCE;
  const src = mask.data;
  for (let p = 0; p < out.length; p++) out[p] = src[p] !== 0 && sq[p]! > limit ? 1 : 0;
  return maskLike(mask, out);
}

export function open(mask: Mask, radiusMm: number | Vec3): Mask {
  return dilate(erode(mask, radiusMm), radiusMm);
}

export function close(mask: Mask, radiusMm: number | Vec3): Mask {
  return erode(dilate(mask, radiusMm), radiusMm);
}
