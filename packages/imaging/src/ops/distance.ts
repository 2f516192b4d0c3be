/**
 * Exact Euclidean distance transform with anisotropic spacing: the separable lower-envelope
 * algorithm of Felzenszwalb & Huttenlocher (2012), one pass per axis, O(n).
 * Written by hand: the npm options (distance-transform@1.0.2) are unmaintained, untyped and
 * ignore voxel spacing.
 */
import type { Vec3 } from '../core/volume.js';
import type { Image } from './image.js';
import { boundingBox, checkImage, geometryOf } from './image.js';
import { crop, pasteBox } from './crop-pad.js';

/** 1-D squared distance of samples g (Infinity = no site) on a grid of step `step`. */
function edt1d(g: Float64Array, n: number, step: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const gq = g[q]!;
    if (gq === Infinity) continue;
    const xq = q * step;
    const fq = gq + xq * xq;
    let s = -Infinity;
    while (k >= 0) {
      const xv = v[k]! * step;
      s = (fq - (g[v[k]!]! + xv * xv)) / (2 * (xq - xv));
      if (s <= z[k]!) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? -Infinity : s;
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  z[k + 1] = Infinity;
  let j = 0;
  for (let q = 0; q < n; q++) {
    const x = q * step;
    while (z[j + 1]! < x) j++;
    const dx = x - v[j]! * step;
    d[q] = dx * dx + g[v[j]!]!;
  }
}

/**
 * Squared distance from every voxel to the nearest site, in units where one voxel step along
 * axis a has length step[a] (mm for spacing). Sites are voxels where `isSite(data[p])`.
 * A step of Infinity means sites never reach across that axis.
 */
export function squaredDistanceField(img: Image, step: Vec3, sitesAreNonZero: boolean): Float32Array {
  const n = checkImage(img, 'distance transform');
  const size = img.size;
  const src = img.data;
  const f = new Float32Array(n);
  // Axis 0 on binary input needs no lower envelope: the nearest site in the row, scanned both ways.
  const nx = size[0];
  const h0 = step[0];
  for (let base = 0; base < n; base += nx) {
    let last = -Infinity;
    for (let i = 0; i < nx; i++) {
      if ((src[base + i] !== 0) === sitesAreNonZero) last = i;
      f[base + i] = i - last;
    }
    last = Infinity;
    for (let i = nx - 1; i >= 0; i--) {
      if ((src[base + i] !== 0) === sitesAreNonZero) last = i;
      const d = Math.min(f[base + i]!, last - i);
      f[base + i] = d === 0 ? 0 : d === Infinity || h0 === Infinity ? Infinity : d * h0 * (d * h0);
    }
  }
  const maxLen = Math.max(size[0], size[1], size[2]);
  const g = new Float64Array(maxLen);
  const d = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const z = new Float64Array(maxLen + 1);
  const strides = [1, size[0], size[0] * size[1]];
  for (let axis = 1; axis < 3; axis++) {
    const len = size[axis]!;
    const h = step[axis]!;
    if (len === 1 || h === Infinity) continue;
    const stride = strides[axis]!;
    // Enumerate line starts: all voxels whose coordinate along `axis` is 0.
    const a1 = 0;
    const a2 = axis === 2 ? 1 : 2;
    for (let c2 = 0; c2 < size[a2]!; c2++) {
      for (let c1 = 0; c1 < size[a1]!; c1++) {
        const start = c1 * strides[a1]! + c2 * strides[a2]!;
        let anySite = false;
        for (let q = 0, p = start; q < len; q++, p += stride) {
          const val = f[p]!;
          g[q] = val;
          if (val !== Infinity) anySite = true;
        }
        if (!anySite) continue;
        edt1d(g, len, h, d, v, z);
        for (let q = 0, p = start; q < len; q++, p += stride) f[p] = d[q]!;
      }
    }
  }
  return f;
}

/**
 * Exact Euclidean distance (mm, anisotropic spacing honoured) from every voxel to the nearest
 * voxel where mask ≠ 0; 0 on the mask itself; Infinity everywhere when the mask is empty.
 */
export function distanceToMask(mask: Image): Image<Float32Array> {
  const f = squaredDistanceField(mask, mask.spacing, true);
  for (let p = 0; p < f.length; p++) f[p] = Math.sqrt(f[p]!);
  return { ...geometryOf(mask), data: f };
}

/**
 * Distance (mm) from each foreground voxel centre to the nearest background voxel centre; 0 outside.
 * Voxels beyond the image border do not count as background (Infinity if there is no background).
 */
export function distanceInside(mask: Image): Image<Float32Array> {
  const n = checkImage(mask, 'distanceInside');
  // Exact on the bounding box grown by one voxel: for any foreground voxel, clamping its nearest
  // background voxel into that box gives a background voxel at least as close.
  const box = boundingBox(mask);
  if (!box) return { ...geometryOf(mask), data: new Float32Array(n) };
  const lo = [0, 1, 2].map((a) => Math.max(0, box.lo[a]! - 1)) as unknown as Vec3;
  const hi = [0, 1, 2].map((a) => Math.min(mask.size[a]!, box.hi[a]! + 1)) as unknown as Vec3;
  if ((hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]) > 0.5 * n) return { ...geometryOf(mask), data: insideField(mask) };
  const sub = crop(mask, lo, hi);
  const out = new Float32Array(n);
  pasteBox(out, mask.size, insideField(sub), sub.size, lo);
  return { ...geometryOf(mask), data: out };
}

function insideField(mask: Image): Float32Array {
  const f = squaredDistanceField(mask, mask.spacing, false);
  const src = mask.data;
  for (let p = 0; p < f.length; p++) f[p] = src[p] !== 0 ? Math.sqrt(f[p]!) : 0;
  return f;
}
