/**
 * Per-vertebra instance masks on the work grid. Bone (≥ 150 HU, cavities filled so osteoporotic
 * marrow counts) is assigned to the vertebra whose body seed reaches it first through bone
 * (multi-source geodesic growth, faint bone costing more): posterior elements follow their own
 * pedicles rather than the nearest disc plane or a partial-volume contact with the next arch. The masks keep only bone near the column;
 * bone reached further out (ribs, sacral alae + ilium) is measured as labelling evidence. Neither
 * grows out through the front of a body (vessels and enhanced organs touch it there).
 */
import { quantile } from './stats.js';
import { BONE_HU } from './bodies.js';
import type { Body } from './bodies.js';
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';
import { looseRibEvidence } from './ribs.js';

export interface SegmentEvidence {
  /** Volume (mL) of bone reached from this vertebra ≥ 60 mm lateral of the canal (or ≥ 40 mm and 25 mm in front of it), per side. */
  lateralLeftMl: number;
  lateralRightMl: number;
  /** Same, but ≥ 40 mm lateral and within the vertebra's own height (alae, transverse processes). */
  wingMl: number;
  /** Free rib bone beside this vertebra that its own bone does not reach (ribs.ts), per side. */
  looseRibLeftMl: number;
  looseRibRightMl: number;
  voxels: number;
}

export interface Instances {
  /** Work-grid instance labels (1..segments). */
  instance: Uint8Array;
  /** Work-grid parts: 1 body, 2 posterior elements, 3 canal. */
  part: Uint8Array;
  evidence: SegmentEvidence[];
}

/**
 * How far along the column (in body heights) a vertebra's bone may reach above and below its
 * body: the arch rises a little above the upper endplate, the inferior articular and spinous
 * processes reach about half a level down. Without the limit a vertebra's arch walks through a
 * bridged facet joint into its neighbour's (e.g. L5 taking the whole posterior sacrum).
 */
const REACH_ABOVE = 0.35;
const REACH_BELOW = 0.7;
/**
 * Behind the canal near the midline the reach above is shorter: what rises above a body is its
 * superior articular processes, beside the canal; its laminae and spinous process lie at or below
 * its upper endplate. Without this the sacrum's front crossed the L5/S1 facet joints into the L5
 * laminae (example_ct, 3 mm: a near-tie of geodesic distance, 22 vs 24).
 */
const REACH_ABOVE_MIDLINE = 0.1;
const MIDLINE_HALF_WIDTH_MM = 10;
const BEHIND_CANAL_MM = 5;
/** Label of the iliac bones in the mask pass; never an instance. */
const PELVIS = 255;
const PELVIS_LATERAL_MM = 75;

/** Bone at least this dense (HU) is solid; fainter filled voxels (partial-volume contacts, marrow) cost more to cross. */
const SOLID_HU = 400;
/**
 * Extra cost of a step into bone at or below the bone threshold, in steps through solid bone. A
 * spinous process or inferior articular process hangs down beside the next arch; the lower
 * vertebra's front reaches it through a contact one or two voxels thick, about 10 mm sooner than
 * the front coming down its own lamina. At 6 those faint voxels outweigh that head start.
 * (example_ct, 3 mm: without the cost each lumbar level took ~100 voxels of the one above.)
 */
const FAINT_STEP_COST = 6;

function stepCost(hu: number): number {
  return 1 + FAINT_STEP_COST * Math.min(1, Math.max(0, (SOLID_HU - hu) / (SOLID_HU - BONE_HU)));
}

/**
 * Min-heap of (distance, label, voxel) for the geodesic growth; equal distances go to the lower
 * label (the upper vertebra; the pelvis, 255, last). Hand-written: a few lines over typed arrays
 * beat any general priority-queue package for millions of numeric entries.
 */
const precedes = (d1: number, l1: number, d2: number, l2: number): boolean => d1 < d2 || (d1 === d2 && l1 < l2);

