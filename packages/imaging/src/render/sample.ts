/**
 * Sampling a volume at LPS world points, for reformatting.
 *
 * Reformat planes are affine in world space, so the continuous voxel index of a
 * plane point is affine too: index(p0 + a·u + b·v) = index(p0) + a·Δu + b·Δv.
 * We therefore need only the affine world→index map, not a per-pixel call.
 */
import type { Geometry, Vec3, VoxelArray } from '../core/volume.js';
import { RachisError } from '../core/errors.js';

/** Continuous-index affine: index = m · (p − origin), m = (direction · diag(spacing))⁻¹ (row-major). */
export interface IndexAffine {
  readonly m: readonly number[];
  readonly origin: Vec3;
}

export function indexAffine(g: Geometry): IndexAffine {
  const d = g.direction;
  const s = g.spacing;
  // A = direction · diag(spacing): column c of the direction scaled by spacing[c].
  const a = [
    d[0] * s[0], d[1] * s[1], d[2] * s[2],
    d[3] * s[0], d[4] * s[1], d[5] * s[2],
    d[6] * s[0], d[7] * s[1], d[8] * s[2],
  ] as const;
  const det =
    a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) {
    throw new RachisError('INVALID_ARGUMENT', 'image geometry is singular (zero spacing or degenerate direction)');
  }
  const inv = [
    (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
    (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
    (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det,
  ];
  return { m: inv, origin: g.origin };
}

/** Continuous index of an LPS point. */
export function toIndex(f: IndexAffine, p: Vec3): [number, number, number] {
  const x = p[0] - f.origin[0];
  const y = p[1] - f.origin[1];
  const z = p[2] - f.origin[2];
  const m = f.m;
  return [
    m[0]! * x + m[1]! * y + m[2]! * z,
    m[3]! * x + m[4]! * y + m[5]! * z,
    m[6]! * x + m[7]! * y + m[8]! * z,
  ];
}

/** Index-space step for a world-space displacement (no origin). */
export function toIndexStep(f: IndexAffine, v: Vec3): [number, number, number] {
  const m = f.m;
  return [
    m[0]! * v[0] + m[1]! * v[1] + m[2]! * v[2],
    m[3]! * v[0] + m[4]! * v[1] + m[5]! * v[2],
    m[6]! * v[0] + m[7]! * v[1] + m[8]! * v[2],
  ];
}

export type Sampler = (i: number, j: number, k: number) => number;

/**
 * Nearest-neighbour sampler; NaN outside the voxel grid (beyond half a voxel of the
 * outer voxel centres) so callers can tell "no data" from a real value.
 */
export function nearestSampler(g: Geometry & { readonly data: VoxelArray }): Sampler {
  const [nx, ny, nz] = g.size;
  const data = g.data;
  const sxy = nx * ny;
  return (i, j, k) => {
    const ii = Math.round(i);
    const jj = Math.round(j);
    const kk = Math.round(k);
    if (ii < 0 || jj < 0 || kk < 0 || ii >= nx || jj >= ny || kk >= nz) return NaN;
    return data[ii + jj * nx + kk * sxy]!;
  };
}

/** Trilinear sampler, clamped at the edges (half a voxel beyond the outer centres); NaN outside. */
export function linearSampler(g: Geometry & { readonly data: VoxelArray }): Sampler {
  const [nx, ny, nz] = g.size;
  const data = g.data;
  const sxy = nx * ny;
  return (i, j, k) => {
    if (i < -0.5 || j < -0.5 || k < -0.5 || i > nx - 0.5 || j > ny - 0.5 || k > nz - 0.5) return NaN;
    const ci = Math.min(Math.max(i, 0), nx - 1);
    const cj = Math.min(Math.max(j, 0), ny - 1);
    const ck = Math.min(Math.max(k, 0), nz - 1);
    const i0 = Math.min(Math.floor(ci), nx - 2 < 0 ? 0 : nx - 2);
    const j0 = Math.min(Math.floor(cj), ny - 2 < 0 ? 0 : ny - 2);
    const k0 = Math.min(Math.floor(ck), nz - 2 < 0 ? 0 : nz - 2);
    const fi = nx > 1 ? ci - i0 : 0;
    const fj = ny > 1 ? cj - j0 : 0;
    const fk = nz > 1 ? ck - k0 : 0;
    const di = nx > 1 ? 1 : 0;
    const dj = ny > 1 ? nx : 0;
    const dk = nz > 1 ? sxy : 0;
    const b = i0 + j0 * nx + k0 * sxy;
    const c000 = data[b]!, c100 = data[b + di]!, c010 = data[b + dj]!, c110 = data[b + di + dj]!;
    const c001 = data[b + dk]!, c101 = data[b + di + dk]!, c011 = data[b + dj + dk]!, c111 = data[b + di + dj + dk]!;
    const c00 = c000 + (c100 - c000) * fi;
    const c10 = c010 + (c110 - c010) * fi;
    const c01 = c001 + (c101 - c001) * fi;
    const c11 = c011 + (c111 - c011) * fi;
    const c0 = c00 + (c10 - c00) * fj;
    const c1 = c01 + (c11 - c01) * fj;
    return c0 + (c1 - c0) * fk;
  };
}
