/** IBSI-1 3.1 morphological features. */
import type { PreparedRoi } from '../types.js';
import { convexHull, ellipsoidArea, symmetricEigenvalues3 } from './geometry.js';
import { meshOfMask } from './mesh.js';

/** All morphological features except Moran's I / Geary's C (see spatial.ts, timed separately). */
export function morphologyFeatures(roi: PreparedRoi): Map<string, number> {
  const { nx, ny, nz, spacingMm, morphMask, intensityMask, intensities } = roi;
  const [sx, sy, sz] = spacingMm;
  const mesh = meshOfMask(morphMask, nx, ny, nz, spacingMm);
  const V = mesh.volume, A = mesh.area;
  // voxel positions (mm) of the morphological mask: count, centroid, sample covariance (N − 1, as in the
  // IBSI reference implementations; it decides minor/least axis lengths on small ROIs)
  let n = 0, mx = 0, my = 0, mz = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++)
    if (morphMask[(z * ny + y) * nx + x]) { n++; mx += x * sx; my += y * sy; mz += z * sz; }
  mx /= n; my /= n; mz /= n;
  let cxx = 0, cyy = 0, czz = 0, cxy = 0, cxz = 0, cyz = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    if (!morphMask[(z * ny + y) * nx + x]) continue;
    const dx = x * sx - mx, dy = y * sy - my, dz = z * sz - mz;
    cxx += dx * dx; cyy += dy * dy; czz += dz * dz; cxy += dx * dy; cxz += dx * dz; cyz += dy * dz;
  }
  const [l1, l2, l3] = symmetricEigenvalues3([cxx, cxy, cxz, cxy, cyy, cyz, cxz, cyz, czz].map((v) => v / (n - 1)));
  // intensity-weighted centre of mass and mean over the intensity mask
  let wsum = 0, wx = 0, wy = 0, wz = 0, ni = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const i = (z * ny + y) * nx + x;
    if (!intensityMask[i]) continue;
    const v = intensities[i]!;
    ni++; wsum += v; wx += v * x * sx; wy += v * y * sy; wz += v * z * sz;
  }
  const meanIntensity = wsum / ni;
  const com = Math.hypot(mx - wx / wsum, my - wy / wsum, mz - wz / wsum);
  // axis-aligned bounding box of the mesh
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < mesh.vertices.length; i += 3)
    for (let a = 0; a < 3; a++) { const v = mesh.vertices[i + a]!; if (v < lo[a]!) lo[a] = v; if (v > hi[a]!) hi[a] = v; }
  const ex = hi[0]! - lo[0]!, ey = hi[1]! - lo[1]!, ez = hi[2]! - lo[2]!;
  const hull = convexHull(mesh.vertices);
  const a = 2 * Math.sqrt(l1), b = 2 * Math.sqrt(l2), c = 2 * Math.sqrt(l3);
  const sph = Math.cbrt(36 * Math.PI * V * V);
  return new Map([
    ['morph_volume', V],
    ['morph_vol_approx', n * sx * sy * sz],
    ['morph_area_mesh', A],
    ['morph_av', A / V],
    ['morph_comp_1', V / (Math.sqrt(Math.PI) * A ** 1.5)],
    ['morph_comp_2', (36 * Math.PI * V * V) / A ** 3],
    ['morph_sph_dispr', A / sph],
    ['morph_sphericity', sph / A],
    ['morph_asphericity', A / sph - 1],
    ['morph_com', com],
    ['morph_diam', hull.maxDiameter],
    ['morph_pca_maj_axis', 4 * Math.sqrt(l1)],
    ['morph_pca_min_axis', 4 * Math.sqrt(l2)],
    ['morph_pca_least_axis', 4 * Math.sqrt(l3)],
    ['morph_pca_elongation', Math.sqrt(l2 / l1)],
    ['morph_pca_flatness', Math.sqrt(l3 / l1)],
    ['morph_vol_dens_aabb', V / (ex * ey * ez)],
    ['morph_area_dens_aabb', A / (2 * (ex * ey + ex * ez + ey * ez))],
    ['morph_vol_dens_aee', (3 * V) / (4 * Math.PI * a * b * c)],
    ['morph_area_dens_aee', A / ellipsoidArea(a, b, c)],
    ['morph_vol_dens_conv_hull', V / hull.volume],
    ['morph_area_dens_conv_hull', A / hull.area],
    ['morph_integ_int', V * meanIntensity],
  ]);
}
