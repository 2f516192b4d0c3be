/**
 * Anatomical consistency of the detected bodies along the column. Low-density (osteoporotic)
 * bone breaks up at a 2 mm grid: one body or the sacrum can come out as several pieces, and a
 * body can be missed. Two bodies cannot occupy the same level, lower sacral segments belong to
 * the sacrum, and a gap of well over one vertebral pitch means a level may be missing.
 */
import { quantile } from './stats.js';
import { columnHeight } from './bodies.js';
import type { Body } from './bodies.js';
import type { Column } from './column.js';
import type { Instances, SegmentEvidence } from './instances.js';

function union(a: Body, b: Body, nxy: number, sp: number, nx: number): Body {
  const voxels = new Int32Array(a.voxels.length + b.voxels.length);
  voxels.set(a.voxels);
  voxels.set(b.voxels, a.voxels.length);
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (const p of voxels) {
    const i = p % nx;
    sx += i;
    sy += ((p - i) / nx) % (nxy / nx);
    sz += Math.floor(p / nxy);
  }
  const n = voxels.length;
  return { voxels, centroid: [(sx / n) * sp, (sy / n) * sp, (sz / n) * sp], k0: Math.min(a.k0, b.k0), k1: Math.max(a.k1, b.k1), truncated: a.truncated || b.truncated, s0: Math.min(a.s0, b.s0), s1: Math.max(a.s1, b.s1) };
}

/**
 * Merges neighbouring bodies (sorted cranial → caudal) whose ranges along the column overlap by
 * at least half of the shorter one: pieces of one body side by side, not two levels. (Along the
 * column, not in slices: the lordotic L5 overlaps S1 in slices without being one bone.)
 */
export function mergeOverlapping(bodies: Body[], nx: number, ny: number, sp: number): Body[] {
  const out: Body[] = [];
  for (const b of bodies) {
    const prev = out.at(-1);
    if (prev) {
      const overlap = Math.min(prev.s1, b.s1) - Math.max(prev.s0, b.s0) + 1;
      const shorter = Math.min(prev.s1 - prev.s0, b.s1 - b.s0) + 1;
      if (overlap >= shorter / 2) {
        out[out.length - 1] = union(prev, b, nx * ny, sp, nx);
        continue;
      }
    }
    out.push(b);
  }
  return out;
}

/**
 * Index of the lowest of the bottom three vertebrae (evidence cranial → caudal) that carries
 * sacral wings (`wingMl` ≥ `minWingMl`), or, failing that, that reaches far-lateral bone (≥ `ribMl`)
 * with two vertebrae right above it that do not: ribs never reappear below the rib-less lumbar
 * spine, so that bone is the ilium (low-density sacral alae are not bone and give no wings);
 * −1 when none does.
 */
export function sacrumIndex(evidence: readonly SegmentEvidence[], minWingMl: number, ribMl = Infinity): number {
  const n = evidence.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) if (evidence[i]!.wingMl >= minWingMl) return i;
  const lateral = (i: number): number => Math.max(evidence[i]!.lateralLeftMl, evidence[i]!.lateralRightMl);
  for (let i = n - 1; i >= Math.max(2, n - 3); i--) if (lateral(i) >= ribMl && lateral(i - 1) < ribMl && lateral(i - 2) < ribMl) return i;
  return -1;
}

/**
 * Bodies below the sacrum (`sacrumIndex`) are lower sacral segments of a sacrum that came out in
 * pieces: they join it, and so does a small piece of the S1 body right above it. Returns the
 * (possibly) shortened body list and whether its last body is the sacrum; `inst` is updated in
 * place (labels renumbered, evidence summed).
 */
export function mergeSacrum(bodies: Body[], inst: Instances, minWingMl: number, nx: number, ny: number, sp: number, ribMl = Infinity): { bodies: Body[]; sacrum: boolean } {
  let s = sacrumIndex(inst.evidence, minWingMl, ribMl);
  if (s < 0) return { bodies, sacrum: false };
  // Fragments (< half the median body volume) just above the sacral pieces and overlapping or
  // touching them in slice range are the S1 body split from its alae, not L5.
  const fragment = 0.5 * quantile(bodies.map((b) => b.voxels.length), 0.5)!;
  let top = Math.max(...bodies.slice(s).map((b) => b.k1));
  for (let above = bodies[s - 1]; above && above.voxels.length < fragment && above.k0 <= top + 1; above = bodies[s - 1]) {
    s--;
    top = Math.max(top, above.k1);
  }
  if (s === bodies.length - 1) return { bodies, sacrum: true };
  let merged = bodies[s]!;
  const e = { ...inst.evidence[s]! };
  for (let i = s + 1; i < bodies.length; i++) {
    merged = union(merged, bodies[i]!, nx * ny, sp, nx);
    const o = inst.evidence[i]!;
    e.lateralLeftMl += o.lateralLeftMl;
    e.lateralRightMl += o.lateralRightMl;
    e.looseRibLeftMl += o.looseRibLeftMl;
    e.looseRibRightMl += o.looseRibRightMl;
    e.wingMl += o.wingMl;
    e.voxels += o.voxels;
  }
  const keep = s + 1;
  for (let p = 0; p < inst.instance.length; p++) if (inst.instance[p]! > keep) inst.instance[p] = keep;
  inst.evidence.length = keep;
  inst.evidence[s] = e;
  return { bodies: [...bodies.slice(0, s), merged], sacrum: true };
}

