/**
 * Boundary refinement at the input resolution. Masks are built on the 2 mm work grid and then
 * mapped back by nearest neighbour, so their surface is blocky and overshoots into the
 * partial-volume rim around the bone. Peeling the outer layer wherever the input voxel reads below
 * the lowest trabecular density (100 HU) puts the surface where the bone ends at the scanner's
 * own resolution. Only the surface is peeled (at most about one work-grid voxel deep): marrow
 * inside a body is never touched, so low-density bodies keep their interior.
 */
import { dilate, erode, fillHolesInSlices, IDENTITY_DIRECTION } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';
import { cranioCaudalAxis } from './grid.js';
import { labelledBox } from './box.js';
import type { Box } from './box.js';
import { BONE_HU } from './bodies.js';
import { shellCandidates } from './shell.js';
import { releaseCanalInFrontOfWall } from './canal-front.js';
import { bodyMedianHU, DISC_MAX_HU, splitBodiesAtDiscs } from './disc-split.js';

/** Below this a surface voxel is soft tissue or partial volume, not bone. */
export const RIM_HU = 100;


/**
 * Peels `instance` (and `part`, in step) in place. Passes: enough to go ~1.5 mm deep at the
 * finest input spacing, at least one. Canal voxels (part 3 without an instance) are left alone.
 */
export function peelRim(volume: Volume, instance: Uint8Array, part: Uint8Array, depthMm = 1.5, box = labelledBox(volume.size, instance)): void {
  const [nx, ny, nz] = volume.size;
  const nxy = nx * ny;
  const hu = volume.data;
  const passes = Math.max(1, Math.round(depthMm / Math.min(...volume.spacing)));
  const { lo, hi } = box;
  for (let pass = 0; pass < passes; pass++) {
    const drop: number[] = [];
    for (let k = lo[2]; k <= hi[2]; k++) {
      for (let j = lo[1]; j <= hi[1]; j++) {
        for (let i = lo[0]; i <= hi[0]; i++) {
          const p = i + j * nx + k * nxy;
          const l = instance[p]!;
          if (!l || hu[p]! >= RIM_HU) continue;
          // Surface against the background or against another vertebra: where two bodies meet
          // across a disc that the work grid did not resolve, the disc belongs to neither.
          const surface =
            (i > 0 && instance[p - 1] !== l) || (i < nx - 1 && instance[p + 1] !== l) ||
            (j > 0 && instance[p - nx] !== l) || (j < ny - 1 && instance[p + nx] !== l) ||
            (k > 0 && instance[p - nxy] !== l) || (k < nz - 1 && instance[p + nxy] !== l);
          if (surface) drop.push(p);
        }
      }
    }
    if (drop.length === 0) break;
    for (const p of drop) {
      instance[p] = 0;
      part[p] = 0;
    }
  }
}

/** Lowest HU taken into a body's closed outline: fatty (osteoporotic) marrow reads down to about 0 HU. */
const MARROW_MIN_HU = -50;

/**
 * An axial hole is marrow only with the body's own bone above and below it within this many mm
 * (its endplates). The rim of a concave (biconcave, Schmorl) endplate encloses disc in axial
 * planes, but that disc has the next disc space, not the body, on one side.
 */
const CAP_REACH_MM = 40;

/**
 * A hollow that only the unlabelled shell (shell.ts) encloses joins a body only where the
 * vertebra's own voxels lie within this many mm on both sides across the column. The hollow under
 * a low-density endplate is narrower than the body (low-BMD phantom: 10 mm wide, its walls ≤ 6 mm
 * from any point of it); a strip of enhanced vessel that a body mask already reached in front of
 * its wall is not (IRCAD 1.1, portal venous: L3 took 2364 voxels of 106 HU soft tissue up to
 * 12 mm in front of its wall without the limit, 354 with it). Chosen between these two cases.
 */
const SHELL_HOLLOW_REACH_MM = 8;

/** In-plane closing radius (mm) that bridges breaks in a low-density body's cortical shell. */
const SHELL_BRIDGE_MM = 3;

