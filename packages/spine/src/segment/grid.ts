/**
 * The working grid of the detector: the CT reoriented to LPS (i → left, j → posterior,
 * k → superior) and resampled to an isotropic spacing, as Float32 HU. Internal positions are
 * in "grid mm" (index × spacing); `toWorld` maps them to LPS patient coordinates.
 */
import { IDENTITY_DIRECTION, indexToWorld, resampleToGeometry } from '@rachis/imaging';
import type { Geometry, Vec3, Volume } from '@rachis/imaging';

export interface WorkGrid {
  nx: number;
  ny: number;
  nz: number;
  /** Isotropic spacing, mm. */
  sp: number;
  hu: Float32Array;
  geometry: Geometry;
}

/** Index axis (0 = i, 1 = j, 2 = k) of `direction` closest to LPS world axis `world` (largest |component|). */
export function indexAxisAlong(direction: readonly number[], world: 0 | 1 | 2): 0 | 1 | 2 {
  const d = direction;
  return ([0, 1, 2] as const).reduce<0 | 1 | 2>((b, a) => (Math.abs(d[3 * world + a]!) > Math.abs(d[3 * world + b]!) ? a : b), 0);
}

/** Index axis of `direction` that points most cranio-caudally (largest |S| component). */
export function cranioCaudalAxis(direction: readonly number[]): 0 | 1 | 2 {
  return indexAxisAlong(direction, 2);
}

export function makeWorkGrid(volume: Volume, spacingMm: number): WorkGrid {
  // One resampling pass straight onto an LPS-aligned grid over the scan's bounding box
  // (cheaper than reorient + resample for large inputs, and it straightens small obliquities).
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const w = indexToWorld(volume, [c & 1 ? volume.size[0] - 1 : 0, c & 2 ? volume.size[1] - 1 : 0, c & 4 ? volume.size[2] - 1 : 0]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, w[a]!);
      hi[a] = Math.max(hi[a]!, w[a]!);
    }
  }
  // Rounded up so the last input slice is covered (the resampler clamps within half a voxel).
  const size = lo.map((l, a) => Math.ceil((hi[a]! - l) / spacingMm - 1e-6) + 1) as unknown as Vec3;
  const target: Geometry = { size, spacing: [spacingMm, spacingMm, spacingMm], origin: lo as unknown as Vec3, direction: IDENTITY_DIRECTION };
  const res = resampleToGeometry(volume, target, 'linear', -1024);
  const hu = res.data instanceof Float32Array ? res.data : Float32Array.from(res.data);
  const [nx, ny, nz] = res.size;
  return { nx, ny, nz, sp: spacingMm, hu, geometry: { size: res.size, spacing: res.spacing, origin: res.origin, direction: res.direction } };
}

/** Grid mm (i·sp, j·sp, k·sp) → LPS world mm. */
export function toWorld(g: WorkGrid, p: Vec3): Vec3 {
  return indexToWorld(g.geometry, [p[0] / g.sp, p[1] / g.sp, p[2] / g.sp]);
}

/** Trilinear HU at grid-mm position; −1024 outside. */
export function sampleHU(g: WorkGrid, x: number, y: number, z: number): number {
  const fx = x / g.sp;
  const fy = y / g.sp;
  const fz = z / g.sp;
  const i = Math.floor(fx);
  const j = Math.floor(fy);
  const k = Math.floor(fz);
  if (i < 0 || j < 0 || k < 0 || i >= g.nx - 1 || j >= g.ny - 1 || k >= g.nz - 1) return -1024;
  const u = fx - i;
  const v = fy - j;
  const w = fz - k;
  const nx = g.nx;
  const nxy = nx * g.ny;
  const p = i + j * nx + k * nxy;
  const d = g.hu;
  const c00 = d[p]! * (1 - u) + d[p + 1]! * u;
  const c10 = d[p + nx]! * (1 - u) + d[p + nx + 1]! * u;
  const c01 = d[p + nxy]! * (1 - u) + d[p + nxy + 1]! * u;
  const c11 = d[p + nxy + nx]! * (1 - u) + d[p + nxy + nx + 1]! * u;
  return (c00 * (1 - v) + c10 * v) * (1 - w) + (c01 * (1 - v) + c11 * v) * w;
}
