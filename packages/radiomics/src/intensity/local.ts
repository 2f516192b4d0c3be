/**
 * IBSI-1 3.2 local intensity features: mean intensity in a sphere (radius 6.2 mm = 1 cm³) centred
 * on a ROI voxel, using every image voxel whose centre lies in the sphere (ROI or not).
 * Sphere sums use per-row prefix sums: each (dy, dz) offset contributes one contiguous x-run.
 */
import type { PreparedRoi } from '../types.js';

export function localIntensityFeatures(roi: PreparedRoi, radiusMm: number): Map<string, number> {
  const { nx, ny, nz, spacingMm: [sx, sy, sz], intensities, intensityMask } = roi;
  const rows = ny * nz;
  const prefix = new Float64Array(rows * (nx + 1));
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    const b = r * (nx + 1);
    for (let x = 0; x < nx; x++) { acc += intensities[r * nx + x]!; prefix[b + x + 1] = acc; }
  }
  const runList: number[] = []; // (dy, dz, half-width in x) triplets
  const ry = Math.floor(radiusMm / sy), rz = Math.floor(radiusMm / sz);
  for (let dz = -rz; dz <= rz; dz++)
    for (let dy = -ry; dy <= ry; dy++) {
      const rem = radiusMm * radiusMm - (dy * sy) ** 2 - (dz * sz) ** 2;
      if (rem < 0) continue;
      runList.push(dy, dz, Math.floor(Math.sqrt(rem) / sx + 1e-9));
    }
  const runs = Int32Array.from(runList);
  const sphereMean = (x: number, y: number, z: number): number => {
    let sum = 0, count = 0;
    for (let r = 0; r < runs.length; r += 3) {
      const yy = y + runs[r]!, zz = z + runs[r + 1]!, w = runs[r + 2]!;
      if (yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
      const a = Math.max(0, x - w), b = Math.min(nx - 1, x + w);
      const base = (zz * ny + yy) * (nx + 1);
      sum += prefix[base + b + 1]! - prefix[base + a]!;
      count += b - a + 1;
    }
    return sum / count;
  };
  let maxInt = -Infinity;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i] && intensities[i]! > maxInt) maxInt = intensities[i]!;
  let local = -Infinity, global = -Infinity;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = (z * ny + y) * nx + x;
        if (!intensityMask[i]) continue;
        const m = sphereMean(x, y, z);
        if (m > global) global = m;
        if (intensities[i] === maxInt && m > local) local = m;
      }
  return new Map([['loc_peak_loc', local], ['loc_peak_glob', global]]);
}
