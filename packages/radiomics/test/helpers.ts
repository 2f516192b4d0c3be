/** Tiny synthetic inputs for the radiomics unit tests. */
import type { DiscreteRoi, PreparedRoi } from '../src/types.js';

/** A one-slice discrete ROI from rows of levels (0 = outside); every listed voxel is in the morph mask. */
export function slice(rows: number[][], ng?: number): DiscreteRoi {
  const ny = rows.length, nx = rows[0]!.length;
  const levels = new Int32Array(nx * ny);
  rows.forEach((r, y) => r.forEach((v, x) => { levels[y * nx + x] = v; }));
  return {
    nx, ny, nz: 1, spacingMm: [1, 1, 1], levels,
    morph: Uint8Array.from(levels, (v) => (v > 0 ? 1 : 0)),
    ng: ng ?? Math.max(...levels),
  };
}

/** A prepared ROI from a value array and mask (same for morph and intensity masks). */
export function prepared(nx: number, ny: number, nz: number, values: ArrayLike<number>, mask: ArrayLike<number>, spacing: [number, number, number] = [1, 1, 1]): PreparedRoi {
  const m = Uint8Array.from(mask, (v) => (v ? 1 : 0));
  return { nx, ny, nz, spacingMm: spacing, intensities: Float64Array.from(values), morphMask: m, intensityMask: Uint8Array.from(m) };
}

/** The 3×3 example used by several texture tests:
 *   1 1 2
 *   1 2 2
 *   3 3 2 */
export const EXAMPLE = [[1, 1, 2], [1, 2, 2], [3, 3, 2]];

export function close(actual: number | undefined, expected: number, tol = 1e-9): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}
