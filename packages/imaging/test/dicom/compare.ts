/**
 * World-position-wise comparison of a Rachis Volume with another grid (e.g. dcm2niix output):
 * finds the signed axis permutation + integer shift that maps their voxel indices onto ours,
 * checks that every corresponding voxel centre agrees within `tolMm`, and counts value mismatches.
 */
import type { Volume } from '@rachis/imaging';
import type { NiftiLps } from './dcm2niix.js';

export interface GridComparison {
  /** Largest distance (mm) between corresponding voxel centres at the grid corners. */
  maxCornerErrorMm: number;
  /** Voxels whose values differ (beyond `valueTol`). */
  valueMismatches: number;
  maxValueDiff: number;
  compared: number;
}

function ourAffine(v: Volume): number[][] {
  const d = v.direction;
  const s = v.spacing;
  return [0, 1, 2].map((r) => [d[r * 3]! * s[0], d[r * 3 + 1]! * s[1], d[r * 3 + 2]! * s[2], v.origin[r]!]);
}

function solve3(m: number[][], b: number[]): number[] {
  // Cramer's rule: 3×3, fine for a test helper.
  const det = (a: number[][]): number =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const D = det(m);
  return [0, 1, 2].map((c) => det(m.map((row, r) => row.map((v, j) => (j === c ? b[r]! : v)))) / D);
}

export function compareGrids(ours: Volume, theirs: NiftiLps, valueTol = 0): GridComparison {
  const A = ourAffine(ours);
  const Ainv = (p: number[]): number[] => solve3(A.map((r) => r.slice(0, 3)), [0, 1, 2].map((r) => p[r]! - A[r]![3]!));
  const world = (M: number[][], ijk: number[]): number[] => [0, 1, 2].map((r) => M[r]![0]! * ijk[0]! + M[r]![1]! * ijk[1]! + M[r]![2]! * ijk[2]! + M[r]![3]!);
  const [tx, ty, tz] = theirs.size;
  // Their index → our (real-valued) index: affine, so determined by origin + 3 unit steps.
  const o = Ainv(world(theirs.affine, [0, 0, 0]));
  const steps = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map((e) => Ainv(world(theirs.affine, e)).map((v, i) => v - o[i]!));
  const rounded = (x: number[]): number[] => x.map(Math.round);
  let maxCornerErrorMm = 0;
  for (const c of [[0, 0, 0], [tx - 1, 0, 0], [0, ty - 1, 0], [0, 0, tz - 1], [tx - 1, ty - 1, tz - 1]]) {
    const ourIdx = rounded([0, 1, 2].map((a) => o[a]! + c[0]! * steps[0]![a]! + c[1]! * steps[1]![a]! + c[2]! * steps[2]![a]!));
    const p = world(theirs.affine, c);
    const q = world(A, ourIdx);
    maxCornerErrorMm = Math.max(maxCornerErrorMm, Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!));
  }
  const io = rounded(o);
  const st = steps.map(rounded);
  const [nx, ny, nz] = ours.size;
  let valueMismatches = 0;
  let maxValueDiff = 0;
  let compared = 0;
  const [s0, s1, s2] = st as [number[], number[], number[]];
  for (let k = 0; k < tz; k++)
    for (let j = 0; j < ty; j++) {
      // Our index of (0, j, k) in their grid; stepping i adds s0.
      const bx = io[0]! + j * s1[0]! + k * s2[0]!;
      const by = io[1]! + j * s1[1]! + k * s2[1]!;
      const bz = io[2]! + j * s1[2]! + k * s2[2]!;
      for (let i = 0; i < tx; i++) {
        const x = bx + i * s0[0]!;
        const y = by + i * s0[1]!;
        const z = bz + i * s0[2]!;
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) {
          valueMismatches++;
          continue;
        }
        const diff = Math.abs(ours.data[x + nx * (y + ny * z)]! - theirs.data[i + tx * (j + ty * k)]!);
        if (diff > valueTol) valueMismatches++;
        if (diff > maxValueDiff) maxValueDiff = diff;
        compared++;
      }
    }
  return { maxCornerErrorMm, valueMismatches, maxValueDiff, compared };
}
