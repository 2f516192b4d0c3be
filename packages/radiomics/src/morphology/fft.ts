/**
 * Minimal in-place radix-2 complex FFT (1D along any axis of a 3D array). Hand-written because the
 * npm FFT packages are 1D-only or untyped; this is the textbook iterative Cooley–Tukey.
 */

function fft1d(re: Float64Array, im: Float64Array, n: number, inverse: boolean, cos: Float64Array, sin: Float64Array): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!; re[i] = re[j]!; re[j] = t;
      t = im[i]!; im[i] = im[j]!; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1, step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!, wi = inverse ? sin[k * step]! : -sin[k * step]!;
        const a = i + k, b = a + half;
        const xr = re[b]! * wr - im[b]! * wi, xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr; im[b] = im[a]! - xi;
        re[a]! += xr; im[a]! += xi;
      }
    }
  }
}

/** In-place 3D FFT of (re, im) with power-of-two dims; the inverse is scaled by 1/N. */
export function fft3d(re: Float64Array, im: Float64Array, dims: readonly [number, number, number], inverse: boolean): void {
  const [nx, ny, nz] = dims;
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    if (n === 1) continue;
    const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) { cos[k] = Math.cos((2 * Math.PI * k) / n); sin[k] = Math.sin((2 * Math.PI * k) / n); }
    const lr = new Float64Array(n), li = new Float64Array(n);
    const stride = strides[axis]!;
    const others = axis === 0 ? [ny, nz, nx, nx * ny] : axis === 1 ? [nx, nz, 1, nx * ny] : [nx, ny, 1, nx];
    const [n1, n2, s1, s2] = others as [number, number, number, number];
    for (let b = 0; b < n2; b++)
      for (let a = 0; a < n1; a++) {
        const base = a * s1 + b * s2;
        for (let k = 0; k < n; k++) { lr[k] = re[base + k * stride]!; li[k] = im[base + k * stride]!; }
        fft1d(lr, li, n, inverse, cos, sin);
        for (let k = 0; k < n; k++) { re[base + k * stride] = lr[k]!; im[base + k * stride] = li[k]!; }
      }
  }
  if (inverse) {
    const s = 1 / (nx * ny * nz);
    for (let i = 0; i < re.length; i++) { re[i]! *= s; im[i]! *= s; }
  }
}

export const nextPow2 = (n: number): number => {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
};
