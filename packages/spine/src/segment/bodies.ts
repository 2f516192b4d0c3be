/**
 * Vertebral bodies: bone (≥ 150 HU, cavities filled so osteoporotic marrow counts) in a cylinder
 * in front of the canal, split into 6-connected components (discs are not bone, so bodies
 * separate). Bodies fused by partial volume or osteophytes show up as components about twice
 * the usual height; they are cut at their narrowest cross-sections.
 */
import { quantile } from './stats.js';
import { connectedComponents, dilate, fillHoles, fillHolesInSlices } from '@rachis/imaging';
import type { Vec3 } from '@rachis/imaging';
import type { CanalPath } from './canal.js';
import type { Column } from './column.js';
import type { WorkGrid } from './grid.js';
import { mergeOverlapping } from './merge.js';

export interface Body {
  /** Voxel indices of the body on the work grid. */
  voxels: Int32Array;
  /** Centroid, grid mm. */
  centroid: Vec3;
  /** Slice range (inclusive). */
  k0: number;
  k1: number;
  /** Touches the first/last slice of the scan. */
  truncated: boolean;
  /** Range along the column (work-grid voxels of arc length, cranial → caudal): tilted bodies overlap in slices, not here. */
  s0: number;
  s1: number;
}

/** Height of a body along the column (units of s0/s1). */
export function columnHeight(b: Body): number {
  return b.s1 - b.s0 + 1;
}

/** A body from its voxels: centroid, slice and column ranges (`columnPos` as in BodyDetection). */
export function bodyFromVoxels(voxels: Int32Array, g: { nx: number; ny: number; nz: number; sp: number }, columnPos: (p: number) => number): Body {
  const { nx, ny, nz, sp } = g;
  const nxy = nx * ny;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let k0 = Infinity;
  let k1 = -Infinity;
  let s0 = Infinity;
  let s1 = -Infinity;
  for (const p of voxels) {
    const i = p % nx;
    const k = Math.floor(p / nxy);
    const s = columnPos(p);
    sx += i;
    sy += ((p - i) / nx) % ny;
    sz += k;
    k0 = Math.min(k0, k);
    k1 = Math.max(k1, k);
    s0 = Math.min(s0, s);
    s1 = Math.max(s1, s);
  }
  const n = voxels.length;
  return { voxels, centroid: [(sx / n) * sp, (sy / n) * sp, (sz / n) * sp], k0, k1, truncated: k0 <= 0 || k1 >= nz - 1, s0, s1 };
}

/**
 * Left-right extent of a body (mm) at the given quantile over its slices: the median describes
 * it; the lower quartile ignores an enhanced vessel or osteophyte beside a few slices.
 */
export function bodyWidthMm(b: Body, g: { nx: number; ny: number; sp: number }, q: number): number {
  const { nx, ny, sp } = g;
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  for (const p of b.voxels) {
    const i = p % nx;
    const k = Math.floor(p / (nx * ny));
    lo.set(k, Math.min(lo.get(k) ?? Infinity, i));
    hi.set(k, Math.max(hi.get(k) ?? -Infinity, i));
  }
  return quantile([...lo.keys()].map((k) => (hi.get(k)! - lo.get(k)! + 1) * sp), q) ?? 0;
}

export interface BodyDetection {
  bodies: Body[];
  /** Filled bone mask (work grid), reused for instance growth. */
  filledBone: Uint8Array;
  /** Position of a work-grid voxel along the column (units of Body.s0/s1). */
  columnPos: (p: number) => number;
}

const MIN_ML = 1.5;
/** Bone threshold: cortex and normal trabecular bone. */
export const BONE_HU = 150;
/**
 * Lowest HU of marrow accepted inside a closed cortical ring: osteoporotic trabecular bone runs
 * down to ~60–100 HU, fat and muscle (≤ 60) stay out.
 */
const RING_MARROW_HU = 60;
/** Breaks in the axial cortical ring up to ~2× this (mm) are bridged before the ring is filled. */
const RING_BRIDGE_MM = 5;
/** The body cylinder in front of the canal centre: ±30 mm lateral, up to 70 mm anterior. */
const CYL_LATERAL_MM = 30;
const CYL_ANTERIOR_MM = 70;

/**
 * Marrow enclosed by a cortical ring in the axial slice. At a 2 mm grid the cortex of a
 * low-density body is broken and its 3-D cavity leaks through the discs, so 3-D hole filling
 * misses it; in each axial slice the ring (bridged by a small in-plane dilation) still closes.
 * Discs have no ring and stay out. The fill is strictly 2-D (`fillHolesInSlices`).
 */
