/**
 * Re-divides two neighbouring vertebral bodies at their disc, at the input resolution, with one
 * plane per endplate. A tilted disc (L5/S1) is a wedge: the two endplates differ by 10° or more,
 * so the single cutting plane that separated the bodies on the work grid leaves the front corner
 * of the upper body (its inferior endplate's lip) and part of the disc in the lower body. Each
 * endplate is instead fitted as its own plane through the lines along the cranio-caudal axis that
 * cross the disc: in each line, the disc is a dark run (< DISC_MAX_HU, ≥ 3 mm and 2 voxels) with
 * bone (≥ BONE_HU) on either side; the last bone before it is the upper body's endplate and the
 * first after it the lower body's. Then bone of the lower body above the upper plane goes to the
 * upper body (and vice versa), and dark voxels between the planes (disc) leave both.
 * segmentSpineCT applies it to the lumbosacral pair only (see the call there for why).
 * Pairs with too few such lines, whose planes fit badly, cross or differ in tilt by more than a
 * disc wedge, and pairs of low-density bodies (marrow as dark as disc), are left as they were.
 */
import { solve3, type Volume } from '@rachis/imaging';
import { cranioCaudalAxis } from './grid.js';
import { BONE_HU } from './bodies.js';
import { labelledBox } from './box.js';
import type { Box } from './box.js';

/** A disc reads about 70–110 HU on CT; darker than this between two endplates is disc. */
export const DISC_MAX_HU = 110;
/** A disc run is at least this thick (mm) and this many voxels: thinner is the partial volume of one endplate. */
export const DISC_MIN_MM = 3;
const DISC_MIN_VOXELS = 2;
/** The disc is looked for this far (mm) beyond the two bodies' labelled ends in a line. */
const SEARCH_MM = 10;
/** Lines needed per endplate plane, and the largest RMS residual (mm) of an accepted plane. */
const MIN_LINES = 20;
const MAX_RMS_MM = 2.5;

/** The two faces of one disc differ in tilt by at most this (degrees): an L5/S1 disc is a wedge of
 * about 10–20°, and a plane fitted through marrow runs of a low-density body (which read like
 * disc) is not parallel to the other face. */
const MAX_WEDGE_DEG = 20;
/** Bodies whose median HU is below this are left alone: their marrow reads like disc (osteoporosis),
 * so a dark run between two bright plates may be a body's marrow between its own endplates. */
const MIN_BODY_MEDIAN_HU = DISC_MAX_HU + 30;
/** Share of a plane's points within 1.5 voxels of it, at least. */
const MIN_INLIERS = 0.5;

/** Plane t = c0 + c1·a + c2·b (t along the cranio-caudal axis in voxels, increasing caudally). */
type Plane = [number, number, number];

interface Point {
  a: number;
  b: number;
  t: number;
}

/** Least-squares plane through `pts`, refitted twice without points more than 1.5 voxels off. */
function fitPlane(pts: readonly Point[], maxRmsVoxels: number): Plane | undefined {
  let use = pts;
  let plane: Plane | undefined;
  for (let pass = 0; pass < 3; pass++) {
    if (use.length < MIN_LINES) return undefined;
    const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const r = [0, 0, 0];
    for (const p of use) {
      const x = [1, p.a, p.b];
      for (let i = 0; i < 3; i++) {
        r[i]! += x[i]! * p.t;
        for (let j = 0; j < 3; j++) m[i * 3 + j]! += x[i]! * x[j]!;
      }
    }
    plane = solve3(m, r);
    if (!plane) return undefined;
    const at = plane;
    const residual = (p: Point): number => Math.abs(p.t - (at[0] + at[1] * p.a + at[2] * p.b));
    use = pts.filter((p) => residual(p) <= 1.5);
  }
  if (!plane) return undefined;
  const fit = plane;
  const rms = Math.sqrt(use.reduce((acc, p) => acc + (p.t - (fit[0] + fit[1] * p.a + fit[2] * p.b)) ** 2, 0) / Math.max(1, use.length));
  return use.length >= MIN_LINES && use.length >= MIN_INLIERS * pts.length && rms <= maxRmsVoxels ? plane : undefined;
}

