/**
 * Moran's I and Geary's C (IBSI-1 3.1.27/28) over the intensity-mask voxels with inverse-distance
 * weights w_ab = 1/‖x_a − x_b‖ (mm). Exact O(N²) pair sum over typed arrays.
 */
import type { PreparedRoi } from '../types.js';

export function moranGeary(roi: PreparedRoi): { moran: number; geary: number } {
  const { nx, ny, nz, spacingMm: [sx, sy, sz], intensityMask, intensities } = roi;
  let n = 0;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) n++;
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n), v = new Float64Array(n);
  let k = 0, mean = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const i = (z * ny + y) * nx + x;
    if (!intensityMask[i]) continue;
    px[k] = x * sx; py[k] = y * sy; pz[k] = z * sz; v[k] = intensities[i]!; mean += v[k]!; k++;
  }
  mean /= n;
  let denom = 0;
  for (let a = 0; a < n; a++) { v[a]! -= mean; denom += v[a]! * v[a]!; }
  if (n < 2 || denom === 0) return { moran: NaN, geary: NaN };
  let w = 0, num = 0, gnum = 0;
  for (let a = 0; a < n; a++) {
    const xa = px[a]!, ya = py[a]!, za = pz[a]!, va = v[a]!;
    for (let b = a + 1; b < n; b++) {
      const dx = xa - px[b]!, dy = ya - py[b]!, dz = za - pz[b]!;
      const wab = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
      const vb = v[b]!;
      w += wab; num += wab * va * vb; gnum += wab * (va - vb) * (va - vb);
    }
  }
  // pairs were counted once; the IBSI sums run over ordered pairs a ≠ b (factor 2 cancels in I, not in C's W)
  const moran = (n / (2 * w)) * (2 * num) / denom;
  const geary = ((n - 1) / (2 * 2 * w)) * (2 * gnum) / denom;
  return { moran, geary };
}