function ringInterior(g: WorkGrid, bone: Uint8Array, canal: CanalPath): Uint8Array {
  const { nx, ny, nz, sp, hu } = g;
  const nxy = nx * ny;
  // Only bone in the body cylinder in front of the canal: ribs, pelvis and spine together would
  // otherwise enclose whole organs (liver, bowel) in an axial slice.
  const near = new Uint8Array(nxy * nz);
  for (let k = canal.k0; k <= canal.k1; k++) {
    const x0 = canal.x[k]!;
    const y0 = canal.y[k]!;
    const gap = Math.min(canal.posteriorGapMm[k]!, 20);
    for (let j = 0; j < ny; j++) {
      const ant = y0 - j * sp;
      if (ant < gap - 2 || ant > CYL_ANTERIOR_MM) continue;
      for (let i = 0; i < nx; i++) {
        const p = k * nxy + j * nx + i;
        if (bone[p] && Math.abs(i * sp - x0) <= CYL_LATERAL_MM) near[p] = 1;
      }
    }
  }
  const ring = dilate({ ...g.geometry, data: near }, [RING_BRIDGE_MM, RING_BRIDGE_MM, 0]);
  const filled = fillHolesInSlices(ring, 2).data;
  const out = new Uint8Array(nxy * nz);
  for (let p = 0; p < out.length; p++) if (filled[p] && hu[p]! >= RING_MARROW_HU) out[p] = 1;
  return out;
}

/**
 * `ringFill`: also count marrow enclosed by an axial cortical ring (for low-density bone). Off by
 * default: it can bridge a tilted disc (L5/S1) between two rings, so the caller turns it on only
 * when the plain detection leaves levels missing along the column.
 */
