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

/** Radix-2 transform of n (power of two) elements at base + i·block (each a block of `block` values). */
function radix2(re: Float64Array, im: Float64Array, base: number, n: number, block: number, sgn: number): void {
  const { cos, sin } = twiddles(n);
  const rev = bitReverse(n);
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

/**
 * Transform of n = 2^k or 3·2^k elements at base + i·block. For 3·2^k: one decimation-in-time
 * radix-3 step (de-interleave into three thirds, radix-2 each, combine).
 */
function transform(re: Float64Array, im: Float64Array, base: number, n: number, block: number, sgn: number, tr: Float64Array, ti: Float64Array): void {
  if ((n & (n - 1)) === 0) { radix2(re, im, base, n, block, sgn); return; }
  const m = n / 3;
  // de-interleave: element 3j + r → r·m + j
  for (let r = 0; r < 3; r++)
    for (let j = 0; j < m; j++) {
      const src = base + (3 * j + r) * block, dst = (r * m + j) * block;
      for (let t = 0; t < block; t++) { tr[dst + t] = re[src + t]!; ti[dst + t] = im[src + t]!; }
    }
  for (let i = 0; i < n * block; i++) { re[base + i] = tr[i]!; im[base + i] = ti[i]!; }
  for (let r = 0; r < 3; r++) radix2(re, im, base + r * m * block, m, block, sgn);
  const c3 = -0.5, s3 = sgn * Math.sqrt(3) / 2; // w3 = e^{sgn·2πi/3}
  for (let k = 0; k < m; k++) {
    const a = (2 * Math.PI * k) / n;
    const w1r = Math.cos(a), w1i = sgn * Math.sin(a), w2r = Math.cos(2 * a), w2i = sgn * Math.sin(2 * a);
    const p0 = base + k * block, p1 = p0 + m * block, p2 = p1 + m * block;
    for (let t = 0; t < block; t++) {
      const y0r = re[p0 + t]!, y0i = im[p0 + t]!;
      const b1r = re[p1 + t]!, b1i = im[p1 + t]!, b2r = re[p2 + t]!, b2i = im[p2 + t]!;
      const a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
      const a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
      const sr = a1r + a2r, si = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;
      re[p0 + t] = y0r + sr; im[p0 + t] = y0i + si;
      // y0 + a1·w3 + a2·w3² and y0 + a1·w3² + a2·w3: common part y0 − s/2, ± i·s3·(a1 − a2)
      const mr = y0r + c3 * sr, mi = y0i + c3 * si;
      re[p1 + t] = mr - s3 * di; im[p1 + t] = mi + s3 * dr;
      re[p2 + t] = mr + s3 * di; im[p2 + t] = mi - s3 * dr;
    }
  }
}

/** Contiguous lines (x axis) of length n starting at the given offsets. */
function fftLines(re: Float64Array, im: Float64Array, n: number, bases: readonly number[], inverse: boolean): void {
  const tr = new Float64Array(n), ti = new Float64Array(n);
  for (const base of bases) transform(re, im, base, n, 1, inverse ? 1 : -1, tr, ti);
}

/**
 * FFT of length n along the y or z axis: each element is a contiguous block of `block` values
 * (an x-row or an xy-plane) at stride `block`; `count` transforms start at c·outerStride.
 */
function fftBlocks(
  re: Float64Array, im: Float64Array, n: number, block: number, count: number, outerStride: number, inverse: boolean,
): void {
  const tr = new Float64Array((n & (n - 1)) === 0 ? 0 : n * block), ti = new Float64Array(tr.length);
  for (let c = 0; c < count; c++) transform(re, im, c * outerStride, n, block, inverse ? 1 : -1, tr, ti);
}

/**
 * In-place 3D FFT of (re, im) with dims 2^k or 3·2^k (x fastest); the inverse is scaled by 1/N.
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

/** Smallest size ≥ n of the form 2^k or 3·2^k (the sizes fft3d supports). */
export const nextFftSize = (n: number): number => {
  const p = nextPow2(n);
  return p % 4 === 0 && (3 * p) / 4 >= n ? (3 * p) / 4 : p;
};
