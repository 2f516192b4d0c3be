/**
 * Sampling a volume at LPS world points, for reformatting.
 *
 * Reformat planes are affine in world space, so the continuous voxel index of a
 * plane point is affine too: index(p0 + a·u + b·v) = index(p0) + a·Δu + b·Δv.
 * We therefore need only the affine world→index map, not a per-pixel call.
 */
import type { Geometry, Vec3, VoxelArray } from '../core/volume.js';
import { indexToWorldMatrix, invert3, mulMatVec } from '../ops/geometry.js';

/** Continuous-index affine: index = m · (p − origin), m = (direction · diag(spacing))⁻¹. */
export interface IndexAffine {
  readonly m: ReturnType<typeof invert3>;
  readonly origin: Vec3;
}

/** Throws INVALID_ARGUMENT for a singular geometry (zero spacing, degenerate direction). */
export function indexAffine(g: Geometry): IndexAffine {
  return { m: invert3(indexToWorldMatrix(g)), origin: g.origin };
}

/** Continuous index of an LPS point. */
export function toIndex(f: IndexAffine, p: Vec3): Vec3 {
  return mulMatVec(f.m, [p[0] - f.origin[0], p[1] - f.origin[1], p[2] - f.origin[2]]);
}

/** Index-space step for a world-space displacement (no origin). */
export function toIndexStep(f: IndexAffine, v: Vec3): Vec3 {
  return mulMatVec(f.m, v);
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