/** Median HU of each instance's vertebral body (part 1) within `box`, 1 HU bins over −1024…3071. */
export function bodyMedianHU(volume: Volume, instance: Uint8Array, part: Uint8Array, box: Box = labelledBox(volume.size, instance)): Map<number, number> {
  const [nx, ny] = volume.size;
  const hist = new Map<number, Uint32Array>();
  for (let k = box.lo[2]; k <= box.hi[2]; k++) {
    for (let j = box.lo[1]; j <= box.hi[1]; j++) {
      for (let i = box.lo[0]; i <= box.hi[0]; i++) {
        const p = i + nx * (j + ny * k);
        if (!instance[p] || part[p] !== 1) continue;
        let h = hist.get(instance[p]!);
        if (!h) hist.set(instance[p]!, (h = new Uint32Array(4096)));
        h[Math.min(4095, Math.max(0, Math.round(volume.data[p]!) + 1024))]! += 1;
      }
    }
  }
  const median = new Map<number, number>();
  for (const [l, h] of hist) {
    const n = h.reduce((a, x) => a + x, 0);
    let acc = 0;
    let b = 0;
    while (b < 4095 && acc + h[b]! < n / 2) acc += h[b++]!;
    median.set(l, b - 1024);
  }
  return median;
}

/** Angle (degrees) between two planes t(a, b) given in voxel units, with voxel sizes [a, b, t] in mm. */
function angleDeg(p: Plane, q: Plane, mm: readonly [number, number, number]): number {
  const normal = (x: Plane): [number, number, number] => [(-x[1] * mm[2]) / mm[0], (-x[2] * mm[2]) / mm[1], 1];
  const [m, n] = [normal(p), normal(q)];
  const dot = m[0] * n[0] + m[1] * n[1] + m[2] * n[2];
  const cos = dot / (Math.hypot(...m) * Math.hypot(...n));
  return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
}


/**
 * For each pair of consecutive instances (instance l above l + 1, as segmentSpineCT numbers them
 * cranial → caudal) with l in `uppers` whose bodies (part 1) share lines along the cranio-caudal
 * axis: fit the two endplate planes and re-divide (see the file comment). Mutates `instance` and
 * `part`.
 */
