/**
 * Resampling onto another grid (nearest / trilinear), honouring both images' directions.
 * A target voxel centre takes a value when it falls within the source voxels' extent
 * (continuous index in [−0.5, n−0.5] on each axis; edge voxels are replicated out to that
 * boundary), otherwise `fill`. No anti-aliasing: smooth first (gaussianSmooth) when
 * downsampling by large factors.
 */
import type { Geometry, Vec3, VoxelArray } from '../core/volume.js';
import { MAX_VOXELS } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { Image } from './image.js';
import { allocLike, checkImage, derive, isIntegerArray } from './image.js';
import { indexToWorldMatrix, invert3, mulMat3, mulMatVec } from './geometry.js';
import type { Interpolation } from './types.js';

const EDGE = 0.5 + 1e-6;

/** Resample onto another geometry (e.g. back to the original CT grid). Output data type = input's. */
export function resampleToGeometry<T extends Image>(img: T, target: Geometry, interp: Interpolation, fill = 0): T {
  checkImage(img, 'resampleToGeometry');
  const [tx, ty, tz] = target.size;
  const nOut = tx * ty * tz;
  if (!target.size.every((s) => Number.isInteger(s) && s > 0) || nOut > MAX_VOXELS) {
    throw new RachisError('INVALID_ARGUMENT', `resampleToGeometry: invalid target size ${target.size.join('×')}`);
  }
  if (interp !== 'nearest' && interp !== 'linear') throw new RachisError('INVALID_ARGUMENT', `unknown interpolation "${String(interp)}"`);
  // Source continuous index = A · target index + b.
  const srcInv = invert3(indexToWorldMatrix(img));
  const A = mulMat3(srcInv, indexToWorldMatrix(target));
  const b = mulMatVec(srcInv, [target.origin[0] - img.origin[0], target.origin[1] - img.origin[1], target.origin[2] - img.origin[2]]);
  const out = allocLike(img.data, nOut);
  const round = isIntegerArray(out);
  const [nx, ny, nz] = img.size;
  const src = img.data;
  const linear = interp === 'linear';
  // Per-axis tables of the lower neighbour, weight and validity, filled per row (the general,
  // oblique case) or once per axis (axis-aligned grids, where each source coordinate depends
  // on one target index only).
  const separable = Math.abs(A[1]) + Math.abs(A[2]) + Math.abs(A[3]) + Math.abs(A[5]) + Math.abs(A[6]) + Math.abs(A[7]) < 1e-9;
  if (separable) {
    const X = axisTable(tx, A[0], b[0], nx, linear);
    const Y = axisTable(ty, A[4], b[1], ny, linear);
    const Z = axisTable(tz, A[8], b[2], nz, linear);
    const nxy = nx * ny;
    for (let k = 0, p = 0; k < tz; k++) {
      const zOk = Z.ok[k]!;
      const z0 = Z.i0[k]! * nxy;
      const fz = Z.f[k]!;
      const dz = Z.step[k]! * nxy;
      for (let j = 0; j < ty; j++) {
        if (!zOk || !Y.ok[j]) {
          out.fill(fill, p, p + tx);
          p += tx;
          continue;
        }
        const row = z0 + Y.i0[j]! * nx;
        const fy = Y.f[j]!;
        const dy = Y.step[j]! * nx;
        for (let i = 0; i < tx; i++, p++) {
          if (!X.ok[i]) {
            out[p] = fill;
            continue;
          }
          const q = row + X.i0[i]!;
          if (!linear) {
            out[p] = src[q]!;
            continue;
          }
          const fx = X.f[i]!;
          const dx = X.step[i]!;
          const c00 = src[q]! + fx * (src[q + dx]! - src[q]!);
          const c10 = src[q + dy]! + fx * (src[q + dy + dx]! - src[q + dy]!);
          const c01 = src[q + dz]! + fx * (src[q + dz + dx]! - src[q + dz]!);
          const c11 = src[q + dz + dy]! + fx * (src[q + dz + dy + dx]! - src[q + dz + dy]!);
          const c0 = c00 + fy * (c10 - c00);
          const v = c0 + fz * (c01 + fy * (c11 - c01) - c0);
          out[p] = round ? Math.round(v) : v;
        }
      }
    }
    return derive(img, target, out);
  }
  const ctx: SampleContext = { src, nx, ny, nz, fill, round };
  for (let k = 0, p = 0; k < tz; k++) {
    for (let j = 0; j < ty; j++) {
      let cx = b[0] + A[1] * j + A[2] * k;
      let cy = b[1] + A[4] * j + A[5] * k;
      let cz = b[2] + A[7] * j + A[8] * k;
      for (let i = 0; i < tx; i++, p++) {
        out[p] = linear ? sampleLinear(ctx, cx, cy, cz) : sampleNearest(ctx, cx, cy, cz);
        cx += A[0];
        cy += A[3];
        cz += A[6];
      }
    }
  }
  return derive(img, target, out);
}