class GrowHeap {
  private d = new Float64Array(1024);
  private l = new Uint8Array(1024);
  private p = new Int32Array(1024);
  size = 0;
  /** Whether entry i comes strictly before (d, l). */
  private before(i: number, d: number, l: number): boolean {
    return precedes(this.d[i]!, this.l[i]!, d, l);
  }
  private put(i: number, d: number, l: number, p: number): void {
    this.d[i] = d;
    this.l[i] = l;
    this.p[i] = p;
  }
  push(d: number, l: number, p: number): void {
    if (this.size === this.d.length) {
      const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.d = grow(this.d);
      this.l = grow(this.l);
      this.p = grow(this.p);
    }
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!precedes(d, l, this.d[up]!, this.l[up]!)) break;
      this.put(i, this.d[up]!, this.l[up]!, this.p[up]!);
      i = up;
    }
    this.put(i, d, l, p);
  }
  pop(): { d: number; l: number; p: number } {
    const out = { d: this.d[0]!, l: this.l[0]!, p: this.p[0]! };
    const last = --this.size;
    const [d, l, p] = [this.d[last]!, this.l[last]!, this.p[last]!];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.before(c + 1, this.d[c]!, this.l[c]!)) c++;
      if (!this.before(c, d, l)) break;
      this.put(i, this.d[c]!, this.l[c]!, this.p[c]!);
      i = c;
    }
    this.put(i, d, l, p);
    return out;
  }
}

/**
 * Multi-source geodesic growth through filled bone from the labelled voxels of `lab` (in place;
 * `may(q, l)`: label l may take voxel q). A step costs more the fainter the bone it enters
 * (`stepCost`): where two vertebrae touch through a facet joint or a spinous process resting on
 * the arch below, the contact is partial-volume bone, so each front stops there instead of
 * walking into its neighbour's arch.
 */
export function growThroughBone(g: Pick<WorkGrid, 'nx' | 'ny' | 'nz' | 'hu'>, filled: Uint8Array, lab: Uint8Array, may: (q: number, l: number) => boolean): void {
  const { nx, ny, nz, hu } = g;
  const nxy = nx * ny;
  const n = nxy * nz;
  const heap = new GrowHeap();
  for (let p = 0; p < n; p++) if (lab[p]) heap.push(0, lab[p]!, p);
  const dist = new Float32Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  while (heap.size > 0) {
    const { d, l, p } = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    lab[p] = l;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = (p - i - j * nx) / nxy;
    const visit = (q: number): void => {
      if (done[q] || filled[q] !== 1 || lab[q] || !may(q, l)) return;
      const dq = d + stepCost(hu[q]!);
      if (dq >= dist[q]!) return;
      dist[q] = dq;
      heap.push(dq, l, q);
    };
    if (i > 0) visit(p - 1);
    if (i < nx - 1) visit(p + 1);
    if (j > 0) visit(p - nx);
    if (j < ny - 1) visit(p + nx);
    if (k > 0) visit(p - nxy);
    if (k < nz - 1) visit(p + nxy);
  }
}