export function splitBodiesAtDiscs(volume: Volume, instance: Uint8Array, part: Uint8Array, uppers: ReadonlySet<number>, box: Box = labelledBox(volume.size, instance)): void {
  const axis = cranioCaudalAxis(volume.direction);
  const [u, v] = [0, 1, 2].filter((x) => x !== axis) as [number, number];
  const size = volume.size;
  const stride = [1, size[0], size[0] * size[1]];
  const n = size[axis]!;
  // Index steps along the axis go cranially when the axis points superior (LPS +z).
  const caudalStep = volume.direction[6 + axis]! > 0 ? -1 : 1;
  const hu = volume.data;
  const spacing = volume.spacing[axis]!;
  const minRun = Math.max(DISC_MIN_VOXELS, Math.ceil(DISC_MIN_MM / spacing - 1e-6));
  const reach = Math.round(SEARCH_MM / spacing);
  // Caudal coordinate t (0 = most cranial slice) → voxel index in line (a, b).
  const at = (a: number, b: number, t: number): number => a * stride[u]! + b * stride[v]! + (caudalStep > 0 ? t : n - 1 - t) * stride[axis]!;
  if (uppers.size === 0) return;
  const wanted = new Set([...uppers].flatMap((l) => [l, l + 1]));
  // Each wanted body's box in (a, b, t): only the union box of a pair is searched.
  const boxes = new Map<number, [number, number, number, number, number, number]>();
  for (let k = box.lo[2]; k <= box.hi[2]; k++) {
    for (let j = box.lo[1]; j <= box.hi[1]; j++) {
      for (let i = box.lo[0]; i <= box.hi[0]; i++) {
        const p = i + j * stride[1]! + k * stride[2]!;
        if (!wanted.has(instance[p]!) || part[p] !== 1) continue;
        const idx = [i, j, k];
        const [a, b, s] = [idx[u]!, idx[v]!, idx[axis]!];
        const t = caudalStep > 0 ? s : n - 1 - s;
        const x = boxes.get(instance[p]!);
        if (!x) boxes.set(instance[p]!, [a, a, b, b, t, t]);
        else {
          x[0] = Math.min(x[0], a); x[1] = Math.max(x[1], a);
          x[2] = Math.min(x[2], b); x[3] = Math.max(x[3], b);
          x[4] = Math.min(x[4], t); x[5] = Math.max(x[5], t);
        }
      }
    }
  }
  const median = bodyMedianHU(volume, instance, part, box);
  for (const upper of uppers) {
    const lower = upper + 1;
    const [bu, bd] = [boxes.get(upper), boxes.get(lower)];
    if (!bu || !bd || Math.min(median.get(upper)!, median.get(lower)!) < MIN_BODY_MEDIAN_HU) continue;
    const [a0, a1, b0, b1] = [Math.max(bu[0], bd[0]), Math.min(bu[1], bd[1]), Math.max(bu[2], bd[2]), Math.min(bu[3], bd[3])];
    const [t0, t1] = [Math.max(0, Math.min(bu[4], bd[4]) - reach), Math.min(n - 1, Math.max(bu[5], bd[5]) + reach)];
    const upperPts: Point[] = [];
    const lowerPts: Point[] = [];
    // Lines that hold both bodies: only there is a voxel re-divided (the sacral alae beside
    // L5's body, say, are not).
    const shared: [number, number][] = [];
    const ours = (p: number): boolean => !instance[p] || instance[p] === upper || instance[p] === lower;
    for (let b = b0; b <= b1; b++) {
      for (let a = a0; a <= a1; a++) {
        let uEnd = -1;
        let dStart = -1;
        for (let t = t0; t <= t1; t++) {
          const p = at(a, b, t);
          if (part[p] !== 1) continue;
          if (instance[p] === upper) uEnd = t;
          else if (instance[p] === lower && dStart < 0) dStart = t;
        }
        if (uEnd < 0 || dStart < 0) continue;
        shared.push([a, b]);
        // The dark run nearest the labels' meeting point, between bone on both sides.
        const mid = (uEnd + dStart) / 2;
        const from = Math.max(t0, Math.min(uEnd, dStart) - reach);
        const to = Math.min(t1, Math.max(uEnd, dStart) + reach);
        const dark = (t: number): boolean => hu[at(a, b, t)]! < DISC_MAX_HU && ours(at(a, b, t));
        let best: { s: number; e: number } | undefined;
        for (let t = from; t <= to; t++) {
          if (!dark(t)) continue;
          let e = t;
          while (e + 1 <= to && dark(e + 1)) e++;
          if (e - t + 1 >= minRun && (!best || Math.abs((t + e) / 2 - mid) < Math.abs((best.s + best.e) / 2 - mid))) best = { s: t, e };
          t = e;
        }
        if (!best) continue;
        const bone = (t: number): boolean => {
          if (t < 0 || t >= n) return false;
          const p = at(a, b, t);
          return hu[p]! >= BONE_HU && part[p] === 1 && (instance[p] === upper || instance[p] === lower);
        };
        // Plane points on the disc's faces: half a voxel outside the bone on either side.
        if (bone(best.s - 1)) upperPts.push({ a, b, t: best.s - 0.5 });
        if (bone(best.e + 1)) lowerPts.push({ a, b, t: best.e + 0.5 });
      }
    }
    const maxRms = MAX_RMS_MM / spacing;
    const pu = fitPlane(upperPts, maxRms);
    const pd = fitPlane(lowerPts, maxRms);
    if (!pu || !pd) continue;
    if (angleDeg(pu, pd, [volume.spacing[u]!, volume.spacing[v]!, spacing]) > MAX_WEDGE_DEG) continue;
    const plane = (q: Plane, a: number, b: number): number => q[0] + q[1] * a + q[2] * b;
    // Planes that cross where both bodies are are not the two faces of one disc.
    if (shared.some(([a, b]) => plane(pd, a, b) - plane(pu, a, b) < 0)) continue;
    for (const [a, b] of shared) {
      const tu = plane(pu, a, b);
      const td = plane(pd, a, b);
      for (let t = t0; t <= t1; t++) {
        const p = at(a, b, t);
        if (part[p] !== 1 || (instance[p] !== upper && instance[p] !== lower)) continue;
        if (t < tu) {
          if (instance[p] === lower && hu[p]! >= BONE_HU) instance[p] = upper;
        } else if (t > td) {
          if (instance[p] === upper && hu[p]! >= BONE_HU) instance[p] = lower;
        } else if (hu[p]! < DISC_MAX_HU) {
          instance[p] = 0;
          part[p] = 0;
        }
      }
    }
  }
}
