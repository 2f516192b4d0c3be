/**
 * Per-vertebra instance masks on the work grid. Bone (≥ 150 HU, cavities filled so osteoporotic
 * marrow counts) is assigned to the vertebra whose body seed reaches it first through bone
 * (multi-source breadth-first search = geodesic nearest seed): posterior elements follow their
 * own pedicles rather than the nearest disc plane. The masks keep only bone near the column;
 * bone reached further out (ribs, sacral alae + ilium) is measured as labelling evidence.
 */
import type { Body } from './bodies.js';
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';

export interface SegmentEvidence {
  /** Volume (mL) of bone reached from this vertebra ≥ 60 mm lateral of the canal (or ≥ 40 mm and 25 mm in front of it), per side. */
  lateralLeftMl: number;
  lateralRightMl: number;
  /** Same, but ≥ 40 mm lateral and within the vertebra's own height (alae, transverse processes). */
  wingMl: number;
  voxels: number;
}

export interface Instances {
  /** Work-grid instance labels (1..segments). */
  instance: Uint8Array;
  /** Work-grid parts: 1 body, 2 posterior elements, 3 canal. */
  part: Uint8Array;
  evidence: SegmentEvidence[];
}

export function buildInstances(g: WorkGrid, canal: CanalPath, bodies: Body[], filled: Uint8Array): Instances {
  const { nx, ny, nz, sp } = g;
  const nxy = nx * ny;
  const n = nxy * nz;
  const label = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  bodies.forEach((b, bi) => {
    for (const p of b.voxels) {
      if (label[p]) continue;
      label[p] = bi + 1;
      queue[tail++] = p;
    }
  });
  while (head < tail) {
    const p = queue[head++]!;
    const l = label[p]!;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = (p - i - j * nx) / nxy;
    if (i > 0 && filled[p - 1] && !label[p - 1]) { label[p - 1] = l; queue[tail++] = p - 1; }
    if (i < nx - 1 && filled[p + 1] && !label[p + 1]) { label[p + 1] = l; queue[tail++] = p + 1; }
    if (j > 0 && filled[p - nx] && !label[p - nx]) { label[p - nx] = l; queue[tail++] = p - nx; }
    if (j < ny - 1 && filled[p + nx] && !label[p + nx]) { label[p + nx] = l; queue[tail++] = p + nx; }
    if (k > 0 && filled[p - nxy] && !label[p - nxy]) { label[p - nxy] = l; queue[tail++] = p - nxy; }
    if (k < nz - 1 && filled[p + nxy] && !label[p + nxy]) { label[p + nxy] = l; queue[tail++] = p + nxy; }
  }

  // Canal position per slice, and how far in front of it the bodies reach.
  const cx = canal.x;
  const cy = canal.y;
  const gapK = canal.anteriorGapMm;
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
  const ev: SegmentEvidence[] = bodies.map(() => ({ lateralLeftMl: 0, lateralRightMl: 0, wingMl: 0, voxels: 0 }));
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
        const lat = i * sp - x0;
        const ant = y0 - j * sp; // anterior of the canal centre
        if (!l) {
          if (canal.enclosure[p]! >= 8 && Math.hypot(lat, ant) <= 12 && kk === k) part[p] = 3;
          continue;
        }
        const e = ev[l - 1]!;
        const alat = Math.abs(lat);
        // Rib: bone far out laterally, or already curving forward beside the body (the short
        // first rib stays within ~55 mm of the midline); transverse processes do neither.
        if (alat >= 60 || (alat >= 40 && ant >= 25)) {
          if (lat > 0) e.lateralLeftMl += ml;
          else e.lateralRightMl += ml;
        }
        if (alat >= 40 && z >= zRange[(l - 1) * 2]! - 4 && z <= zRange[(l - 1) * 2 + 1]! + 4) e.wingMl += ml;
        if (alat > 55 || ant > antK[kk]! || ant < -75) continue;
        instance[p] = l;
        part[p] = ant > gapK[kk]! - 1 ? 1 : 2;
        e.voxels++;
      }
    }
  }
  growIntoMarrow(g, instance, part, 100, 2);
  fillSliceHoles(g, instance, part);
  return { instance, part, evidence: ev };
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