export function buildInstances(g: WorkGrid, canal: CanalPath, bodies: Body[], filled: Uint8Array, columnPos: (p: number) => number): Instances {
  const { nx, ny, nz, sp } = g;
  const nxy = nx * ny;
  const n = nxy * nz;
  const label = new Uint8Array(n);
  const lo = new Float64Array(bodies.length + 1).fill(-Infinity);
  const hi = new Float64Array(bodies.length + 1).fill(Infinity);
  // The range of the body's posterior wall (≤ 10 mm in front of the canal's front edge): a
  // tilted body (L5) spans much more of the column anteriorly than where its arch attaches.
  bodies.forEach((b, bi) => {
    let s0 = Infinity;
    let s1 = -Infinity;
    for (const p of b.voxels) {
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = Math.floor(p / nxy);
      if (Number.isNaN(canal.y[k]!) || canal.y[k]! - j * sp > canal.posteriorGapMm[k]! + 10) continue;
      const s = columnPos(p);
      s0 = Math.min(s0, s);
      s1 = Math.max(s1, s);
    }
    if (s0 > s1) return;
    lo[bi + 1] = s0;
    hi[bi + 1] = s1;
  });
  // Reach in units of the median wall height: the sacrum's tall range must not lift its reach.
  const hs: number[] = [];
  for (let l = 1; l <= bodies.length; l++) if (hi[l]! < Infinity) hs.push(hi[l]! - lo[l]! + 1);
  const h = quantile(hs, 0.5) ?? 10;
  const loMidline = new Float64Array(bodies.length + 1).fill(-Infinity);
  for (let l = 1; l <= bodies.length; l++) {
    if (hi[l] === Infinity) continue;
    loMidline[l] = lo[l]! - REACH_ABOVE_MIDLINE * h;
    lo[l] = lo[l]! - REACH_ABOVE * h;
    hi[l] = hi[l]! + REACH_BELOW * h;
  }
  const behindCanalMidline = (q: number): boolean => {
    const k = Math.floor(q / nxy);
    const x0 = canal.x[k]!;
    if (Number.isNaN(x0)) return false;
    const i = q % nx;
    return Math.abs(i * sp - x0) < MIDLINE_HALF_WIDTH_MM && canal.y[k]! - ((q % nxy - i) / nx) * sp < -BEHIND_CANAL_MM;
  };
  const reach = (q: number, l: number): boolean => {
    const s = columnPos(q);
    if (s < lo[l]! || s > hi[l]!) return false;
    return s >= loMidline[l]! || !behindCanalMidline(q);
  };
  bodies.forEach((b, bi) => {
    for (const p of b.voxels) if (!label[p]) label[p] = bi + 1;
  });
  const maskLabel = label.slice();
  // Both passes grow only from behind each body's mid-coronal plane (`frontOf`). The evidence
  // pass then grows on through the front too, so that what only the front reaches still counts
  // as reached, not as a free rib (ribs.ts).
  const front = frontOf(g, canal, bodies);
  const fromBehind = (q: number, l: number): boolean => reach(q, l) && !front(q, l);
  growThroughBone(g, filled, label, fromBehind);
  const own = label.slice();
  growThroughBone(g, filled, label, reach);
  // Second pass for the masks: the iliac bones compete from far out laterally (≥ 75 mm of the
  // lowest body, from its top down), so the fronts meet near the sacroiliac joints and the
  // ilium, which the 2 mm grid joins to the sacrum, stays out of the sacrum and L5. The first
  // pass, without them, still measures the sacral wings and ribs as labelling evidence.
  const bottom = bodies.at(-1);
  if (bottom) {
    const kTop = Math.min(nz - 1, bottom.k1 + Math.round(10 / sp));
    for (let k = 0; k <= kTop; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const p = i + j * nx + k * nxy;
          if (filled[p] && !maskLabel[p] && Math.abs(i * sp - bottom.centroid[0]) >= PELVIS_LATERAL_MM) maskLabel[p] = PELVIS;
        }
      }
    }
  }
  growThroughBone(g, filled, maskLabel, (q, l) => l === PELVIS || fromBehind(q, l));

  // Canal position per slice, and how far in front of it the bodies reach.
  const cx = canal.x;
  const { cy, gapK } = withoutForwardJumps(canal, Math.round(JUMP_WINDOW_MM / sp));
  const antK = new Float64Array(nz).fill(-Infinity);
  for (const b of bodies) {
    for (const p of b.voxels) {
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = (p - i - j * nx) / nxy;
      if (!Number.isNaN(cy[k]!)) antK[k] = Math.max(antK[k]!, cy[k]! - j * sp + 3);
    }
  }
  for (let k = 0; k < nz; k++) if (antK[k] === -Infinity) antK[k] = 45;
  const zRange = new Float64Array(bodies.length * 2);
  bodies.forEach((b, bi) => {
    zRange[bi * 2] = b.k0 * sp;
    zRange[bi * 2 + 1] = b.k1 * sp;
  });
  const instance = new Uint8Array(n);
  const part = new Uint8Array(n);
  // Nor is free bone in front of a body a rib (a rib's head lies behind it): a vessel there
  // curving out beside the body would pass for one.
  const behind = filled.slice();
  const nearest = new Int32Array(nz).map((_, k) => 1 + bodies.reduce((b, x, i) => (Math.abs(x.centroid[2] - k * sp) < Math.abs(bodies[b]!.centroid[2] - k * sp) ? i : b), 0));
  for (let p = 0; p < n; p++) if (behind[p] && front(p, nearest[Math.floor(p / nxy)]!)) behind[p] = 0;
  const loose = looseRibEvidence(g, canal, bodies, behind, label);
  const ev: SegmentEvidence[] = bodies.map((_, bi) => ({ lateralLeftMl: 0, lateralRightMl: 0, wingMl: 0, looseRibLeftMl: loose[bi]!.left, looseRibRightMl: loose[bi]!.right, voxels: 0 }));
  const ml = (sp * sp * sp) / 1000;
  for (let k = 0; k < nz; k++) {
    // nearest slice with a canal position (the column may tilt beyond the labelled slices)
    let kk = k;
    if (Number.isNaN(cx[k]!)) {
      let best = -1;
      for (let d = 1; d < 40 && best < 0; d++) {
        if (k - d >= 0 && !Number.isNaN(cx[k - d]!)) best = k - d;
        else if (k + d < nz && !Number.isNaN(cx[k + d]!)) best = k + d;
      }
      if (best < 0) continue;
      kk = best;
    }
    const x0 = cx[kk]!;
    const y0 = cy[kk]!;
    const z = k * sp;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = i + j * nx + k * nxy;
        const l = label[p]!;
        const lm = maskLabel[p]!;
        const lat = i * sp - x0;
        const ant = y0 - j * sp; // anterior of the canal centre
        if (!l) {
          if (canal.enclosure[p]! >= 8 && Math.hypot(lat, ant) <= 12 && kk === k) part[p] = 3;
          continue;
        }
        const alat = Math.abs(lat);
        const o = own[p]!;
        const e = ev[o - 1];
        if (e) {
          // Rib: bone far out laterally, or already curving forward beside the body (the short
          // first rib stays within ~55 mm of the midline); transverse processes do neither.
          if (alat >= 60 || (alat >= 40 && ant >= 25)) {
            if (lat > 0) e.lateralLeftMl += ml;
            else e.lateralRightMl += ml;
          }
          if (alat >= 40 && z >= zRange[(o - 1) * 2]! - 4 && z <= zRange[(o - 1) * 2 + 1]! + 4) e.wingMl += ml;
        }
        if (alat > 55 || ant > antK[kk]! || ant < -75 || !lm || lm === PELVIS) continue;
        instance[p] = lm;
        part[p] = ant > gapK[kk]! - 1 ? 1 : 2;
        ev[lm - 1]!.voxels++;
      }
    }
  }
  growIntoMarrow(g, instance, part, 100, 2);
  fillSliceHoles(g, instance, part);
  return { instance, part, evidence: ev };
}