/**
 * Closed-and-filled version of a 2-D mask (w × h, row-major, 1 px = 1 unit): dilate by a disc of
 * radius r, fill the holes, erode by the disc. The caller leaves a margin of r + 1 around the mask.
 */
function closeAndFill(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const plane = { size: [w, h, 1] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const, direction: IDENTITY_DIRECTION };
  const disc: [number, number, number] = [r, r, 0];
  return erode(fillHolesInSlices(dilate({ ...plane, data: m }, disc), 2), disc).data;
}

/**
 * Fills each vertebral body (part 1) in every slice across the cranio-caudal axis: an in-plane
 * closing (3 mm) bridges breaks in the cortical shell and the enclosed marrow (≥ −50 HU, not yet
 * labelled) joins the body. A low-density body is a bright shell around dark marrow; where the
 * shell is broken the marrow leaks out of plain hole filling and the body comes out hollow,
 * which biases its density and heights. The end slices (within 3 mm of the body's first and last
 * slice) cut endplates obliquely and are left alone, so disc is not taken in. Sagittal and
 * coronal planes follow (2 mm closing) for marrow that no axial ring encloses; there the body's
 * unlabelled cortex closes the outline too (shell.ts), and what only it encloses joins when the
 * vertebra lies within SHELL_HOLLOW_REACH_MM on both sides across the column.
 */
export function fillBodyHoles(volume: Volume, instance: Uint8Array, part: Uint8Array, box = labelledBox(volume.size, instance)): void {
  const cranioCaudal = cranioCaudalAxis(volume.direction);
  // Axial planes first (their end slices skipped), then the two planes along the column, where
  // a hole is enclosed by the body's own bone above and below and the disc is never inside;
  // there the body's unlabelled cortex closes the shell too (shell.ts).
  fillInPlanes(volume, instance, part, box, cranioCaudal, SHELL_BRIDGE_MM, 3, CAP_REACH_MM);
  const shell = shellCandidates(volume, instance, part, box);
  for (const axis of [0, 1, 2].filter((a) => a !== cranioCaudal)) fillInPlanes(volume, instance, part, box, axis, SHELL_BRIDGE_MM / 1.5, 0, 0, shell);
}

