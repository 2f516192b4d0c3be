/**
 * The column: the canal path smoothed and re-parametrised by arc length (1 mm steps, cranial →
 * caudal) with a local frame at each step; it is the reported centreline.
 */
import type { Vec3 } from '@rachis/imaging';
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';

export interface ColumnFrame {
  /** Canal centre, grid mm. */
  p: Vec3;
  /** Unit caudal tangent. */
  t: Vec3;
  /** Unit anterior direction ⟂ t. */
  a: Vec3;
  /** Unit left direction, l = a × t (≈ +x). */
  l: Vec3;
}

export interface Column {
  step: number;
  frames: ColumnFrame[];
}

function smooth(v: Float64Array, sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    let s = 0;
    let w = 0;
    for (let d = -r; d <= r; d++) {
      const x = v[i + d];
      if (x === undefined || Number.isNaN(x)) continue;
      const ww = Math.exp((-d * d) / (2 * sigma * sigma));
      s += ww * x;
      w += ww;
    }
    out[i] = w > 0 ? s / w : NaN;
  }
  return out;
}

const norm = (v: Vec3): Vec3 => {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
};

export function buildColumn(g: WorkGrid, canal: CanalPath): Column {
  const { sp } = g;
  const ks: number[] = [];
  for (let k = canal.k1; k >= canal.k0; k--) ks.push(k);
  const sig = 10 / sp;
  const xs = smooth(Float64Array.from(ks, (k) => canal.x[k]!), sig);
  const ys = smooth(Float64Array.from(ks, (k) => canal.y[k]!), sig);
  const pts: Vec3[] = ks.map((k, i) => [xs[i]!, ys[i]!, k * sp]);
  // Tangents from a more heavily smoothed path: the canal centre jitters from level to level,
  // and a tilted sampling plane would smear thin discs.
  const xt = smooth(Float64Array.from(ks, (k) => canal.x[k]!), 16 / sp);
  const yt = smooth(Float64Array.from(ks, (k) => canal.y[k]!), 16 / sp);
  // Arc-length resampling at 1 mm.
  const step = 1;
  const frames: ColumnFrame[] = [];
  let seg = 0;
  let along = 0;
  const total = pts.slice(1).reduce((acc, p, i) => acc + Math.hypot(p[0] - pts[i]![0], p[1] - pts[i]![1], p[2] - pts[i]![2]), 0);
  for (let s = 0; s <= total; s += step) {
    while (seg < pts.length - 2) {
      const a = pts[seg]!;
      const b = pts[seg + 1]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
      if (along + len >= s) break;
      along += len;
      seg++;
    }
    const a = pts[seg]!;
    const b = pts[Math.min(seg + 1, pts.length - 1)]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) || 1;
    const w = Math.min(1, Math.max(0, (s - along) / len));
    const p: Vec3 = [a[0] + (b[0] - a[0]) * w, a[1] + (b[1] - a[1]) * w, a[2] + (b[2] - a[2]) * w];
    // Tangent from a wider baseline (±6 mm of path) for stability.
    const i0 = Math.max(0, seg - Math.round(8 / sp));
    const i1 = Math.min(pts.length - 1, seg + 1 + Math.round(8 / sp));
    const t = norm([xt[i1]! - xt[i0]!, yt[i1]! - yt[i0]!, pts[i1]![2] - pts[i0]![2]]);
    const d = t[1]; // −ŷ minus its component along t: −ŷ + t_y·t
    const an = norm([d * t[0], -1 + d * t[1], d * t[2]]);
    const l = norm([an[1] * t[2] - an[2] * t[1], an[2] * t[0] - an[0] * t[2], an[0] * t[1] - an[1] * t[0]]);
    frames.push({ p, t, a: an, l });
  }
  return { step, frames };
}
