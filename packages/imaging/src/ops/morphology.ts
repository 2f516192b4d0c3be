/**
 * Binary morphology with an ellipsoidal structuring element in physical space (radii in mm along
 * the i, j, k axes). Computed through the exact EDT in a metric scaled by 1/radius, so the ball
 * is exact for any spacing and the cost is O(n) whatever the radius.
 * Borders: outside the image counts as background for dilation and as foreground for erosion
 * (erode is the exact dual of dilate; masks touching the border are not eaten from it).
 */
import type { Vec3 } from '../core/volume.js';
import type { Image, Mask } from './image.js';
import { boundingBox, checkImage, maskLike, toVec3 } from './image.js';
import { squaredDistanceField } from './distance.js';
import { crop, pasteBox } from './crop-pad.js';

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

/**
 * Runs `op` on the mask's bounding box grown by the structuring element's reach (+1 voxel), then
 * pastes the result into an empty full-size mask. Exact: every voxel the element can reach from
 * the mask lies inside the box, and nothing outside it can change (dilate/erode of empty = empty).
 * Saves the full-volume EDT when a small structure sits in a large CT.
 */
function onBoundingBox(mask: Mask, radiusMm: number | Vec3, op: (m: Mask) => Uint8Array): Mask {
  const box = boundingBox(mask);
  const n = mask.data.length;
  if (!box) return maskLike(mask, new Uint8Array(n));
  const r = toVec3(radiusMm, 'radiusMm');
  const lo = [0, 1, 2].map((a) => Math.max(0, box.lo[a]! - Math.ceil(r[a]! / mask.spacing[a]!) - 1)) as unknown as Vec3;
  const hi = [0, 1, 2].map((a) => Math.min(mask.size[a]!, box.hi[a]! + Math.ceil(r[a]! / mask.spacing[a]!) + 1)) as unknown as Vec3;
  const boxVoxels = (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
  if (boxVoxels > 0.5 * n) return maskLike(mask, op(mask));
  const sub = crop(mask, lo, hi);
  const part = op(sub);
  const out = new Uint8Array(n);
  pasteBox(out, mask.size, part, sub.size, lo);
  return maskLike(mask, out);
}

function dilateFull(mask: Mask, steps: Vec3): Uint8Array {
  const sq = squaredDistanceField(mask, steps, true);
  const out = new Uint8Array(sq.length);
  const limit = 1 + ELLIPSOID_BOUNDARY_TOLERANCE;
  for (let p = 0; p < out.length; p++) out[p] = sq[p]! <= limit ? 1 : 0;
  return out;
}

function erodeFull(mask: Mask, steps: Vec3): Uint8Array {
  const sq = squaredDistanceField(mask, steps, false);
  const out = new Uint8Array(sq.length);
  const limit = 1 + ELLIPSOID_BOUNDARY_TOLERANCE;
  const src = mask.data;
  for (let p = 0; p < out.length; p++) out[p] = src[p] !== 0 && sq[p]! > limit ? 1 : 0;
  return out;
}

export function dilate(mask: Mask, radiusMm: number | Vec3): Mask {
  checkImage(mask, 'dilate');
  const steps = scaledSteps(mask, radiusMm);
  if (!steps) return copyBinary(mask);
  return onBoundingBox(mask, radiusMm, (m) => dilateFull(m, steps));
}

export function erode(mask: Mask, radiusMm: number | Vec3): Mask {
  checkImage(mask, 'erode');
  const steps = scaledSteps(mask, radiusMm);
  if (!steps) return copyBinary(mask);
  return onBoundingBox(mask, radiusMm, (m) => erodeFull(m, steps));
}

export function open(mask: Mask, radiusMm: number | Vec3): Mask {
  return dilate(erode(mask, radiusMm), radiusMm);
}

export function close(mask: Mask, radiusMm: number | Vec3): Mask {
  return erode(dilate(mask, radiusMm), radiusMm);
}
