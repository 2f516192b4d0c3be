/**
 * Vertebral bodies: bone (≥ 150 HU, cavities filled so osteoporotic marrow counts) in a cylinder
 * in front of the canal, split into 6-connected components (discs are not bone, so bodies
 * separate). Bodies fused by partial volume or osteophytes show up as components about twice
 * the usual height; they are cut at their narrowest cross-sections.
 */
import { connectedComponents, fillHoles } from '@rachis/imaging';
import type { Vec3 } from '@rachis/imaging';
import type { CanalPath } from './canal.js';
import type { Column } from './column.js';
import type { WorkGrid } from './grid.js';

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
}

export interface BodyDetection {
  bodies: Body[];
  /** Filled bone mask (work grid), reused for instance growth. */
  filledBone: Uint8Array;
}

const MIN_ML = 1.5;

export function detectBodies(g: WorkGrid, canal: CanalPath, col: Column): BodyDetection {
  const { nx, ny, nz, sp, hu } = g;
  const nxy = nx * ny;
  const n = nxy * nz;
  const bone = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (hu[p]! >= 150) bone[p] = 1;
  const geo = g.geometry;
  const filled = fillHoles({ ...geo, data: bone }).data;
  for (let p = 0; p < n; p++) if (canal.enclosure[p]! >= 8 && hu[p]! < 150) filled[p] = 0;
  const region = new Uint8Array(n);
  for (let k = canal.k0; k <= canal.k1; k++) {
    const x0 = canal.x[k]!;
    const y0 = canal.y[k]!;
    const gap = Math.min(canal.anteriorGapMm[k]!, 20);
    for (let j = 0; j < ny; j++) {
      const ant = y0 - j * sp;
      if (ant < gap - 2 || ant > 70) continue;
      for (let i = 0; i < nx; i++) {
        const p = i + j * nx + k * nxy;
        if (filled[p] && Math.abs(i * sp - x0) <= 30) region[p] = 1;
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
  let comps = groups.filter((x): x is number[] => x !== undefined && x.length > 0);
  const kOf = (p: number): number => Math.floor(p / nxy);
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
  const inner = comps.filter((c) => !c.some((p) => kOf(p) <= 0 || kOf(p) >= nz - 1)).map(extent).sort((a, b) => a - b);
  const median = inner.length ? inner[Math.floor(inner.length / 2)]! : 30 / sp;
  const minKeep = minVox / 3;
  comps = comps.flatMap((c) => split(c, median, sOf)).filter((c) => c.length >= minKeep);
  const bodies: Body[] = comps.map((c) => {
    let sx = 0;
    let sy = 0;
    let sz = 0;
    let k0 = Infinity;
    let k1 = -Infinity;
    for (const p of c) {
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = kOf(p);
      sx += i;
      sy += j;
      sz += k;
      k0 = Math.min(k0, k);
      k1 = Math.max(k1, k);
    }
    return { voxels: Int32Array.from(c), centroid: [(sx / c.length) * sp, (sy / c.length) * sp, (sz / c.length) * sp], k0, k1, truncated: k0 <= 0 || k1 >= nz - 1 };
  });
  bodies.sort((a, b) => b.centroid[2] - a.centroid[2]);
  return { bodies, filledBone: filled };
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
  if (len <= 1.3 * median) return [c];
  const area = new Float64Array(len);
  for (const p of c) area[kOf(p) - lo]! += 1;
  const edge = Math.max(2, Math.round(median * 0.3));
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