/** Closing + hole filling of each body in every plane across `zAxis` (see fillBodyHoles); `shell`: unlabelled voxels that close a body's outline too (shell.ts). */
function fillInPlanes(volume: Volume, instance: Uint8Array, part: Uint8Array, box: Box, zAxis: number, bridgeMm: number, endMarginMm: number, capReachMm = 0, shell?: Uint8Array): void {
  const [u, v] = [0, 1, 2].filter((a) => a !== zAxis) as [number, number];
  const size = volume.size;
  const stride = [1, size[0], size[0] * size[1]];
  const hu = volume.data;
  // Filling only adds voxels enclosed by a body, so the box of the labelled voxels still holds.
  const lo = box.lo as number[];
  const hi = box.hi as number[];
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let s = lo[zAxis]!; s <= hi[zAxis]!; s++) {
    for (let b = lo[v]!; b <= hi[v]!; b++) {
      for (let a = lo[u]!; a <= hi[u]!; a++) {
        const p = s * stride[zAxis]! + a * stride[u]! + b * stride[v]!;
        if (part[p] !== 1 || !instance[p]) continue;
        const l = instance[p]!;
        first.set(l, Math.min(first.get(l) ?? Infinity, s));
        last.set(l, Math.max(last.get(l) ?? -Infinity, s));
      }
    }
  }
  const margin = Math.ceil(endMarginMm / volume.spacing[zAxis]!);
  // Whether the vertebra has its own bone (body or arch: the posterior corner of an endplate may be
  // labelled arch) within `capReach` slices from p in direction `dir` along zAxis.
  const capReach = Math.round(capReachMm / volume.spacing[zAxis]!);
  const capped = (p: number, l: number, dir: 1 | -1): boolean => {
    const s0 = Math.floor(p / stride[zAxis]!) % size[zAxis]!;
    for (let t = 1; t <= capReach; t++) {
      const s = s0 + dir * t;
      if (s < 0 || s >= size[zAxis]!) return false;
      const q = p + dir * t * stride[zAxis]!;
      if (instance[q] === l) return true;
    }
    return false;
  };
  // Whether the vertebra has its own voxels (body or arch) within SHELL_HOLLOW_REACH_MM of p in
  // direction `dir` along the in-plane axis across the column.
  const across = u === cranioCaudalAxis(volume.direction) ? v : u;
  const reach = Math.round(SHELL_HOLLOW_REACH_MM / volume.spacing[across]!);
  const acrossOwn = (p: number, l: number, dir: 1 | -1): boolean => {
    const c0 = Math.floor(p / stride[across]!) % size[across]!;
    for (let c = c0 + dir, q = p + dir * stride[across]!; c >= lo[across]! && c <= hi[across]! && Math.abs(c - c0) <= reach; c += dir, q += dir * stride[across]!) if (instance[q] === l) return true;
    return false;
  };
  const r = Math.max(1, Math.round(bridgeMm / Math.min(volume.spacing[u]!, volume.spacing[v]!)));
  for (let s = lo[zAxis]!; s <= hi[zAxis]!; s++) {
    const boxes = new Map<number, [number, number, number, number]>();
    for (let b = lo[v]!; b <= hi[v]!; b++) {
      for (let a = lo[u]!; a <= hi[u]!; a++) {
        const p = s * stride[zAxis]! + a * stride[u]! + b * stride[v]!;
        const l = part[p] === 1 && instance[p] ? instance[p]! : shell?.[p] ?? 0;
        if (!l) continue;
        const box = boxes.get(l);
        if (!box) boxes.set(l, [a, a, b, b]);
        else {
          box[0] = Math.min(box[0], a);
          box[1] = Math.max(box[1], a);
          box[2] = Math.min(box[2], b);
          box[3] = Math.max(box[3], b);
        }
      }
    }
    for (const [l, [a0, a1, b0, b1]] of boxes) {
      if (s < first.get(l)! + margin || s > last.get(l)! - margin) continue;
      const ax = a0 - r - 1;
      const bx = b0 - r - 1;
      const w = a1 - a0 + 2 * r + 3;
      const h = b1 - b0 + 2 * r + 3;
      const m = new Uint8Array(w * h);
      const withShell = shell ? new Uint8Array(w * h) : m;
      let shelled = false;
      for (let b = b0; b <= b1; b++) {
        for (let a = a0; a <= a1; a++) {
          const p = s * stride[zAxis]! + a * stride[u]! + b * stride[v]!;
          const q = (b - bx) * w + (a - ax);
          if (part[p] === 1 && instance[p] === l) m[q] = withShell[q] = 1;
          else if (shell?.[p] === l) {
            withShell[q] = 1;
            shelled = true;
          }
        }
      }
      const filled = closeAndFill(m, w, h, r);
      const filledWithShell = shelled ? closeAndFill(withShell, w, h, r) : filled;
      // Joined after the scan, so that `acrossOwn` sees the vertebra as it was.
      const join: number[] = [];
      for (let q = 0; q < w * h; q++) {
        // Shell voxels close the outline; they join only where the body alone encloses them.
        if (m[q] || !(filled[q] || (filledWithShell[q] && !withShell[q]))) continue;
        const a = (q % w) + ax;
        const b = Math.floor(q / w) + bx;
        if (a < 0 || b < 0 || a >= size[u]! || b >= size[v]!) continue;
        const p = s * stride[zAxis]! + a * stride[u]! + b * stride[v]!;
        if (instance[p] || part[p] === 3 || hu[p]! < MARROW_MIN_HU) continue;
        if (capReach && !(capped(p, l, 1) && capped(p, l, -1))) continue;
        // Enclosed only with the shell's help: it must also lie between the vertebra's own voxels
        // across the column (an enhanced vessel's bright patches beside a body enclose soft tissue
        // in front of it; a hollow under an endplate has the body's walls on both sides).
        if (!filled[q] && !(acrossOwn(p, l, 1) && acrossOwn(p, l, -1))) continue;
        join.push(p);
      }
      for (const p of join) {
        instance[p] = l;
        part[p] = 1;
      }
    }
  }
}

