/**
 * The vertebral-body mask of one instance, repaired for measurement.
 *
 * On real CT a segmented body is often not solid: osteopenic marrow (~100 HU) inside a bright
 * cortical shell falls below the engine's bone threshold, so the mask has holes and missing rows
 * (example_ct, 3 mm voxels: L1 and L4 lose whole rows in the middle of the body). An
 * endplate-to-endplate line then stops at the first hole (heights of 11–18 mm on 33 mm bodies), and
 * a trabecular ROI drawn inside the mask misses the darkest marrow (HU reads high).
 *
 * The repair uses one anatomical fact: a vertebral body is convex along its column axis, so a line
 * parallel to the axis enters it once and leaves it once. Hence
 * 1. gap bridging along the image axis nearest the column axis: a run of ≤ `maxGapMm` outside
 *    voxels between two body voxels of the same instance is body (marrow below threshold). It cannot
 *    raise a concave (biconcave) endplate — there is no body above the dip — nor reach the next
 *    vertebra, which is another instance;
 * 2. 2-D hole filling in the sagittal and coronal slices: marrow enclosed by the cortex in a plane
 *    that contains the column axis is body (a concave endplate is open in such a plane).
 * A clean mask (a phantom) is returned unchanged.
 */
import { fillHolesInSlices, indexToWorld, type Mask, type Vec3 } from '@rachis/imaging';
import type { SpineSegmentation, VertebraResult } from '@rachis/spine';
import { collectBodies, PART_ARCH, type BodyVoxels } from './body-mask.js';
import { vertebraFrame } from './frame.js';
import type { VertebraFrame } from './types.js';

/** Longest gap bridged along the column axis: about a third of an adult body height (~25–35 mm). */
export const MAX_GAP_MM = 9;
/** Posterior corners longer than MAX_GAP_MM are taken back only from bodies this close to an image axis. */
const MAX_CORNER_TILT_DEG = 10;

export interface RepairedBody {
  /** 0/1 mask on a box of the CT grid (same spacing/direction; origin at full-grid index `lo`). */
  mask: Mask;
  /** Full-grid index of the box's first voxel (may be negative: the box has a 1-voxel margin). */
  lo: Vec3;
  /** Voxels in the original and in the repaired mask. */
  originalVoxels: number;
  repairedVoxels: number;
  /** Image axis the gaps were bridged along (0 = i, 1 = j, 2 = k). */
  axis: 0 | 1 | 2;
}

/** Image axis (i, j, k) whose direction is closest to `superior`. */
export function axisAlong(direction: readonly number[], superior: Vec3): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 2;
  let bestDot = -1;
  for (const a of [0, 1, 2] as const) {
    const d = Math.abs(direction[a]! * superior[0] + direction[3 + a]! * superior[1] + direction[6 + a]! * superior[2]);
    if (d > bestDot) [best, bestDot] = [a, d];
  }
  return best;
}

export interface RepairOptions {
  maxGapMm?: number;
  /**
   * Also take the same instance's posterior-element voxels (partMask 2) that continue a body column
   * along the axis, up to `maxGapMm`: the engine's body/posterior split sometimes gives the
   * posterior-inferior corner of the body to the posterior elements (example_ct L4: Hp 25 instead
   * of ~28 mm). Along the axis, inside the body's footprint, there is no neural arch: it joins the
   * body from behind. Longer runs are taken too when the column with them still fits the body's
   * height and the body lies within 10° of the image axis (3 mm slices: a posterior corner over
   * 4 slices). Used for heights; the density ROI does not need the corners.
   */
  absorbPosteriorParts?: boolean;
}

