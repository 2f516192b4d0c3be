/**
 * A body's own cortex that the mapping from the work grid left unlabelled. Masks are built on a
 * 2 mm grid and mapped back by nearest neighbour, so a body's surface lands anywhere within about
 * one work voxel of the bone's: `peelRim` takes back what overshoots, and this finds what falls
 * short. On a low-density body (marrow < 100 HU, below the engine's bone threshold) that matters:
 * an endplate left out is also a lid missing from the shell, and the marrow under it is not
 * enclosed, so the hole filling leaves it out too (low-BMD phantom, 95 HU marrow, through
 * segmentSpineCT: a 10 × 8 mm hollow under L2's upper endplate, the endplate row itself unlabelled).
 *
 * The shell candidates are the connected pieces of unlabelled bone (≥ BONE_HU, 6-connected) that
 * touch the body of exactly one vertebra, no voxel of any other, and stay within that body's
 * bounding box grown by SHELL_MARGIN_MM: a vessel, a rib or an osteophyte bridging to the next
 * level reaches further or touches another vertebra. They only close the shell for the filling in
 * planes along the column (refine.ts) and do not join the body themselves (unless the body alone
 * encloses them): morphometry finds the endplate by its HU just beyond the mask edge
 * (endplate-hu.ts). Joining the pieces that capped a body along the column axis (one-off) made the
 * low-BMD phantom's lordosis error 1.7° → 3.2° and the slice-integrated one's mask-edge grades
 * 7/7 → 6/7 (eval:measure).
 */
import type { Volume } from '@rachis/imaging';
import { BONE_HU } from './bodies.js';
import type { Box } from './box.js';

/** How far (mm) a shell piece may reach beyond its body's bounding box: about one work voxel. */
const SHELL_MARGIN_MM = 2;

/** Instances are ≤ 63 (segment.ts packs them into 6 bits), so this marks a voxel being followed. */
const SEEN = 255;

/** Each body's bounding box (index space) grown by SHELL_MARGIN_MM and clamped to the volume. */
function grownBodyBoxes(volume: Volume, instance: Uint8Array, part: Uint8Array, box: Box): Map<number, Box> {
  const [nx, ny] = volume.size;
  const boxes = new Map<number, Box>();
  for (let k = box.lo[2]; k <= box.hi[2]; k++) {
    for (let j = box.lo[1]; j <= box.hi[1]; j++) {
      for (let i = box.lo[0]; i <= box.hi[0]; i++) {
        const p = i + j * nx + k * nx * ny;
        const l = instance[p]!;
        if (!l || part[p] !== 1) continue;
        const b = boxes.get(l);
        if (!b) {
          boxes.set(l, { lo: [i, j, k], hi: [i, j, k] });
          continue;
        }
        b.lo[0] = Math.min(b.lo[0], i); b.lo[1] = Math.min(b.lo[1], j); b.lo[2] = Math.min(b.lo[2], k);
        b.hi[0] = Math.max(b.hi[0], i); b.hi[1] = Math.max(b.hi[1], j); b.hi[2] = Math.max(b.hi[2], k);
      }
    }
  }
  for (const b of boxes.values()) {
    for (let ax = 0; ax < 3; ax++) {
      const m = Math.round(SHELL_MARGIN_MM / volume.spacing[ax]!);
      b.lo[ax] = Math.max(0, b.lo[ax]! - m);
      b.hi[ax] = Math.min(volume.size[ax]! - 1, b.hi[ax]! + m);
    }
  }
  return boxes;
}

/** Per voxel: the instance whose shell it may close (0: none). */
export function shellCandidates(volume: Volume, instance: Uint8Array, part: Uint8Array, box: Box): Uint8Array {
  const [nx, ny, nz] = volume.size;
  const nxy = nx * ny;
  const hu = volume.data;
  const boxes = grownBodyBoxes(volume, instance, part, box);
  // A piece that leaves every grown box is no body's: the search stops there (ribs, pelvis, vessels).
  const byK: Box[][] = Array.from({ length: nz }, () => []);
  for (const b of boxes.values()) for (let k = b.lo[2]; k <= b.hi[2]; k++) byK[k]!.push(b);
  const inSomeBox = (i: number, j: number, k: number): boolean => byK[k]!.some((b) => i >= b.lo[0] && i <= b.hi[0] && j >= b.lo[1] && j <= b.hi[1]);
  // 0: not seen; SEEN while followed or when rejected (cleared at the end); else the owner.
  const out = new Uint8Array(instance.length);
  const seenAt: number[] = [];
  const stack: number[] = [];
  const piece: number[] = [];
  for (const g of boxes.values()) {
    for (let k = g.lo[2]; k <= g.hi[2]; k++) {
      for (let j = g.lo[1]; j <= g.hi[1]; j++) {
        for (let i = g.lo[0]; i <= g.hi[0]; i++) {
          const p0 = i + j * nx + k * nxy;
          if (out[p0] || instance[p0] || part[p0] === 3 || hu[p0]! < BONE_HU) continue;
          out[p0] = SEEN;
          seenAt.push(p0);
          stack.push(p0);
          piece.length = 0;
          // The vertebra it touches (-1: more than one), the one whose body it touches, and its extent.
          let touched = 0;
          let owner = 0;
          let escaped = false;
          const c0 = [i, j, k];
          const c1 = [i, j, k];
          while (stack.length) {
            const p = stack.pop()!;
            piece.push(p);
            const pi = p % nx;
            const pj = ((p - pi) / nx) % ny;
            const pk = (p - pi - pj * nx) / nxy;
            if (pi < c0[0]!) c0[0] = pi; else if (pi > c1[0]!) c1[0] = pi;
            if (pj < c0[1]!) c0[1] = pj; else if (pj > c1[1]!) c1[1] = pj;
            if (pk < c0[2]!) c0[2] = pk; else if (pk > c1[2]!) c1[2] = pk;
            for (let d = 0; d < 6; d++) {
              const ax = d >> 1;
              const c = ax === 0 ? pi : ax === 1 ? pj : pk;
              const step = d & 1 ? 1 : -1;
              if (c + step < 0 || c + step >= volume.size[ax]!) continue;
              const q = p + step * (ax === 0 ? 1 : ax === 1 ? nx : nxy);
              const l = instance[q]!;
              if (l) {
                touched = touched === 0 || touched === l ? l : -1;
                if (part[q] === 1) owner = l;
                continue;
              }
              if (out[q] || part[q] === 3 || hu[q]! < BONE_HU) continue;
              if (!inSomeBox(ax === 0 ? pi + step : pi, ax === 1 ? pj + step : pj, ax === 2 ? pk + step : pk)) {
                escaped = true;
                continue;
              }
              out[q] = SEEN;
              seenAt.push(q);
              stack.push(q);
            }
          }
          const body = !escaped && touched > 0 && owner === touched ? owner : 0;
          const b = boxes.get(body);
          if (!b || c0.some((c, ax) => c < b.lo[ax]!) || c1.some((c, ax) => c > b.hi[ax]!)) continue;
          for (const p of piece) out[p] = body;
        }
      }
    }
  }
  for (const p of seenAt) if (out[p] === SEEN) out[p] = 0;
  return out;
}