/**
 * Whether voxel q lies in front of the mid-coronal plane of body l (1-based; its mean depth in
 * front of the canal centre) and within 40 mm of the midline: the body's anterior half and the
 * space in front of it. A vertebra's lateral bone leaves it behind that plane (rib heads at the
 * posterolateral corner, transverse processes, sacral alae beside the pedicles); what touches
 * its front is a vessel, an enhanced organ or an osteophyte. On portal-venous CT the cava and a
 * renal vein (150–250 HU) join a lumbar body to the kidney, 60 mL of "wing" or "rib" otherwise.
 */
function frontOf(g: WorkGrid, canal: CanalPath, bodies: readonly Body[]): (q: number, l: number) => boolean {
  const { nx, ny, sp } = g;
  const nxy = nx * ny;
  const depth = bodies.map((b) => {
    let sum = 0;
    let cnt = 0;
    for (const p of b.voxels) {
      const y0 = canal.y[Math.floor(p / nxy)]!;
      if (Number.isNaN(y0)) continue;
      sum += y0 - (((p % nxy) - (p % nx)) / nx) * sp;
      cnt++;
    }
    return cnt ? sum / cnt : Infinity;
  });
  return (q, l) => {
    const k = Math.floor(q / nxy);
    const i = q % nx;
    const x0 = canal.x[k]!;
    if (Number.isNaN(x0) || Math.abs(i * sp - x0) >= 40) return false;
    return canal.y[k]! - ((q % nxy - i) / nx) * sp > depth[l - 1]!;
  };
}

/**
 * Grow each instance by up to `steps` voxels into tissue ≥ `minHU` (marrow and partial-volume
 * rims below the bone threshold); discs (~80 HU) and muscle stay out, the canal is never taken.
 */
function growIntoMarrow(g: WorkGrid, instance: Uint8Array, part: Uint8Array, minHU: number, steps: number): void {
  const { nx, ny, nz, hu } = g;
  const nxy = nx * ny;
  const offs = [1, -1, nx, -nx, nxy, -nxy];
  let front: number[] = [];
  for (let p = 0; p < instance.length; p++) if (instance[p]) front.push(p);
  for (let s = 0; s < steps; s++) {
    const next: number[] = [];
    for (const p of front) {
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = (p - i - j * nx) / nxy;
      for (let d = 0; d < 6; d++) {
        if ((d === 0 && i === nx - 1) || (d === 1 && i === 0) || (d === 2 && j === ny - 1) || (d === 3 && j === 0) || (d === 4 && k === nz - 1) || (d === 5 && k === 0)) continue;
        const q = p + offs[d]!;
        if (instance[q] || part[q] === 3 || hu[q]! < minHU) continue;
        instance[q] = instance[p]!;
        part[q] = part[p]!;
        next.push(q);
      }
    }
    front = next;
  }
}