/**
 * Expected centroid spacing along the column (mm): the median spacing, but at most 1.4 × the
 * median body height (body + disc), so that many missing levels cannot inflate it.
 */
function expectedPitchMm(bodies: readonly Body[], spMm: number): number {
  const d: number[] = [];
  for (let i = 0; i + 1 < bodies.length; i++) {
    const a = bodies[i]!.centroid;
    const b = bodies[i + 1]!.centroid;
    d.push(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
  }
  const med = (v: number[]): number => quantile(v, 0.5)!;
  return Math.min(med(d), 1.4 * med(bodies.map((b) => (b.k1 - b.k0 + 1) * spMm)));
}

/**
 * Gaps along the column (centroid to centroid, mm) of at least `factor` × the expected pitch:
 * a vertebra may have been missed there. Returns the indices i of bodies followed by such a gap.
 */
export function pitchGaps(bodies: readonly Body[], factor: number, spMm: number): { index: number; gapMm: number; medianMm: number }[] {
  if (bodies.length < 3) return [];
  const pitch = expectedPitchMm(bodies, spMm);
  const out: { index: number; gapMm: number; medianMm: number }[] = [];
  for (let i = 0; i + 1 < bodies.length; i++) {
    const a = bodies[i]!.centroid;
    const b = bodies[i + 1]!.centroid;
    const gap = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    if (gap >= factor * pitch) out.push({ index: i, gapMm: gap, medianMm: pitch });
  }
  return out;
}

/**
 * Indices of bodies (not cut by the field of view) whose height along the column is at least
 * `ratio` × the median height of up to two neighbours on either side. `height` defaults to the
 * whole body's column range; `axialHeight` is the better one where the column bends.
 */
export function tallBodies(bodies: readonly Body[], ratio: number, height: (b: Body) => number = columnHeight): number[] {
  const hs = bodies.map(height);
  const out: number[] = [];
  bodies.forEach((b, i) => {
    // A body cut by the field of view is not judged: at the top of a scan it often carries a
    // sliver of the next vertebra (C6 on C7) and would be flagged on every such scan.
    if (b.truncated) return;
    const near = hs.filter((_, j) => j !== i && Math.abs(j - i) <= 2 && !bodies[j]!.truncated);
    if (near.length < 2) return;
    const sorted = near.sort((a, c) => a - c);
    const med = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    if (hs[i]! >= ratio * med) out.push(i);
  });
  return out;
}

/**
 * Height of a body along its own axis: the extent, along the column tangent at the body's level,
 * of its central rod (voxels within `halfMm` of its centroid front-to-back and left-right, so
 * that neither a sagittal nor a coronal tilt adds the body's depth or width), in work-grid
 * steps like `columnHeight`. Column positions switch frames from slice to slice, so where the
 * column bends (L5 on the sacrum) a body spans far more of them than it is tall; one fixed
 * direction does not.
 */
export function axialHeight(b: Body, g: { nx: number; ny: number; sp: number }, col: Column, halfMm = 5): number {
  const { nx, ny, sp } = g;
  const [cx, cy, cz] = b.centroid;
  let frame = col.frames[0];
  for (const f of col.frames) if (Math.abs(f.p[2] - cz) < Math.abs((frame?.p[2] ?? Infinity) - cz)) frame = f;
  if (!frame) return columnHeight(b);
  const { t, a, l } = frame;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of b.voxels) {
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    const d = [i * sp - cx, j * sp - cy, k * sp - cz];
    if (Math.abs(d[0]! * a[0] + d[1]! * a[1] + d[2]! * a[2]) > halfMm) continue;
    if (Math.abs(d[0]! * l[0] + d[1]! * l[1] + d[2]! * l[2]) > halfMm) continue;
    const h = d[0]! * t[0] + d[1]! * t[1] + d[2]! * t[2];
    if (h < lo) lo = h;
    if (h > hi) hi = h;
  }
  return hi >= lo ? (hi - lo) / sp + 1 : columnHeight(b);
}