/**
 * Where two vertebral bodies touch (a disc the work grid could not resolve, or a fused pair cut
 * at its disc plane), the darker voxel of each touching pair leaves its body, so a gap at least
 * one voxel wide stands where the disc is and every body keeps its own endplate.
 */
export function separateBodies(volume: Volume, instance: Uint8Array, part: Uint8Array, box = labelledBox(volume.size, instance)): void {
  const [nx, ny, nz] = volume.size;
  const nxy = nx * ny;
  const hu = volume.data;
  const drop = new Set<number>();
  const { lo, hi } = box;
  for (let k = lo[2]; k <= hi[2]; k++) {
    for (let j = lo[1]; j <= hi[1]; j++) {
      for (let i = lo[0]; i <= hi[0]; i++) {
        const p = i + j * nx + k * nxy;
        const l = instance[p]!;
        if (!l || part[p] !== 1) continue;
        // Forward neighbours only: each touching pair is seen once.
        for (const q of [i < nx - 1 ? p + 1 : -1, j < ny - 1 ? p + nx : -1, k < nz - 1 ? p + nxy : -1]) {
          if (q < 0 || part[q] !== 1 || !instance[q] || instance[q] === l) continue;
          drop.add(hu[p]! <= hu[q]! ? p : q);
        }
      }
    }
  }
  for (const p of drop) {
    instance[p] = 0;
    part[p] = 0;
  }
}

/** A dark layer at a body's end is peeled only when at least this thick (mm) and this many voxels:
 * thinner ones are the partial volume of the endplate itself, which `peelRim` already handles. */
const CAP_LAYER_MIN_MM = 3;
const CAP_LAYER_MIN_VOXELS = 2;
/** Nor deeper than this (mm) or than this fraction of the body's extent in that line. */
const CAP_LAYER_MAX_MM = 15;
const CAP_LAYER_MAX_FRACTION = 0.6;
/**
 * Slices thicker than this (mm) also lose a body's last voxel in a line when it is mostly disc:
 * darker than half-way between the endplate voxel inside it and the disc voxel outside it (the
 * half-way rule of partial volume, at voxel precision). On thin slices morphometry moves each
 * endplate to its half-way HU crossing itself (endplate-hu.ts), but on coarse slices it measures
 * at the mask edge, where one such voxel adds a whole slice to the height: example_ct (3 mm), L5's
 * anterior-superior corner took a 106–126 HU voxel at the front of the L4–L5 disc, under an
 * endplate voxel of ≥ 150 HU, and read 36.8 mm against 32.4 mm on TotalSegmentator's masks.
 */
const COARSE_SLICE_MM = 1.6;

/**
 * Peels disc off the ends of each vertebral body (part 1) along the cranio-caudal axis. A tilted
 * disc (L5/S1) is a wedge that no single cutting plane separates from both bodies, and an axial
 * ring of endplate cortex encloses it, so the work grid hands it to one of the two bodies. In each
 * line along the axis, the voxels at the body's end that read as disc (< 110 HU) leave the body
 * when the next voxel or the one after is the body's endplate (at least 150 HU and the body's
 * median), and the layer is 3 mm and 2 voxels thick or more, 15 mm and 60 % of the line at most.
 * Marrow as dark as disc (osteoporosis) lies behind an endplate, not at the body's end, so a
 * line whose end is the endplate loses nothing. On slices thicker than COARSE_SLICE_MM a line's
 * single end voxel that is mostly disc (half-way rule) leaves the body too.
 */
