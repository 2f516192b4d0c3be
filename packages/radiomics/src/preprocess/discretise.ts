/** IBSI-1 2.7: intensity discretisation (fixed bin number / fixed bin size / none). */
import { RachisError } from '@rachis/imaging';
import type { Discretisation, RadiomicsSettings } from '../settings.js';
import type { DiscreteRoi, PreparedRoi } from '../types.js';

export interface Discretised {
  /** Level 1..ng per box voxel inside the intensity mask, 0 elsewhere. */
  readonly levels: Int32Array;
  readonly ng: number;
  /** Intensity of the lower edge of bin 1 and the bin width, where defined (for IVH bin centres). */
  readonly lower: number;
  readonly width: number;
}

/**
 * Discretise the intensity-mask voxels. `resegRange` gives the FBS lower bound (and Ng when the
 * upper bound is set) as IBSI prescribes.
 */
export function discretise(
  values: Float64Array,
  mask: Uint8Array,
  d: Discretisation,
  resegRange: RadiomicsSettings['resegmentation']['range'],
): Discretised {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < mask.length; i++) if (mask[i]) { const v = values[i]!; if (v < min) min = v; if (v > max) max = v; }
  const levels = new Int32Array(values.length);
  if (d.method === 'none') {
    let ng = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 1) {
        throw new RachisError('INVALID_ARGUMENT', `discretisation 'none' needs integer intensities ≥ 1 in the ROI, found ${v}`);
      }
      levels[i] = v;
      if (v > ng) ng = v;
    }
    return { levels, ng, lower: 0.5, width: 1 };
  }
  if (d.method === 'fbn') {
    const span = max - min;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      levels[i] = span > 0 ? Math.min(d.bins, Math.floor((d.bins * (values[i]! - min)) / span) + 1) : 1;
    }
    return { levels, ng: d.bins, lower: min, width: span / d.bins };
  }
  const lower = d.origin === 'pyradiomics'
    ? Math.floor(min / d.width) * d.width
    : resegRange && resegRange[0] !== null && Number.isFinite(resegRange[0]) ? resegRange[0] : min;
  let ng = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const l = Math.floor((values[i]! - lower) / d.width) + 1;
    levels[i] = l;
    if (l > ng) ng = l;
  }
  return { levels, ng, lower, width: d.width };
}

/** Tight box around the morphological mask (⊇ intensity mask) with discretised levels, for the texture families. */
export function toDiscreteRoi(roi: PreparedRoi, disc: Discretised): DiscreteRoi {
  const { nx, ny, nz } = roi;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (!roi.morphMask[(z * ny + y) * nx + x] && !roi.intensityMask[(z * ny + y) * nx + x]) continue;
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
        if (z < z0) z0 = z; if (z > z1) z1 = z;
      }
  const mx = x1 - x0 + 1, my = y1 - y0 + 1, mz = z1 - z0 + 1;
  const levels = new Int32Array(mx * my * mz);
  const morph = new Uint8Array(mx * my * mz);
  for (let z = 0; z < mz; z++)
    for (let y = 0; y < my; y++)
      for (let x = 0; x < mx; x++) {
        const src = ((z + z0) * ny + (y + y0)) * nx + x + x0;
        levels[(z * my + y) * mx + x] = roi.intensityMask[src] ? disc.levels[src]! : 0;
        morph[(z * my + y) * mx + x] = roi.morphMask[src]! | roi.intensityMask[src]!;
      }
  return { nx: mx, ny: my, nz: mz, spacingMm: roi.spacingMm, levels, morph, ng: disc.ng };
}
