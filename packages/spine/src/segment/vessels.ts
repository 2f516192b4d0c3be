/**
 * Enhanced great vessels (aorta, IVC, iliac arteries) in front of the spine. On contrast CT their
 * lumen (130–500 HU) reads as bone and, where a vessel touches a vertebral body, it joins the body
 * (and through the body the next level along the column). A lumen is a homogeneous disk with
 * soft tissue or fat around most of it and no bright rim; a body's cross-section is the opposite
 * on each count: heterogeneous marrow, a cortical rim, and the canal right behind it. The lumen
 * found here is erased from the work grid before the bodies are detected.
 */
import { connectedComponents, IDENTITY_DIRECTION } from '@rachis/imaging';
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';

/** Unenhanced blood: what an erased lumen reads (below the bone and the ring-marrow thresholds). */
export const UNENHANCED_BLOOD_HU = 40;
/** Lumen HU of an enhanced vessel (portal venous to arterial phase). */
const LUMEN_MIN_HU = 130;
const LUMEN_MAX_HU = 500;
/** Radii tried (mm): iliac arteries to an ectatic aorta. */
const RADII_MM = [5, 7, 9, 11, 13, 15, 17];
/** Lumen SD inside 0.6 r (HU): image noise; trabecular marrow is far more textured. */
const LUMEN_SD_HU = 40;
/**
 * Around the lumen (r + 1.5 and r + 3.5 mm), this share of directions must be darker by ≥ DARKER_HU
 * and soft tissue or fat (≤ SOFT_HU); marrow ringed by disc and low-density bone is not.
 */
const DARK_SHARE = 0.55;
const DARKER_HU = 60;
const SOFT_HU = 100;
/** At most this share of directions may be brighter than the lumen by ≥ 150 HU (cortex it touches). */
const BRIGHT_SHARE = 0.3;
const ANGLES = 32;
/** A vessel lies in front of the body: its edge is ≥ this far from the canal's front wall. */
const CANAL_CLEARANCE_MM = 10;
/** Search window around the canal centre (mm). */
const MAX_LATERAL_MM = 50;
const MAX_ANTERIOR_MM = 120;
/** A tube: the mask must run through at least this length (mm) of slices. */
const MIN_LENGTH_MM = 16;

interface Hit { i: number; j: number; r: number; mean: number; dark: number; score: number }

/**
 * Vessel lumen mask on the work grid (1 = enhanced vessel). Empty on a non-contrast CT, where no
 * soft-tissue blob reaches the lumen HU.
 */