export function detectBodies(g: WorkGrid, canal: CanalPath, col: Column, ringFill = false): BodyDetection {
  const { nx, ny, nz, sp, hu } = g;
  const nxy = nx * ny;
  const n = nxy * nz;
  const bone = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (hu[p]! >= BONE_HU) bone[p] = 1;
  const geo = g.geometry;
  const filled = fillHoles({ ...geo, data: bone }).data;
  const marrow = ringFill ? ringInterior(g, bone, canal) : undefined;
  for (let p = 0; p < n; p++) {
    if (marrow?.[p]) filled[p] = 1;
    if (canal.enclosure[p]! >= 8 && hu[p]! < BONE_HU) filled[p] = 0;
  }
  // Per slice, the body is the bone reached (4-connected) from just in front of the canal, within
  // ±30 mm of it: enhanced vessels or bowel beside the body are not reached unless they touch it.
  const region = new Uint8Array(n);
  const stack = new Int32Array(nxy);
  for (let k = canal.k0; k <= canal.k1; k++) {
    const x0 = canal.x[k]!;
    const y0 = canal.y[k]!;
    const gap = Math.min(canal.posteriorGapMm[k]!, 20);
    const base = k * nxy;
    const inside = (i: number, j: number): boolean => {
      const ant = y0 - j * sp;
      return ant >= gap - 2 && ant <= CYL_ANTERIOR_MM && Math.abs(i * sp - x0) <= CYL_LATERAL_MM;
    };
    let top = 0;
    // seeds: every bone voxel on five rays from the canal's front wall 45 mm forward (the
    // midline wall has the basivertebral foramen and marrow may be below the threshold)
    for (let s2 = 0; s2 < 5 * 64; s2++) {
      const si = Math.round((x0 + ((s2 % 5) - 2) * 6) / sp);
      const d = -1 + Math.floor(s2 / 5) * (sp / 2);
      if (d > 45) break;
      const sj = Math.round((y0 - gap - d) / sp);
      if (si < 0 || sj < 0 || si >= nx || sj >= ny) continue;
      const q = sj * nx + si;
      if (filled[base + q] && !region[base + q]) {
        region[base + q] = 1;
        stack[top++] = q;
      }
    }
    while (top > 0) {
      const q = stack[--top]!;
      const i = q % nx;
      const j = (q - i) / nx;
      const nb = [i > 0 ? q - 1 : -1, i < nx - 1 ? q + 1 : -1, j > 0 ? q - nx : -1, j < ny - 1 ? q + nx : -1];
      for (const r of nb) {
        if (r < 0 || region[base + r] || !filled[base + r]) continue;
        const ri = r % nx;
        if (!inside(ri, (r - ri) / nx)) continue;
        region[base + r] = 1;
        stack[top++] = r;
      }
    }
  }
  const cc = connectedComponents({ ...geo, data: region }, 6);
  const minVox = (MIN_ML * 1000) / (sp * sp * sp);
  const groups: number[][] = [];
  cc.sizes.forEach((s, i) => {
    if (s >= minVox) groups[i + 1] = [];
  });
  cc.labels.data.forEach((l, p) => {
    if (l) groups[l]?.push(p);
  });
  const kOf = (p: number): number => Math.floor(p / nxy);
  // A body sits right in front of the canal, centred on it; vessels (enhanced aorta/IVC) and
  // other dense things in the cylinder do not touch the canal wall.
  const nearCanal = (c: number[]): boolean => {
    let minGap = Infinity;
    let sumLat = 0;
    for (const p of c) {
      const k = kOf(p);
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      minGap = Math.min(minGap, canal.y[k]! - j * sp - canal.posteriorGapMm[k]!);
      sumLat += i * sp - canal.x[k]!;
    }
    return minGap <= 6 && Math.abs(sumLat / c.length) <= 20;
  };
  let comps = groups.filter((x): x is number[] => x !== undefined && x.length > 0 && nearCanal(x));
  // Position along the column (bins of one voxel), so tilted discs (L5/S1) are cut obliquely.
  const frameAtK = new Int32Array(nz).fill(-1);
  col.frames.forEach((f, i) => {
    const k = Math.round(f.p[2] / sp);
    if (k >= 0 && k < nz && frameAtK[k] === -1) frameAtK[k] = i;
  });
  for (let k = 0, last = -1; k < nz; k++) {
    if (frameAtK[k]! >= 0) last = frameAtK[k]!;
    else frameAtK[k] = last;
  }
  for (let k = nz - 1, last = -1; k >= 0; k--) {
    if (frameAtK[k]! >= 0) last = frameAtK[k]!;
    else frameAtK[k] = last;
  }
  const sOf = (p: number): number => {
    const k = kOf(p);
    const fi = frameAtK[k]!;
    const f = col.frames[fi];
    if (!f) return -k;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const d = (i * sp - f.p[0]) * f.t[0] + (j * sp - f.p[1]) * f.t[1] + (k * sp - f.p[2]) * f.t[2];
    return Math.round((fi * col.step + d) / sp);
  };
  const extent = (c: number[]): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of c) {
      const k = sOf(p);
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
    return hi - lo + 1;
  };
  const inner = comps.filter((c) => !c.some((p) => kOf(p) <= 0 || kOf(p) >= nz - 1)).map(extent);
  const median = quantile(inner, 0.5) ?? 30 / sp;
  const minKeep = minVox / 3;
  comps = comps.flatMap((c) => split(c, median, sOf)).filter((c) => c.length >= minKeep);
  let bodies: Body[] = comps.map((c) => bodyFromVoxels(Int32Array.from(c), g, sOf));
  bodies.sort((a, b) => b.centroid[2] - a.centroid[2]);
  // Low-density bodies found from their rings come out in pieces side by side; merging on slice
  // overlap is kept to that case (a tilted L5 overlaps S1 in slices without being one bone).
  if (ringFill) bodies = mergeOverlapping(bodies, nx, ny, sp);
  // Instances are packed with the part label into one byte downstream: at most 63 (a spine has ~26).
  if (bodies.length > 63) bodies.length = 63;
  return { bodies, filledBone: filled, columnPos: sOf };
}

/**
 * Cut a component at its deepest waist (a slice whose cross-section is < 45 % of the larger
 * parts above and below), recursively while pieces stay taller than ~1.3 bodies. Tilted bodies
 * are tall in z but have no waist, so they stay whole.
 */
function split(c: number[], median: number, kOf: (p: number) => number): number[][] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of c) {
    const k = kOf(p);
    lo = Math.min(lo, k);
    hi = Math.max(hi, k);
  }
  const len = hi - lo + 1;
  if (len <= 1.3 * median || Math.round(len / median) < 2) return [c];
  const area = new Float64Array(len);
  for (const p of c) area[kOf(p) - lo]! += 1;
  const edge = Math.max(2, Math.round(median * 0.4));
  let best = -1;
  let bestRatio = 0.45;
  for (let t = edge; t < len - edge; t++) {
    let above = 0;
    let below = 0;
    for (let u = 0; u < t; u++) below = Math.max(below, area[u]!);
    for (let u = t + 1; u < len; u++) above = Math.max(above, area[u]!);
    const r = area[t]! / Math.min(above, below);
    if (r < bestRatio) {
      bestRatio = r;
      best = t;
    }
  }
  if (best < 0) return [c];
  const cut = lo + best;
  const a = c.filter((p) => kOf(p) < cut);
  const b = c.filter((p) => kOf(p) > cut);
  return [...split(a, median, kOf), ...split(b, median, kOf)].filter((x) => x.length > 0);
}
