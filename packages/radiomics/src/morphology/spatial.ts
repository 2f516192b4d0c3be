/**
 * Moran's I and Geary's C (IBSI-1 3.1.27/28) over the intensity-mask voxels with inverse-distance
 * weights w_ab = 1/‖x_a − x_b‖ (mm), summed over all ordered pairs a ≠ b.
 *
 * The weight depends only on the offset between voxels, so the pair sums are correlations:
 *   Σ w u_a u_b = u·(w∗u),  W = Σ w = m·(w∗m),  Σ w (x_a − x_b)² = 2·q·(w∗m) − 2·u·(w∗u)
 * with u = (x − μ)·mask, m = mask, q = u². Small ROIs use the direct O(N²) sum; larger ones use
 * zero-padded FFT convolution, exact up to round-off, O(M log M) in the bounding-box size M.
 */
import type { PreparedRoi } from '../types.js';
import { fft3d, nextFftSize } from './fft.js';

export interface MoranGeary { readonly moran: number; readonly geary: number }

/** Voxel count below which the direct pair sum is used. */
const DIRECT_LIMIT = 3000;
/** Largest padded transform (voxels) we allocate: 4 Float64 arrays of this size ≈ 1 GiB. */
export const MAX_FFT_VOXELS = 1 << 25;

export function moranGeary(roi: PreparedRoi, method: 'auto' | 'direct' | 'fft' = 'auto'): MoranGeary {
  const { intensityMask, intensities } = roi;
  let n = 0, mean = 0;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) { n++; mean += intensities[i]!; }
  mean /= n;
  let denom = 0;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) denom += (intensities[i]! - mean) ** 2;
  if (n < 2 || denom === 0) return { moran: NaN, geary: NaN };
  const useDirect = method === 'direct' || (method === 'auto' && n < DIRECT_LIMIT);
  const sums = useDirect ? directSums(roi, mean) : fftSums(roi, mean);
  if (!sums) return { moran: NaN, geary: NaN };
  const { s1, w, g } = sums;
  return { moran: (n / w) * (s1 / denom), geary: ((n - 1) / (2 * w)) * (g / denom) };
}

interface PairSums { s1: number; w: number; g: number }

function directSums(roi: PreparedRoi, mean: number): PairSums {
  const { nx, ny, nz, spacingMm: [sx, sy, sz], intensityMask, intensities } = roi;
  const px: number[] = [], py: number[] = [], pz: number[] = [], v: number[] = [];
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const i = (z * ny + y) * nx + x;
    if (!intensityMask[i]) continue;
    px.push(x * sx); py.push(y * sy); pz.push(z * sz); v.push(intensities[i]! - mean);
  }
  let w = 0, s1 = 0, g = 0;
  for (let a = 0; a < v.length; a++) {
    for (let b = a + 1; b < v.length; b++) {
      const wab = 1 / Math.hypot(px[a]! - px[b]!, py[a]! - py[b]!, pz[a]! - pz[b]!);
      w += wab; s1 += wab * v[a]! * v[b]!; g += wab * (v[a]! - v[b]!) ** 2;
    }
  }
  return { s1: 2 * s1, w: 2 * w, g: 2 * g }; // ordered pairs
}

/** null when the padded transform would exceed MAX_FFT_VOXELS. */
function fftSums(roi: PreparedRoi, mean: number): PairSums | null {
  const { nx, ny, spacingMm: [sx, sy, sz], intensityMask, intensities } = roi;
  // crop to the intensity-mask bounding box: the transform size follows it
  const lo = [Infinity, Infinity, Infinity], hi = [-1, -1, -1];
  for (let i = 0; i < intensityMask.length; i++) {
    if (!intensityMask[i]) continue;
    const c = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    for (let a = 0; a < 3; a++) { if (c[a]! < lo[a]!) lo[a] = c[a]!; if (c[a]! > hi[a]!) hi[a] = c[a]!; }
  }
  const bx = hi[0]! - lo[0]! + 1, by = hi[1]! - lo[1]! + 1, bz = hi[2]! - lo[2]! + 1;
  const dims: [number, number, number] = [nextFftSize(2 * bx - 1), nextFftSize(2 * by - 1), nextFftSize(2 * bz - 1)];
  const [px, py, pz] = dims;
  const size = px * py * pz;
  if (size > MAX_FFT_VOXELS) return null;
  // Two packed forward transforms and Parseval, no inverse transform:
  //   Z = FFT(u + i·m)  →  U, M;   Y = FFT(w + i·q)  →  W (real, w is even), Q̂
  //   Σ u·(w∗u) = Σ_f W|U|²/N,   Σ m·(w∗m) = Σ_f W|M|²/N,   Σ q·(w∗m) = Σ_f W·Re(Q̂·conj M)/N
  const zr = new Float64Array(size), zi = new Float64Array(size);
  const yr = new Float64Array(size), yi = new Float64Array(size);
  for (let z = 0; z < bz; z++) for (let y = 0; y < by; y++) for (let x = 0; x < bx; x++) {
    const i = ((z + lo[2]!) * ny + y + lo[1]!) * nx + x + lo[0]!;
    if (!intensityMask[i]) continue;
    const o = (z * py + y) * px + x;
    const u = intensities[i]! - mean;
    zr[o] = u;
    zi[o] = 1;
    yi[o] = u * u;
  }
  // kernel 1/distance on wrapped offsets, 0 at the origin
  for (let z = 0; z < pz; z++) {
    const dz = (z <= pz / 2 ? z : z - pz) * sz;
    for (let y = 0; y < py; y++) {
      const dy = (y <= py / 2 ? y : y - py) * sy;
      for (let x = 0; x < px; x++) {
        const dx = (x <= px / 2 ? x : x - px) * sx;
        const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        yr[(z * py + y) * px + x] = d > 0 ? 1 / d : 0;
      }
    }
  }
  fft3d(zr, zi, dims, false, [bx, by, bz]);
  fft3d(yr, yi, dims, false);
  let s1 = 0, w = 0, q = 0;
  for (let z = 0; z < pz; z++) {
    const zn = (pz - z) % pz;
    for (let y = 0; y < py; y++) {
      const yn = (py - y) % py;
      for (let x = 0; x < px; x++) {
        const f = (z * py + y) * px + x, g = (zn * py + yn) * px + (px - x) % px;
        // Hermitian separation of the packed spectra
        const ur = (zr[f]! + zr[g]!) / 2, ui = (zi[f]! - zi[g]!) / 2;
        const mr = (zi[f]! + zi[g]!) / 2, mi = (zr[g]! - zr[f]!) / 2;
        const wr = (yr[f]! + yr[g]!) / 2;
        const qr = (yi[f]! + yi[g]!) / 2, qi = (yr[g]! - yr[f]!) / 2;
        s1 += wr * (ur * ur + ui * ui);
        w += wr * (mr * mr + mi * mi);
        q += wr * (qr * mr + qi * mi);
      }
    }
  }
  s1 /= size; w /= size; q /= size;
  return { s1, w, g: 2 * q - 2 * s1 };
}