export function peelDiscCaps(volume: Volume, instance: Uint8Array, part: Uint8Array, box = labelledBox(volume.size, instance)): void {
  const axis = cranioCaudalAxis(volume.direction);
  const [u, v] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
  const size = volume.size;
  const stride = [1, size[0], size[0] * size[1]];
  const step = stride[axis]!;
  const hu = volume.data;
  const [lo, hi] = [box.lo as readonly number[], box.hi as readonly number[]];
  const median = bodyMedianHU(volume, instance, part, box);
  const minVoxels = Math.max(CAP_LAYER_MIN_VOXELS, Math.ceil(CAP_LAYER_MIN_MM / volume.spacing[axis]! - 1e-6));
  const maxVoxels = Math.floor(CAP_LAYER_MAX_MM / volume.spacing[axis]! + 1e-6);
  const [s0, s1] = [lo[axis]!, hi[axis]!];
  const coarse = volume.spacing[axis]! > COARSE_SLICE_MM;
  // Each body's first and last slice in the current line (instances ≤ 255), and which were seen.
  const first = new Int32Array(256);
  const last = new Int32Array(256);
  const seen: number[] = [];
  for (let b = lo[v]!; b <= hi[v]!; b++) {
    for (let a = lo[u]!; a <= hi[u]!; a++) {
      const base = a * stride[u]! + b * stride[v]!;
      seen.length = 0;
      for (let s = s0; s <= s1; s++) {
        const p = base + s * step;
        const l = instance[p]!;
        if (!l || part[p] !== 1) continue;
        if (!seen.includes(l)) {
          seen.push(l);
          first[l] = s;
        }
        last[l] = s;
      }
      for (const l of seen) {
        const endplate = Math.max(BONE_HU, median.get(l)!);
        const limit = Math.min(maxVoxels, Math.floor(CAP_LAYER_MAX_FRACTION * (last[l]! - first[l]! + 1)));
        // HU of slice s when it is this body's, else -Infinity.
        const ownHU = (s: number): number => {
          if (s < s0 || s > s1) return -Infinity;
          const p = base + s * step;
          return instance[p] === l && part[p] === 1 ? hu[p]! : -Infinity;
        };
        // The end voxel is mostly disc: darker than half-way between the endplate voxel inside it
        // and the disc voxel outside it (see COARSE_SLICE_MM).
        const partialEnd = (start: number, dir: 1 | -1): boolean => {
          const inner = ownHU(start + dir);
          const outer = start - dir;
          if (inner === -Infinity || outer < 0 || outer >= size[axis]!) return false;
          const q = base + outer * step;
          if (instance[q]) return false;
          const end = hu[base + start * step]!;
          const disc = hu[q]!;
          return inner >= BONE_HU && disc < end && end < (inner + disc) / 2;
        };
        for (const [start, dir] of [[first[l]!, 1], [last[l]!, -1]] as const) {
          if (coarse && partialEnd(start, dir)) {
            const p = base + start * step;
            instance[p] = 0;
            part[p] = 0;
            continue;
          }
          let n = 0;
          while (n <= limit && ownHU(start + dir * n) > -Infinity && ownHU(start + dir * n) < DISC_MAX_HU) n++;
          // The layer must end at the body's own endplate, not at a gap or more marrow.
          if (n < minVoxels || n > limit || Math.max(ownHU(start + dir * n), ownHU(start + dir * (n + 1))) < endplate) continue;
          for (let t = 0; t < n; t++) {
            const p = base + (start + dir * t) * step;
            instance[p] = 0;
            part[p] = 0;
          }
        }
      }
    }
  }
}

/**
 * The refinements in order (release canal labels in front of a body's posterior wall
 * (canal-front.ts), peel the rim, separate touching bodies, fill hollow bodies, divide
 * the pairs whose upper instance is in `discSplitUppers` at their disc's two endplate planes, peel
 * disc off the body ends), with one bounding box: each only removes voxels or adds enclosed ones, so
 * it stays valid.
 */
export function refineAtInputResolution(volume: Volume, instance: Uint8Array, part: Uint8Array, discSplitUppers: ReadonlySet<number> = new Set()): void {
  const box = labelledBox(volume.size, instance);
  releaseCanalInFrontOfWall(volume, instance, part, box);
  peelRim(volume, instance, part, undefined, box);
  separateBodies(volume, instance, part, box);
  fillBodyHoles(volume, instance, part, box);
  splitBodiesAtDiscs(volume, instance, part, discSplitUppers, box);
  peelDiscCaps(volume, instance, part, box);
}