export function detectVessels(g: WorkGrid, canal: CanalPath): Uint8Array {
  const { nx, ny, nz, sp, hu } = g;
  const nxy = nx * ny;
  const out = new Uint8Array(nxy * nz);
  // Summed-area tables of HU and HU² over the search window of one slice at a time.
  const s1 = new Float64Array((nx + 1) * (ny + 1));
  const s2 = new Float64Array((nx + 1) * (ny + 1));
  const hMax = Math.max(...RADII_MM.map((r) => Math.max(1, Math.round((0.6 * r) / sp))));
  // Bounding box of the lumen found (voxel indices, inclusive).
  const bb = { i0: nx, i1: -1, j0: ny, j1: -1, k0: nz, k1: -1 };
  // Voxel offsets of the surround samples (r + 1.5 and r + 3.5 mm) per radius and direction.
  const ring = RADII_MM.map((r) => {
    const o = new Int32Array(2 * ANGLES);
    for (let a = 0; a < ANGLES; a++) {
      const t = (2 * Math.PI * a) / ANGLES;
      for (const [m, d] of [[0, 1.5], [1, 3.5]] as const) o[2 * a + m] = Math.round(((r + d) * Math.sin(t)) / sp) * nx + Math.round(((r + d) * Math.cos(t)) / sp);
    }
    return o;
  });
  // Centres this close to the grid's edge are skipped, so every sample is inside.
  const margin = Math.ceil((Math.max(...RADII_MM) + 3.5) / sp) + 1;
  const needDark = Math.ceil(DARK_SHARE * ANGLES);
  const maxBright = Math.floor(BRIGHT_SHARE * ANGLES);
  const stack = new Int32Array(nxy);
  for (let k = Math.max(0, canal.k0); k <= Math.min(nz - 1, canal.k1); k++) {
    const x0 = canal.x[k]!;
    const y0 = canal.y[k]!;
    if (!Number.isFinite(x0) || !Number.isFinite(y0)) continue;
    const gap = Math.min(canal.posteriorGapMm[k]!, 20);
    const base = k * nxy;
    const jLo = Math.max(margin, Math.ceil((y0 - MAX_ANTERIOR_MM) / sp));
    const jHi = Math.min(ny - 1 - margin, Math.floor((y0 - gap) / sp));
    const iLo = Math.max(margin, Math.ceil((x0 - MAX_LATERAL_MM) / sp));
    const iHi = Math.min(nx - 1 - margin, Math.floor((x0 + MAX_LATERAL_MM) / sp));
    if (jLo > jHi || iLo > iHi) continue;
    // Window origin (wi, wj) and width: the centres' boxes reach hMax beyond them.
    const wi = iLo - hMax;
    const wj = jLo - hMax;
    const ww = iHi + hMax - wi + 1;
    // The window's width changes from slice to slice: its zero row and column are reset.
    s1.fill(0, 0, ww + 1);
    s2.fill(0, 0, ww + 1);
    for (let j = wj; j <= jHi + hMax; j++) {
      let r1 = 0;
      let r2 = 0;
      s1[(j - wj + 1) * (ww + 1)] = 0;
      s2[(j - wj + 1) * (ww + 1)] = 0;
      for (let i = wi; i < wi + ww; i++) {
        const v = hu[base + j * nx + i]!;
        r1 += v;
        r2 += v * v;
        const q = (j - wj + 1) * (ww + 1) + i - wi + 1;
        s1[q] = s1[q - ww - 1]! + r1;
        s2[q] = s2[q - ww - 1]! + r2;
      }
    }
    const box = (t: Float64Array, i0: number, j0: number, i1: number, j1: number): number =>
      t[(j1 - wj + 1) * (ww + 1) + i1 - wi + 1]! - t[(j0 - wj) * (ww + 1) + i1 - wi + 1]! - t[(j1 - wj + 1) * (ww + 1) + i0 - wi]! + t[(j0 - wj) * (ww + 1) + i0 - wi]!;
    const hits: Hit[] = [];
    for (let j = jLo; j <= jHi; j++) {
      for (let i = iLo; i <= iHi; i++) {
        const c = hu[base + j * nx + i]!;
        if (c < LUMEN_MIN_HU - 50 || c > LUMEN_MAX_HU + 50) continue;
        const fromWall = Math.hypot(i * sp - x0, y0 - gap - j * sp);
        let best: Hit | undefined;
        const centre = base + j * nx + i;
        for (let ri = 0; ri < RADII_MM.length; ri++) {
          const r = RADII_MM[ri]!;
          if (fromWall < r + CANAL_CLEARANCE_MM) break;
          const h = Math.max(1, Math.round((0.6 * r) / sp));
          const cnt = (2 * h + 1) * (2 * h + 1);
          const mean = box(s1, i - h, j - h, i + h, j + h) / cnt;
          const sd = Math.sqrt(Math.max(0, box(s2, i - h, j - h, i + h, j + h) / cnt - mean * mean));
          // A larger disk holds this one: once the lumen test fails it fails for good.
          if (mean < LUMEN_MIN_HU || mean > LUMEN_MAX_HU || sd > LUMEN_SD_HU) break;
          const o = ring[ri]!;
          const darkHU = Math.min(mean - DARKER_HU, SOFT_HU);
          let dark = 0;
          let bright = 0;
          for (let a = 0; a < ANGLES && dark + ANGLES - a >= needDark && bright <= maxBright; a++) {
            const v = (hu[centre + o[2 * a]!]! + hu[centre + o[2 * a + 1]!]!) / 2;
            if (v <= darkHU) dark++;
            else if (v >= mean + 150) bright++;
          }
          if (dark < needDark || bright > maxBright) continue;
          // The smallest radius with the darkest surround is the lumen's edge.
          if (!best || dark > best.dark) best = { i, j, r, mean, dark, score: dark - sd / 10 };
        }
        if (best) hits.push(best);
      }
    }
    // Strongest first; a weaker hit inside an accepted lumen adds nothing.
    hits.sort((a, b) => b.score - a.score);
    const kept: Hit[] = [];
    for (const h of hits) {
      if (kept.some((o) => Math.hypot((o.i - h.i) * sp, (o.j - h.j) * sp) < o.r)) continue;
      kept.push(h);
      // The lumen: voxels of lumen-like HU connected to the centre within r + 2 mm (partial volume
      // at its edge included, the cortex of a body it touches left out). Below 60 HU nothing
      // counts as bone or marrow anyway.
      const lim = (h.r + 2) / sp;
      const hiHu = h.mean + 100;
      let top = 0;
      const q0 = h.j * nx + h.i;
      out[base + q0] = 1;
      stack[top++] = q0;
      bb.i0 = Math.min(bb.i0, h.i);
      bb.i1 = Math.max(bb.i1, h.i);
      bb.j0 = Math.min(bb.j0, h.j);
      bb.j1 = Math.max(bb.j1, h.j);
      bb.k0 = Math.min(bb.k0, k);
      bb.k1 = Math.max(bb.k1, k);
      while (top > 0) {
        const q = stack[--top]!;
        const qi = q % nx;
        const qj = (q - qi) / nx;
        for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          const ri = qi + di;
          const rj = qj + dj;
          if (ri < 0 || rj < 0 || ri >= nx || rj >= ny) continue;
          if ((ri - h.i) ** 2 + (rj - h.j) ** 2 > lim * lim) continue;
          const r = rj * nx + ri;
          const v = hu[base + r]!;
          if (out[base + r] || v < 60 || v > hiHu) continue;
          out[base + r] = 1;
          stack[top++] = r;
          bb.i0 = Math.min(bb.i0, ri);
          bb.i1 = Math.max(bb.i1, ri);
          bb.j0 = Math.min(bb.j0, rj);
          bb.j1 = Math.max(bb.j1, rj);
          bb.k0 = Math.min(bb.k0, k);
          bb.k1 = Math.max(bb.k1, k);
        }
      }
    }
  }
  if (bb.k1 >= 0) keepTubes(out, g, bb);
  return out;
}

