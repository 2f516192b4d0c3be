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
function bitReverse(n: number): Int32Array {
  const rev = new Int32Array(n);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    rev[i] = j;
  }
  return rev;
}

/** Contiguous lines (x axis) of length n starting at the given offsets. */
function fftLines(re: Float64Array, im: Float64Array, n: number, bases: readonly number[], inverse: boolean): void {
  const { cos, sin } = twiddles(n);
  const rev = bitReverse(n);
  const sgn = inverse ? 1 : -1;
  for (const base of bases) {
    for (let i = 1; i < n; i++) {
      const j = rev[i]!;
      if (i < j) {
        const pi = base + i, pj = base + j;
        let tmp = re[pi]!; re[pi] = re[pj]!; re[pj] = tmp;
        tmp = im[pi]!; im[pi] = im[pj]!; im[pj] = tmp;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1, step = n / len;
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!, wi = sgn * sin[k * step]!;
        for (let i = base + k; i < base + n; i += len) {
          const b = i + half;
          const br = re[b]!, bi = im[b]!;
          const xr = br * wr - bi * wi, xi = br * wi + bi * wr;
          const ar = re[i]!, ai = im[i]!;
          re[b] = ar - xr; im[b] = ai - xi;
          re[i] = ar + xr; im[i] = ai + xi;
        }
      }
    }
  }
}

/**
 * FFT of length n along the y or z axis: each element is a contiguous block of `block` values
 * (an x-row or an xy-plane) at stride `block`; `count` transforms start at c·outerStride.
 */
function fftBlocks(
  re: Float64Array, im: Float64Array, n: number, block: number, count: number, outerStride: number, inverse: boolean,
): void {
  const { cos, sin } = twiddles(n);
  const rev = bitReverse(n);
  const sgn = inverse ? 1 : -1;
  for (let c = 0; c < count; c++) {
    const base = c * outerStride;
    for (let i = 1; i < n; i++) {
      const j = rev[i]!;
      if (i < j) {
        const pi = base + i * block, pj = base + j * block;
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
          const pa = base + (i + k) * block, pb = pa + half * block;
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

/**
 * In-place 3D FFT of (re, im) with power-of-two dims (x fastest); the inverse is scaled by 1/N.
 * `support` = [sx, sy, sz] skips work that cannot matter: for a forward transform the input is zero
 * outside [0,sx)×[0,sy)×[0,sz) (zero lines stay zero); for an inverse only outputs inside that box
 * are wanted (lines outside it are left untransformed, i.e. garbage).
 */
export function fft3d(
  re: Float64Array, im: Float64Array, dims: readonly [number, number, number], inverse: boolean,
  support?: readonly [number, number, number],
): void {
  const [nx, ny, nz] = dims;
  const [, sy, sz] = support ?? dims;
  const lines = (ys: number, zs: number): number[] => {
    const out: number[] = [];
    for (let z = 0; z < zs; z++) for (let y = 0; y < ys; y++) out.push((z * ny + y) * nx);
    return out;
  };
  if (!inverse) {
    if (nx > 1) fftLines(re, im, nx, lines(sy, sz), false);
    if (ny > 1) fftBlocks(re, im, ny, nx, sz, nx * ny, false);
    if (nz > 1) fftBlocks(re, im, nz, nx * ny, 1, 0, false);
  } else {
    if (nz > 1) fftBlocks(re, im, nz, nx * ny, 1, 0, true);
    if (ny > 1) fftBlocks(re, im, ny, nx, sz, nx * ny, true);
    if (nx > 1) fftLines(re, im, nx, lines(sy, sz), true);
    const s = 1 / (nx * ny * nz);
    for (let i = 0; i < re.length; i++) { re[i]! *= s; im[i]! *= s; }
  }
}

export const nextPow2 = (n: number): number => {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
};
