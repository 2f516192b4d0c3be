/**
 * In-place radix-2 complex FFT of a 3D array along each axis. Hand-written because the npm FFT
 * packages are 1D-only (a gather/scatter per line would dominate). For the y and z axes the
 * butterflies run over whole contiguous x-rows / xy-planes at once, which keeps memory access
 * sequential.
 */

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) { cos[k] = Math.cos((2 * Math.PI * k) / n); sin[k] = Math.sin((2 * Math.PI * k) / n); }
  return { cos, sin };
}

/**
 * FFT of length n along an axis with element stride `stride`; each "element" is a contiguous block
 * of `block` values (block = stride for the y/z axes, 1 for x); `count` independent transforms
 * start at offsets base + c·outerStride.
 */
function fftAxis(
  re: Float64Array, im: Float64Array, n: number, stride: number, block: number,
  count: number, outerStride: number, inverse: boolean,
): void {
  const { cos, sin } = twiddles(n);
  const sgn = inverse ? 1 : -1;
  for (let c = 0; c < count; c++) {
    const base = c * outerStride;
    // bit-reversal permutation of blocks
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        const pi = base + i * stride, pj = base + j * stride;
        for (let t = 0; t < block; t++) {
          let tmp = re[pi + t]!; re[pi + t] = re[pj + t]!; re[pj + t] = tmp;
          tmp = im[pi + t]!; im[pi + t] = im[pj + t]!; im[pj + t] = tmp;
        }
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1, step = n / len;
      for (let i = 0; i < n; i += len) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!, wi = sgn * sin[k * step]!;
          const pa = base + (i + k) * stride, pb = pa + half * stride;
          for (let t = 0; t < block; t++) {
            const br = re[pb + t]!, bi = im[pb + t]!;
            const xr = br * wr - bi * wi, xi = br * wi + bi * wr;
            const ar = re[pa + t]!, ai = im[pa + t]!;
            re[pb + t] = ar - xr; im[pb + t] = ai - xi;
            re[pa + t] = ar + xr; im[pa + t] = ai + xi;
          }
        }
      }
    }
  }
}

/** In-place 3D FFT of (re, im) with power-of-two dims (x fastest); the inverse is scaled by 1/N. */
export function fft3d(re: Float64Array, im: Float64Array, dims: readonly [number, number, number], inverse: boolean): void {
  const [nx, ny, nz] = dims;
  if (nx > 1) fftAxis(re, im, nx, 1, 1, ny * nz, nx, inverse);
  if (ny > 1) fftAxis(re, im, ny, nx, nx, nz, nx * ny, inverse);
  if (nz > 1) fftAxis(re, im, nz, nx * ny, nx * ny, 1, 0, inverse);
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
