/**
 * The arch of the vertebra above the field of view. A scan that ends within the top vertebra's
 * body still shows the laminae and spinous process of the vertebra above: they hang down over
 * the top vertebra's pedicles (spinous processes point caudally). Body detection cannot see that
 * vertebra, and instance growth gives its arch to the top vertebra. It is recognised by the canal
 * roof: along the column the roof (bone right behind the canal) comes in one run per vertebra,
 * with the interlaminar gap (ligamentum flavum, no bone) between two runs. A roof run at the top
 * edge, above a gap, above the top vertebra's own roof run, belongs to the vertebra above.
 */
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';

/** The roof box behind the canal centre: ±8 mm left-right, 6–30 mm posterior. */
const ROOF_HALF_WIDTH_MM = 8;
const ROOF_FROM_MM = 6;
const ROOF_TO_MM = 30;
/** A roof run stands at ≥ this fraction of the largest roof section; a gap at ≤ GAP of it. */
const RUN = 0.5;
const GAP = 0.25;
/** Less posterior bone than this (mL) above the gap is not reported as a vertebra. */
const MIN_ML = 0.5;

export interface EdgeArch {
  /** Work-grid voxels that move from the top vertebra to the arch above it. */
  voxels: Int32Array;
  /** Slice of the interlaminar gap (work grid). */
  gapK: number;
}

/** Bone voxels in the roof box of slice k. */
function roofSection(g: WorkGrid, canal: CanalPath, bone: Uint8Array, k: number): number {
  const { nx, ny, sp } = g;
  const cx = canal.x[k]!;
  const cy = canal.y[k]!;
  if (Number.isNaN(cx)) return 0;
  let n = 0;
  const i0 = Math.max(0, Math.ceil((cx - ROOF_HALF_WIDTH_MM) / sp));
  const i1 = Math.min(nx - 1, Math.floor((cx + ROOF_HALF_WIDTH_MM) / sp));
  const j0 = Math.max(0, Math.ceil((cy + ROOF_FROM_MM) / sp));
  const j1 = Math.min(ny - 1, Math.floor((cy + ROOF_TO_MM) / sp));
  for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) if (bone[i + j * nx + k * nx * ny]) n++;
  return n;
}

/**
 * Finds the arch of the vertebra above the top one (instance 1, its body reaching slices
 * `bodyK0`..), or undefined. `bone` is the filled bone mask; `instance`/`part` the work-grid
 * masks (part 2 = posterior elements).
 */
export function findEdgeArch(g: WorkGrid, canal: CanalPath, bone: Uint8Array, instance: Uint8Array, part: Uint8Array, bodyK0: number): EdgeArch | undefined {
  const { nx, ny, nz, sp } = g;
  const top = nz - 1;
  const roof: number[] = [];
  for (let k = top; k >= bodyK0; k--) roof.push(roofSection(g, canal, bone, k));
  const max = Math.max(0, ...roof);
  // At least a lamina's worth of roof (≈ 40 mm² at 2 mm) for the profile to mean anything.
  if (max * sp * sp < 40) return undefined;
  if (Math.max(roof[0] ?? 0, roof[1] ?? 0) < RUN * max) return undefined;
  // Down from the top run: the lowest roof before the next run, which must come.
  let gapAt = -1;
  let low = Infinity;
  let leftTop = false;
  for (let d = 0; d < roof.length; d++) {
    const r = roof[d]!;
    if (!leftTop) {
      if (r < RUN * max) leftTop = true;
      else continue;
    }
    if (r < low) {
      low = r;
      gapAt = d;
    }
    if (r >= RUN * max && low <= GAP * max) {
      const gapK = top - gapAt;
      const voxels: number[] = [];
      for (let k = gapK + 1; k <= top; k++) {
        const cy = canal.y[k]!;
        if (Number.isNaN(cy)) continue;
        for (let j = 0; j < ny; j++) {
          if (j * sp < cy + 2) continue;
          for (let i = 0; i < nx; i++) {
            const p = i + j * nx + k * nx * ny;
            if (instance[p] === 1 && part[p] === 2) voxels.push(p);
          }
        }
      }
      if ((voxels.length * sp * sp * sp) / 1000 < MIN_ML) return undefined;
      return { voxels: Int32Array.from(voxels), gapK };
    }
  }
  return undefined;
}