/**
 * A vessel is a tube: blobs seen over a few slices only (bowel, a kidney pole, an endplate) are
 * dropped. Slices are linked across a one-slice gap (the test can miss a slice where the vessel
 * touches something bright), and such a slice gets the lumen where the slices above and below
 * agree. Works in the bounding box `bb` of the mask (a small part of the grid).
 */
function keepTubes(out: Uint8Array, g: WorkGrid, bb: { i0: number; i1: number; j0: number; j1: number; k0: number; k1: number }): void {
  const { nx, ny, sp, hu } = g;
  const nxy = nx * ny;
  const bw = bb.i1 - bb.i0 + 1;
  const bh = bb.j1 - bb.j0 + 1;
  const bd = bb.k1 - bb.k0 + 1;
  const at = (i: number, j: number, k: number): number => (bb.k0 + k) * nxy + (bb.j0 + j) * nx + bb.i0 + i;
  const linked = new Uint8Array(bw * bh * bd);
  for (let k = 0; k < bd; k++) {
    for (let j = 0; j < bh; j++) {
      for (let i = 0; i < bw; i++) {
        const p = at(i, j, k);
        if (out[p] || (k > 0 && out[p - nxy]) || (k < bd - 1 && out[p + nxy])) linked[(k * bh + j) * bw + i] = 1;
      }
    }
  }
  const cc = connectedComponents({ size: [bw, bh, bd], spacing: [sp, sp, sp], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data: linked }, 6);
  const lo = new Int32Array(cc.sizes.length + 1).fill(bd);
  const hi = new Int32Array(cc.sizes.length + 1).fill(-1);
  const labels = cc.labels.data;
  for (let q = 0; q < labels.length; q++) {
    const l = labels[q]!;
    if (!l) continue;
    const k = Math.floor(q / (bw * bh));
    if (k < lo[l]!) lo[l] = k;
    if (k > hi[l]!) hi[l] = k;
  }
  for (let k = 0; k < bd; k++) {
    for (let j = 0; j < bh; j++) {
      for (let i = 0; i < bw; i++) {
        const l = labels[(k * bh + j) * bw + i]!;
        if (l && (hi[l]! - lo[l]! + 1) * sp < MIN_LENGTH_MM) out[at(i, j, k)] = 0;
      }
    }
  }
  for (let k = 1; k < bd - 1; k++) {
    for (let j = 0; j < bh; j++) {
      for (let i = 0; i < bw; i++) {
        const p = at(i, j, k);
        if (!out[p] && out[p - nxy] === 1 && out[p + nxy] === 1 && hu[p]! >= 60 && hu[p]! <= LUMEN_MAX_HU) out[p] = 2;
      }
    }
  }
  for (let k = 0; k < bd; k++) for (let j = 0; j < bh; j++) for (let i = 0; i < bw; i++) if (out[at(i, j, k)]) out[at(i, j, k)] = 1;
}

/**
 * Paints the lumen in `vessels` as unenhanced blood in the work grid (mutates `g.hu`, which the
 * engine owns): no later step (bone threshold, ring fill, growth into marrow) then takes it as bone.
 */
export function eraseVessels(g: WorkGrid, vessels: Uint8Array): void {
  for (let p = 0; p < vessels.length; p++) if (vessels[p]) g.hu[p] = UNENHANCED_BLOOD_HU;
}