/**
 * Axial 2-D hole filling per instance: marrow below the bone threshold whose cortical ring is
 * closed in the slice (but leaks in 3-D through vessel foramina or thin endplates) joins the
 * vertebra as body. The canal is a hole of the arch ring: it stays canal.
 */
function fillSliceHoles(g: WorkGrid, instance: Uint8Array, part: Uint8Array): void {
  const { nx, ny, nz } = g;
  const nxy = nx * ny;
  const seen = new Uint8Array(nxy);
  const stack = new Int32Array(nxy);
  for (let k = 0; k < nz; k++) {
    const base = k * nxy;
    let any = false;
    for (let q = 0; q < nxy && !any; q++) if (instance[base + q]) any = true;
    if (!any) continue;
    seen.fill(0);
    let top = 0;
    const push = (q: number): void => {
      if (!seen[q] && !instance[base + q]) {
        seen[q] = 1;
        stack[top++] = q;
      }
    };
    for (let i = 0; i < nx; i++) {
      push(i);
      push((ny - 1) * nx + i);
    }
    for (let j = 0; j < ny; j++) {
      push(j * nx);
      push(j * nx + nx - 1);
    }
    while (top > 0) {
      const q = stack[--top]!;
      const i = q % nx;
      if (i > 0) push(q - 1);
      if (i < nx - 1) push(q + 1);
      if (q >= nx) push(q - nx);
      if (q < nxy - nx) push(q + nx);
    }
    // Unreached voxels are holes: give each the label of its nearest labelled neighbour on the row.
    for (let q = 0; q < nxy; q++) {
      const p = base + q;
      if (seen[q] || instance[p] || part[p] === 3) continue;
      let l = 0;
      for (let d = 1; d < nx && !l; d++) {
        if (q - d >= 0 && instance[p - d]) l = instance[p - d]!;
        else if (q + d < nxy && instance[p + d]) l = instance[p + d]!;
      }
      if (l) {
        instance[p] = l;
        part[p] = 1;
      }
    }
  }
}

/** Half-window (mm along the slices) of the running median that withoutForwardJumps compares with. */
const JUMP_WINDOW_MM = 10;
/** A canal centre this far (mm) in front of its running median has jumped. */
const JUMP_MM = 6;

/**
 * The canal centre per slice and its half-depth (CanalPath.posteriorGapMm), where a slice whose
 * centre lies more than JUMP_MM in front of the running median of its ±JUMP_WINDOW_MM neighbours
 * takes that median, and the body-wall plane in front of it (centre − half-depth) the median plane.
 * Why: in a low-density body (marrow ≤ 110 HU, as enclosed as the canal) the traced canal may
 * slip forward into the marrow for a few slices, through the basivertebral foramen in the
 * posterior wall. The body-wall plane follows it, so the back of the body there becomes
 * posterior elements, and its marrow is marked canal, which the later hole filling leaves out
 * (the low-BMD phantom's L1 lost its posterior-superior corner: one-off stage dump). A median
 * leaves a steady curve alone (the turn into the sacrum included) and removes only a run shorter
 * than the window. Backward jumps are left alone, and so is the plane where the centre held: the
 * half-depth follows the arch, which varies from level to level (a first version that also
 * corrected the plane alone moved lordosis on the 3 mm lumbar phantom by −0.9°).
 */
export function withoutForwardJumps(canal: CanalPath, w: number): { cy: Float64Array; gapK: Float32Array } {
  const n = canal.y.length;
  const cy = Float64Array.from(canal.y);
  const gapK = Float32Array.from(canal.posteriorGapMm);
  // The plane is undefined where nothing lies behind the centre within reach (a disc level).
  const wall = Float64Array.from(canal.y, (y, k) => (canal.posteriorGapMm[k]! > 40 ? NaN : y - canal.posteriorGapMm[k]!));
  const medianAround = (v: Float64Array, k: number): number | undefined => quantile(Array.from(v.subarray(Math.max(0, k - w), Math.min(n, k + w + 1))).filter(Number.isFinite), 0.5);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(canal.y[k]!)) continue;
    const y = medianAround(canal.y, k)!;
    if (canal.y[k]! >= y - JUMP_MM) continue;
    // The plane moves with the centre, to where its neighbours put it.
    const plane = medianAround(wall, k);
    cy[k] = y;
    if (plane !== undefined) gapK[k] = y - plane;
  }
  return { cy, gapK };
}
