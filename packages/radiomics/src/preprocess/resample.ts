/**
 * IBSI-1 interpolation (section 2.4): grid alignment and separable resampling.
 *
 * IBSI aligns the centres of the original and the interpolated grids: the new grid has
 * n_b = ceil(n_a·s_a/s_b) voxels and its voxel k lies at original (continuous) index
 * (n_a−1)/2 + (k − (n_b−1)/2)·s_b/s_a. This differs from the "first voxel aligned" grid of
 * generic resamplers, which is why it is written here and not taken from @rachis/imaging.
 * Tri-linear and cubic B-spline sampling are separable, so we resample one axis at a time.
 */

export type Kernel = 'nearest' | 'linear' | 'cubic-spline';

/** Number of voxels of the IBSI-aligned grid along one axis. */
export function ibsiGridSize(nA: number, sA: number, sB: number): number {
  // Guard against 60*3/2 = 90.00000000000001 style round-off before ceil.
  return Math.max(1, Math.ceil(nA * sA / sB - 1e-9));
}

/** Original continuous index of new-grid voxel k (IBSI centre alignment). */
export function ibsiPosition(k: number, nA: number, sA: number, nB: number, sB: number): number {
  return (nA - 1) / 2 + (k - (nB - 1) / 2) * (sB / sA);
}

/** In-place cubic B-spline prefilter of a 1D signal with mirror-symmetric boundaries (Unser 1993). */
function prefilterLine(c: Float64Array, n: number, stride: number, offset: number): void {
  if (n < 2) return;
  const z = Math.sqrt(3) - 2;
  const gain = 6;
  for (let i = 0; i < n; i++) c[offset + i * stride]! *= gain;
  // causal initialisation (mirror boundary), truncated where z^k is negligible
  const horizon = Math.min(n, 30);
  let zk = z;
  let sum = c[offset]!;
  for (let k = 1; k < horizon; k++) {
    sum += zk * c[offset + k * stride]!;
    zk *= z;
  }
  c[offset] = sum;
  for (let i = 1; i < n; i++) c[offset + i * stride]! += z * c[offset + (i - 1) * stride]!;
  // anti-causal initialisation
  const last = offset + (n - 1) * stride;
  c[last] = (z / (z * z - 1)) * (c[last]! + z * c[last - stride]!);
  for (let i = n - 2; i >= 0; i--) {
    const p = offset + i * stride;
    c[p] = z * (c[p + stride]! - c[p]!);
  }
}

/** Cubic B-spline coefficients of a 3D array (separable prefilter along every axis). */
export function bsplineCoefficients(data: ArrayLike<number>, dims: readonly [number, number, number]): Float64Array {
  const [nx, ny, nz] = dims;
  const c = Float64Array.from(data);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) prefilterLine(c, nx, 1, (z * ny + y) * nx);
  for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) prefilterLine(c, ny, nx, z * nx * ny + x);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) prefilterLine(c, nz, nx * ny, y * nx + x);
  return c;
}

interface Taps {
  /** Per output position: `width` source indices and weights. */
  readonly idx: Int32Array;
  readonly w: Float64Array;
  readonly width: number;
}

const mirror = (i: number, n: number): number => {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - m;
  return m;
};

function taps(positions: ArrayLike<number>, n: number, kernel: Kernel): Taps {
  const width = kernel === 'nearest' ? 1 : kernel === 'linear' ? 2 : 4;
  const idx = new Int32Array(positions.length * width);
  const w = new Float64Array(positions.length * width);
  for (let p = 0; p < positions.length; p++) {
    const x = Math.min(Math.max(positions[p]!, 0), n - 1); // outside the image: nearest edge value
    const o = p * width;
    if (kernel === 'nearest') {
      idx[o] = Math.min(n - 1, Math.round(x));
      w[o] = 1;
    } else if (kernel === 'linear') {
      const i = Math.min(Math.floor(x), Math.max(n - 2, 0));
      const t = x - i;
      idx[o] = i;
      idx[o + 1] = Math.min(i + 1, n - 1);
      w[o] = 1 - t;
      w[o + 1] = t;
    } else {
      const i = Math.floor(x);
      const t = x - i;
      const t2 = t * t;
      const t3 = t2 * t;
      const ws = [(1 - t) ** 3 / 6, (4 - 6 * t2 + 3 * t3) / 6, (1 + 3 * t + 3 * t2 - 3 * t3) / 6, t3 / 6];
      for (let k = 0; k < 4; k++) {
        idx[o + k] = mirror(i - 1 + k, n);
        w[o + k] = ws[k]!;
      }
    }
  }
  return { idx, w, width };
}

/**
 * Resample a 3D array (x fastest) onto new per-axis positions (continuous source indices).
 * For 'cubic-spline' pass B-spline coefficients (see bsplineCoefficients) as `data`.
 */
export function resampleSeparable(
  data: ArrayLike<number>,
  dims: readonly [number, number, number],
  pos: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  kernel: Kernel,
): { data: Float64Array; dims: [number, number, number] } {
  let cur: ArrayLike<number> = data;
  let [nx, ny, nz] = dims;
  // x axis
  {
    const t = taps(pos[0], nx, kernel);
    const mx = pos[0].length;
    const out = new Float64Array(mx * ny * nz);
    for (let line = 0; line < ny * nz; line++) {
      const src = line * nx;
      const dst = line * mx;
      for (let p = 0; p < mx; p++) {
        let v = 0;
        for (let k = 0; k < t.width; k++) v += t.w[p * t.width + k]! * cur[src + t.idx[p * t.width + k]!]!;
        out[dst + p] = v;
      }
    }
    cur = out;
    nx = mx;
  }
  // y axis
  {
    const t = taps(pos[1], ny, kernel);
    const my = pos[1].length;
    const out = new Float64Array(nx * my * nz);
    for (let z = 0; z < nz; z++) {
      for (let p = 0; p < my; p++) {
        const dst = (z * my + p) * nx;
        for (let k = 0; k < t.width; k++) {
          const wk = t.w[p * t.width + k]!;
          if (wk === 0) continue;
          const src = (z * ny + t.idx[p * t.width + k]!) * nx;
          for (let x = 0; x < nx; x++) out[dst + x]! += wk * cur[src + x]!;
        }
      }
    }
    cur = out;
    ny = my;
  }
  // z axis
  {
    const t = taps(pos[2], nz, kernel);
    const mz = pos[2].length;
    const plane = nx * ny;
    const out = new Float64Array(plane * mz);
    for (let p = 0; p < mz; p++) {
      for (let k = 0; k < t.width; k++) {
        const wk = t.w[p * t.width + k]!;
        if (wk === 0) continue;
        const src = t.idx[p * t.width + k]! * plane;
        const dst = p * plane;
        for (let i = 0; i < plane; i++) out[dst + i]! += wk * cur[src + i]!;
      }
    }
    cur = out;
    nz = mz;
  }
  return { data: cur as Float64Array, dims: [nx, ny, nz] };
}
