/**
 * Access to one vertebral body inside a SpineSegmentation: its voxels, its centroid, and a
 * trilinear "inside" sampler used to find surfaces with sub-voxel precision along any line.
 * The body of instance n = voxels where instanceMask == n and partMask == 1 (vertebral body).
 */
import { indexToWorld, worldToIndex, type Geometry, type LabelMap, type Mask, type Vec3, type Volume } from '@rachis/imaging';
import type { SpineSegmentation } from '@rachis/spine';

export const PART_BODY = 1;
export const PART_ARCH = 2;

export interface BodyVoxels {
  instance: number;
  /** Linear voxel indices (x fastest). */
  indices: number[];
  centroidMm: Vec3;
}

/** One pass over the masks: body voxels of every instance. */
export function collectBodies(spine: SpineSegmentation): Map<number, BodyVoxels> {
  const inst = spine.instanceMask.data;
  const part = spine.partMask.data;
  const [nx, ny] = spine.instanceMask.size;
  const acc = new Map<number, { indices: number[]; s: [number, number, number] }>();
  for (let idx = 0; idx < inst.length; idx++) {
    const n = inst[idx]!;
    if (n === 0 || part[idx] !== PART_BODY) continue;
    let a = acc.get(n);
    if (!a) acc.set(n, (a = { indices: [], s: [0, 0, 0] }));
    a.indices.push(idx);
    a.s[0] += idx % nx;
    a.s[1] += Math.floor(idx / nx) % ny;
    a.s[2] += Math.floor(idx / (nx * ny));
  }
  const out = new Map<number, BodyVoxels>();
  for (const [instance, a] of acc) {
    const c = a.indices.length;
    out.set(instance, { instance, indices: a.indices, centroidMm: indexToWorld(spine.instanceMask, [a.s[0] / c, a.s[1] / c, a.s[2] / c]) });
  }
  return out;
}

/** index → LPS world as an affine map evaluated once (avoids a matrix product and an allocation per voxel). */
export function worldOfIndex(g: Geometry): (i: number, j: number, k: number) => Vec3 {
  const o = indexToWorld(g, [0, 0, 0]);
  const a = sub(indexToWorld(g, [1, 0, 0]), o);
  const b = sub(indexToWorld(g, [0, 1, 0]), o);
  const c = sub(indexToWorld(g, [0, 0, 1]), o);
  return (i, j, k) => [o[0] + i * a[0] + j * b[0] + k * c[0], o[1] + i * a[1] + j * b[1] + k * c[1], o[2] + i * a[2] + j * b[2] + k * c[2]];
}

export type Sampler = (pMm: Vec3) => number;

/**
 * Trilinear interpolation of the 0/1 indicator "voxel belongs to the body of `instance`" at a
 * world point; 0 outside the image. The 0.5 level of this field lies on the voxel faces, so a
 * surface found at 0.5 is exact for boxes aligned with the grid.
 */
export function bodySampler(spine: SpineSegmentation, instance: number): Sampler {
  const g: LabelMap = spine.instanceMask;
  const inst = g.data;
  const part = spine.partMask.data;
  const [nx, ny, nz] = g.size;
  return indicatorSampler(g, (i, j, k) => {
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return 0;
    const idx = i + nx * (j + ny * k);
    return inst[idx] === instance && part[idx] === PART_BODY ? 1 : 0;
  });
}

/**
 * Trilinear indicator of a repaired body box (`mask`, first voxel at full-grid index `lo`) joined
 * with the posterior-element voxels (partMask 2) of the same instance on the full grid.
 */
export function bodyOrArchSampler(spine: SpineSegmentation, instance: number, mask: Mask, lo: Vec3): Sampler {
  const g: LabelMap = spine.instanceMask;
  const inst = g.data;
  const part = spine.partMask.data;
  const [nx, ny, nz] = g.size;
  const [bx, by, bz] = mask.size;
  return indicatorSampler(g, (i, j, k) => {
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return 0;
    const idx = i + nx * (j + ny * k);
    if (inst[idx] === instance && part[idx] === PART_ARCH) return 1;
    const a = i - lo[0], b = j - lo[1], c = k - lo[2];
    return a >= 0 && b >= 0 && c >= 0 && a < bx && b < by && c < bz && mask.data[a + bx * (b + by * c)] ? 1 : 0;
  });
}