interface AxisTable {
  ok: Uint8Array;
  i0: Int32Array;
  f: Float64Array;
  /** 1 when the upper neighbour exists (n > 1), else 0. */
  step: Uint8Array;
}

/** Neighbour, weight and validity along one axis for target indices 0..t−1 at c = a·t + b. */
function axisTable(t: number, a: number, b: number, n: number, linear: boolean): AxisTable {
  const ok = new Uint8Array(t);
  const i0 = new Int32Array(t);
  const f = new Float64Array(t);
  const step = new Uint8Array(t);
  for (let i = 0; i < t; i++) {
    let c = a * i + b;
    if (linear) {
      if (c < -EDGE || c > n - 1 + EDGE) continue;
      c = c < 0 ? 0 : c > n - 1 ? n - 1 : c;
      const lo = Math.min(Math.floor(c), Math.max(n - 2, 0));
      i0[i] = lo;
      f[i] = c - lo;
      step[i] = n > 1 ? 1 : 0;
    } else {
      if (c < -EDGE || c > n - EDGE) continue;
      i0[i] = Math.min(n - 1, Math.max(0, Math.round(c)));
    }
    ok[i] = 1;
  }
  return { ok, i0, f, step };
}

interface SampleContext {
  src: VoxelArray;
  nx: number;
  ny: number;
  nz: number;
  fill: number;
  round: boolean;
}

function sampleNearest(c: SampleContext, x: number, y: number, z: number): number {
  const nx = c.nx;
  const ny = c.ny;
  const nz = c.nz;
  if (x < -EDGE || y < -EDGE || z < -EDGE || x > nx - EDGE || y > ny - EDGE || z > nz - EDGE) return c.fill;
  const i = Math.min(nx - 1, Math.max(0, Math.round(x)));
  const j = Math.min(ny - 1, Math.max(0, Math.round(y)));
  const k = Math.min(nz - 1, Math.max(0, Math.round(z)));
  return c.src[i + nx * (j + ny * k)]!;
}

function sampleLinear(c: SampleContext, x: number, y: number, z: number): number {
  const nx = c.nx;
  const ny = c.ny;
  const nz = c.nz;
  if (x < -EDGE || y < -EDGE || z < -EDGE || x > nx - 1 + EDGE || y > ny - 1 + EDGE || z > nz - 1 + EDGE) return c.fill;
  // Clamp into [0, n−1]: beyond the last centre the edge voxel is replicated.
  x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
  y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
  z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
  const i0 = Math.min(Math.floor(x), Math.max(nx - 2, 0));
  const j0 = Math.min(Math.floor(y), Math.max(ny - 2, 0));
  const k0 = Math.min(Math.floor(z), Math.max(nz - 2, 0));
  const fx = x - i0;
  const fy = y - j0;
  const fz = z - k0;
  const di = nx > 1 ? 1 : 0;
  const dj = ny > 1 ? nx : 0;
  const dk = nz > 1 ? nx * ny : 0;
  const s = c.src;
  const p = i0 + nx * (j0 + ny * k0);
  const c00 = s[p]! + fx * (s[p + di]! - s[p]!);
  const c10 = s[p + dj]! + fx * (s[p + dj + di]! - s[p + dj]!);
  const c01 = s[p + dk]! + fx * (s[p + dk + di]! - s[p + dk]!);
  const c11 = s[p + dk + dj]! + fx * (s[p + dk + dj + di]! - s[p + dk + dj]!);
  const c0 = c00 + fy * (c10 - c00);
  const c1 = c01 + fy * (c11 - c01);
  const v = c0 + fz * (c1 - c0);
  return c.round ? Math.round(v) : v;
}

/**
 * Resample to a new spacing over the same physical extent: same origin (first voxel centre) and
 * direction; size = floor((n−1)·old/new) + 1 so the last centre stays within the old centres.
 */
export function resampleToSpacing<T extends Image>(img: T, spacing: Vec3, interp: Interpolation, fill = 0): T {
  checkImage(img, 'resampleToSpacing');
  if (!spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new RachisError('INVALID_ARGUMENT', `resampleToSpacing: spacing must be positive, got ${spacing.join(',')}`);
  }
  const size = [0, 1, 2].map((a) => Math.floor(((img.size[a]! - 1) * img.spacing[a]!) / spacing[a]! + 1e-6) + 1) as unknown as Vec3;
  return resampleToGeometry(img, { size, spacing, origin: img.origin, direction: img.direction }, interp, fill);
}
