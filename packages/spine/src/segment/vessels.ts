/**
 * Enhanced great vessels (aorta, IVC, iliac arteries) in front of the spine. On contrast CT their
 * lumen (130–500 HU) reads as bone and, where a vessel touches a vertebral body, it joins the body
 * (and through the body the next level along the column). A lumen is a homogeneous disk with
 * soft tissue or fat around most of it and no bright rim; a body's cross-section is the opposite
 * on each count: heterogeneous marrow, a cortical rim, and the canal right behind it. The lumen
 * found here is erased from the work grid before the bodies are detected.
 */
import { connectedComponents } from '@rachis/imaging';
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
  // Summed-area tables of HU and HU² per slice (one slice at a time).
  const s1 = new Float64Array((nx + 1) * (ny + 1));
  const s2 = new Float64Array((nx + 1) * (ny + 1));
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
    const gap = Math.min(canal.anteriorGapMm[k]!, 20);
    const base = k * nxy;
    for (let j = 0; j < ny; j++) {
      let r1 = 0;
      let r2 = 0;
      for (let i = 0; i < nx; i++) {
        const v = hu[base + j * nx + i]!;
        r1 += v;
        r2 += v * v;
        const q = (j + 1) * (nx + 1) + i + 1;
        s1[q] = s1[q - nx - 1]! + r1;
        s2[q] = s2[q - nx - 1]! + r2;
      }
    }
    const box = (t: Float64Array, i0: number, j0: number, i1: number, j1: number): number =>
      t[(j1 + 1) * (nx + 1) + i1 + 1]! - t[j0 * (nx + 1) + i1 + 1]! - t[(j1 + 1) * (nx + 1) + i0]! + t[j0 * (nx + 1) + i0]!;
    const hits: Hit[] = [];
    const jLo = Math.max(margin, Math.ceil((y0 - MAX_ANTERIOR_MM) / sp));
    const jHi = Math.min(ny - 1 - margin, Math.floor((y0 - gap) / sp));
    const iLo = Math.max(margin, Math.ceil((x0 - MAX_LATERAL_MM) / sp));
    const iHi = Math.min(nx - 1 - margin, Math.floor((x0 + MAX_LATERAL_MM) / sp));
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
        }
      }
    }
  }
  // A vessel is a tube: blobs seen over a few slices only (bowel, a kidney pole, an endplate) are dropped.
  // Slices are linked across a one-slice gap (the test can miss a slice where the vessel touches
  // something bright).
  const linked = new Uint8Array(out.length);
  for (let p = 0; p < out.length; p++) if (out[p] || (p >= nxy && out[p - nxy]) || (p + nxy < out.length && out[p + nxy])) linked[p] = 1;
  const cc = connectedComponents({ ...g.geometry, data: linked }, 6);
  const lo = new Int32Array(cc.sizes.length + 1).fill(nz);
  const hi = new Int32Array(cc.sizes.length + 1).fill(-1);
  cc.labels.data.forEach((l, p) => {
    if (!l) return;
    const k = Math.floor(p / nxy);
    if (k < lo[l]!) lo[l] = k;
    if (k > hi[l]!) hi[l] = k;
  });
  cc.labels.data.forEach((l, p) => {
    if (l && (hi[l]! - lo[l]! + 1) * sp < MIN_LENGTH_MM) out[p] = 0;
  });
  // A slice the test missed inside a tube: its lumen lies where the slices above and below agree.
  for (let p = nxy; p < out.length - nxy; p++) {
    if (!out[p] && out[p - nxy] === 1 && out[p + nxy] === 1 && hu[p]! >= 60 && hu[p]! <= LUMEN_MAX_HU) out[p] = 2;
  }
  for (let p = 0; p < out.length; p++) if (out[p]) out[p] = 1;
  return out;
}

/**
 * Paints the lumen in `vessels` as unenhanced blood in the work grid (mutates `g.hu`, which the
 * engine owns): no later step (bone threshold, ring fill, growth into marrow) then takes it as bone.
 */
export function eraseVessels(g: WorkGrid, vessels: Uint8Array): void {
  for (let p = 0; p < vessels.length; p++) if (vessels[p]) g.hu[p] = UNENHANCED_BLOOD_HU;
}