/** Whether the voxel nearest a world point belongs to a vertebra other than `instance`. */
export function otherVertebraAt(spine: SpineSegmentation, instance: number): (pMm: Vec3) => boolean {
  const g = spine.instanceMask;
  const [nx, ny, nz] = g.size;
  const { o, ex, ey, ez } = worldToIndexAffine(g);
  return (p) => {
    const i = Math.round(o[0] + p[0] * ex[0] + p[1] * ey[0] + p[2] * ez[0]);
    const j = Math.round(o[1] + p[0] * ex[1] + p[1] * ey[1] + p[2] * ez[1]);
    const k = Math.round(o[2] + p[0] * ex[2] + p[1] * ey[2] + p[2] * ez[2]);
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return false;
    const n = g.data[i + nx * (j + ny * k)]!;
    return n !== 0 && n !== instance;
  };
}

/** The same trilinear indicator over a 0/1 mask on its own grid (e.g. a repaired body box). */
export function maskSampler(m: Mask): Sampler {
  const [nx, ny, nz] = m.size;
  return indicatorSampler(m, (i, j, k) => (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? 0 : m.data[i + nx * (j + ny * k)] ? 1 : 0));
}

/** Trilinear interpolation of an image's values (e.g. HU) at a world point; 0 outside the image. */
export function valueSampler(v: Volume): Sampler {
  const [nx, ny, nz] = v.size;
  return indicatorSampler(v, (i, j, k) => (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? 0 : v.data[i + nx * (j + ny * k)]!));
}

/**
 * worldToIndex is affine: its value at the world origin and its steps per mm along x, y, z, so a
 * per-sample conversion is three dot products instead of a matrix product and an allocation.
 */
function worldToIndexAffine(g: Geometry): { o: Vec3; ex: Vec3; ey: Vec3; ez: Vec3 } {
  const o = worldToIndex(g, [0, 0, 0]);
  return { o, ex: sub(worldToIndex(g, [1, 0, 0]), o), ey: sub(worldToIndex(g, [0, 1, 0]), o), ez: sub(worldToIndex(g, [0, 0, 1]), o) };
}

function indicatorSampler(g: Geometry, inside: (i: number, j: number, k: number) => number): Sampler {
  const { o, ex, ey, ez } = worldToIndexAffine(g);
  return (p) => {
    const x = o[0] + p[0] * ex[0] + p[1] * ey[0] + p[2] * ez[0];
    const y = o[1] + p[0] * ex[1] + p[1] * ey[1] + p[2] * ez[1];
    const z = o[2] + p[0] * ex[2] + p[1] * ey[2] + p[2] * ez[2];
    const i0 = Math.floor(x), j0 = Math.floor(y), k0 = Math.floor(z);
    const fx = x - i0, fy = y - j0, fz = z - k0;
    let v = 0;
    for (let dk = 0; dk < 2; dk++) {
      const wz = dk ? fz : 1 - fz;
      if (wz === 0) continue;
      for (let dj = 0; dj < 2; dj++) {
        const wy = dj ? fy : 1 - fy;
        if (wy === 0) continue;
        for (let di = 0; di < 2; di++) {
          const wx = di ? fx : 1 - fx;
          if (wx !== 0) v += wx * wy * wz * inside(i0 + di, j0 + dj, k0 + dk);
        }
      }
    }
    return v;
  };
}

export const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export function unit(a: Vec3): Vec3 {
  const n = norm(a);
  if (!(n > 0)) throw new RangeError('zero vector has no direction');
  return [a[0] / n, a[1] / n, a[2] / n];
}

/**
 * Distance (mm) from `start` along unit `dir` to where the sampler first drops below 0.5,
 * linearly interpolated between steps. `start` must be inside (≥ 0.5). Undefined when no exit
 * is found within `maxMm`.
 */
export function exitDistance(sample: Sampler, start: Vec3, dir: Vec3, maxMm = 120, stepMm = 0.2): number | undefined {
  let prev = sample(start);
  if (prev < 0.5) return undefined;
  for (let t = stepMm; t <= maxMm; t += stepMm) {
    const v = sample(add(start, dir, t));
    if (v < 0.5) return t - stepMm + (stepMm * (prev - 0.5)) / (prev - v);
    prev = v;
  }
  return undefined;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export { solve3 } from '@rachis/imaging';