export function repairBodyMask(spine: SpineSegmentation, body: BodyVoxels, superior: Vec3, options: RepairOptions = {}): RepairedBody {
  const g = spine.instanceMask;
  const [nx, ny, nz] = g.size;
  const axis = axisAlong(g.direction, superior);
  const maxGap = Math.floor((options.maxGapMm ?? MAX_GAP_MM) / g.spacing[axis] + 1e-9);
  const reach = options.absorbPosteriorParts ? maxGap + 1 : 1;
  const l = [Infinity, Infinity, Infinity];
  const h = [-Infinity, -Infinity, -Infinity];
  const ijk = (idx: number): Vec3 => [idx % nx, Math.floor(idx / nx) % ny, Math.floor(idx / (nx * ny))];
  for (const idx of body.indices) {
    const q = ijk(idx);
    for (let a = 0; a < 3; a++) {
      l[a] = Math.min(l[a]!, q[a]! - (a === axis ? reach : 1));
      h[a] = Math.max(h[a]!, q[a]! + (a === axis ? reach : 1));
    }
  }
  const lo: Vec3 = [l[0]!, l[1]!, l[2]!];
  const hi: Vec3 = [h[0]!, h[1]!, h[2]!];
  const size: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const data = new Uint8Array(size[0] * size[1] * size[2]);
  const stride: Vec3 = [1, size[0], size[0] * size[1]];
  for (const idx of body.indices) {
    const q = ijk(idx);
    data[q[0] - lo[0] + stride[1] * (q[1] - lo[1]) + stride[2] * (q[2] - lo[2])] = 1;
  }
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis) as [0 | 1, 1 | 2];
  // 1. Bridge short gaps along the axis.
  for (let b = 0; b < size[v]; b++) {
    for (let a = 0; a < size[u]; a++) {
      const base = a * stride[u] + b * stride[v];
      let last = -1;
      for (let t = 0; t < size[axis]; t++) {
        if (!data[base + t * stride[axis]]) continue;
        if (last >= 0 && t - last - 1 <= maxGap) for (let f = last + 1; f < t; f++) data[base + f * stride[axis]] = 1;
        last = t;
      }
    }
  }
  if (options.absorbPosteriorParts) {
    const inst = g.data, part = spine.partMask.data;
    const isArch = (a: number, b: number, t: number): boolean => {
      const q: number[] = [];
      q[axis] = t; q[u] = a; q[v] = b;
      const i = q[0]! + lo[0], j = q[1]! + lo[1], k = q[2]! + lo[2];
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return false;
      const idx = i + nx * (j + ny * k);
      return inst[idx] === body.instance && part[idx] === PART_ARCH;
    };
    const d = g.direction;
    const alongAxis = Math.abs(d[axis]! * superior[0] + d[3 + axis]! * superior[1] + d[6 + axis]! * superior[2]) >= Math.cos((MAX_CORNER_TILT_DEG * Math.PI) / 180);
    // Only columns that run through the body (≥ half its extent along the axis): a column that
    // grazes the posterior wall has a short run, and above/below it lies the pedicle, not the body.
    const runs: [number, number, number, number][] = []; // a, b, first, last
    let longest = 0;
    for (let b = 0; b < size[v]; b++) {
      for (let a = 0; a < size[u]; a++) {
        const base = a * stride[u] + b * stride[v];
        let first = -1, last = -1;
        for (let t = 0; t < size[axis]; t++) if (data[base + t * stride[axis]]) { if (first < 0) first = t; last = t; }
        if (first < 0) continue;
        runs.push([a, b, first, last]);
        longest = Math.max(longest, last - first + 1);
      }
    }
    for (const [a, b, first, last] of runs) {
      const run = last - first + 1;
      let up = 0;
      while (last + 1 + up < size[axis] && isArch(a, b, last + 1 + up)) up++;
      let down = 0;
      while (first - 1 - down >= 0 && isArch(a, b, first - 1 - down)) down++;
      // A shorter body column whose arch-labelled ends together still fit the body's height is a
      // posterior corner given to the arch over more than maxGap (3 mm slices: 4 slices at the
      // posterior wall made a normal body's posterior height 12 of 26 mm, a false grade 3).
      // Only where image columns run along the body's axis: through a tilted body a column's run is
      // cut obliquely, and a pedicle above its posterior part would pass for a corner.
      const fits = alongAxis && run >= Math.max(2, longest / 4) && run + up + down >= longest / 2 && run + up + down <= longest;
      if (!fits && run < longest / 2) continue;
      const base = a * stride[u] + b * stride[v];
      const [addUp, addDown] = fits ? [up, down] : [Math.min(up, maxGap), Math.min(down, maxGap)];
      for (let n = 1; n <= addUp; n++) data[base + (last + n) * stride[axis]] = 1;
      for (let n = 1; n <= addDown; n++) data[base + (first - n) * stride[axis]] = 1;
    }
  }
  // 2. Fill holes in the sagittal and coronal slices (the planes that contain the axis). Never in
  //    axial slices: there a concave endplate is a hole enclosed by the rim, while in a plane that
  //    contains the axis it is open towards the disc.
  let mask: Mask = { size, spacing: g.spacing, direction: g.direction, origin: indexToWorld(g, lo), data };
  for (const across of [u, v]) mask = fillHolesInSlices(mask, across);
  let repaired = 0;
  for (const x of mask.data) repaired += x;
  return { mask, lo, originalVoxels: body.indices.length, repairedVoxels: repaired, axis };
}

/** A body ready to measure: the repaired mask, its centroid and its frame. */
export interface PreparedBody {
  vertebra: VertebraResult;
  original: BodyVoxels;
  repaired: RepairedBody;
  /** Centroid of the repaired mask (a hole-ridden mask pulls the raw centroid off-centre). */
  centroidMm: Vec3;
  frame: VertebraFrame;
}

/**
 * Every body of the segmentation, repaired, with its frame (cranial → caudal by instance).
 * Two passes: the column axis from the raw centroids picks the bridging axis; the frame is then
 * rebuilt from the repaired centroids.
 */
export function prepareBodies(spine: SpineSegmentation, options: RepairOptions = {}): Map<number, PreparedBody> {
  const bodies = collectBodies(spine);
  const verts = [...spine.vertebrae].sort((a, b) => a.instance - b.instance).filter((v) => bodies.has(v.instance));
  const raw = verts.map((v, i) => vertebraFrame(bodies.get(v.instance)!, v, bodies.get(verts[i - 1]?.instance ?? -1)?.centroidMm, bodies.get(verts[i + 1]?.instance ?? -1)?.centroidMm));
  const repaired = verts.map((v, i) => repairBodyMask(spine, bodies.get(v.instance)!, raw[i]!.superior, options));
  const centroids = repaired.map((r) => maskCentroid(r.mask));
  const out = new Map<number, PreparedBody>();
  verts.forEach((v, i) => {
    const original = bodies.get(v.instance)!;
    const frame = vertebraFrame({ ...original, centroidMm: centroids[i]! }, v, centroids[i - 1], centroids[i + 1]);
    out.set(v.instance, { vertebra: v, original, repaired: repaired[i]!, centroidMm: centroids[i]!, frame });
  });
  return out;
}

function maskCentroid(m: Mask): Vec3 {
  const [nx, ny] = m.size;
  let si = 0, sj = 0, sk = 0, n = 0;
  m.data.forEach((x, idx) => {
    if (!x) return;
    si += idx % nx;
    sj += Math.floor(idx / nx) % ny;
    sk += Math.floor(idx / (nx * ny));
    n++;
  });
  return indexToWorld(m, [si / n, sj / n, sk / n]);
}
