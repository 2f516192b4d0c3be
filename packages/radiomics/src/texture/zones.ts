/**
 * IBSI-1 3.8 grey level size zone matrix and 3.9 grey level distance zone matrix.
 * Zones: connected voxels of equal grey level (26-connected in 3D, 8-connected in-plane in 2D).
 * Zone distance: smallest city-block distance of its voxels to the ROI edge (ROI edge voxels have
 * distance 1; 6-connected in 3D, 4-connected in 2D), computed on the morphological mask: holes
 * left by re-segmentation are not ROI edges (this is what the IBSI CT-phantom consensus uses).
 */
import type { DiscreteRoi, ZoneAggregation } from '../types.js';
import { averageMaps, renameKeys, roiVoxels, sizeMatrixFeatures } from './common.js';

export interface Zone { readonly level: number; readonly size: number; readonly distance: number }

const SZM: Record<string, string> = {
  se: 'szm_sze', le: 'szm_lze', lge: 'szm_lgze', hge: 'szm_hgze', slge: 'szm_szlge', shge: 'szm_szhge',
  llge: 'szm_lzlge', lhge: 'szm_lzhge', glnu: 'szm_glnu', glnu_norm: 'szm_glnu_norm', jnu: 'szm_zsnu',
  jnu_norm: 'szm_zsnu_norm', perc: 'szm_z_perc', gl_var: 'szm_gl_var', j_var: 'szm_zs_var', entr: 'szm_zs_entr',
};
const DZM: Record<string, string> = {
  se: 'dzm_sde', le: 'dzm_lde', lge: 'dzm_lgze', hge: 'dzm_hgze', slge: 'dzm_sdlge', shge: 'dzm_sdhge',
  llge: 'dzm_ldlge', lhge: 'dzm_ldhge', glnu: 'dzm_glnu', glnu_norm: 'dzm_glnu_norm', jnu: 'dzm_zdnu',
  jnu_norm: 'dzm_zdnu_norm', perc: 'dzm_z_perc', gl_var: 'dzm_gl_var', j_var: 'dzm_zd_var', entr: 'dzm_zd_entr',
};

/** City-block distance to the ROI edge (two raster passes are exact for the L1 metric). */
export function edgeDistance(roi: DiscreteRoi, z: number | null): Int32Array {
  const { nx, ny, nz, morph: levels } = roi;
  const z0 = z ?? 0, z1 = z ?? nz - 1;
  const d = new Int32Array(levels.length);
  const BIG = 1 << 29;
  // in 2D (one slice) the slice neighbours are out of reach: give them a distance that never wins
  const at = (x: number, y: number, k: number): number =>
    x < 0 || x >= nx || y < 0 || y >= ny ? 0 : k < z0 || k > z1 ? (z === null ? 0 : BIG) : d[(k * ny + y) * nx + x]!;
  for (let k = z0; k <= z1; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = (k * ny + y) * nx + x;
        if (levels[i] === 0) { d[i] = 0; continue; }
        d[i] = Math.min(BIG, at(x - 1, y, k) + 1, at(x, y - 1, k) + 1, at(x, y, k - 1) + 1);
      }
  for (let k = z1; k >= z0; k--)
    for (let y = ny - 1; y >= 0; y--)
      for (let x = nx - 1; x >= 0; x--) {
        const i = (k * ny + y) * nx + x;
        if (levels[i] === 0) continue;
        d[i] = Math.min(d[i]!, at(x + 1, y, k) + 1, at(x, y + 1, k) + 1, at(x, y, k + 1) + 1);
      }
  return d;
}

/** Zones of slice z (8-connected) or of the volume (26-connected). */
export function findZones(roi: DiscreteRoi, z: number | null): Zone[] {
  const { nx, ny, nz, levels } = roi;
  const z0 = z ?? 0, z1 = z ?? nz - 1;
  const dist = edgeDistance(roi, z);
  const seen = new Uint8Array(levels.length);
  const stack = new Int32Array(levels.length);
  const zones: Zone[] = [];
  const dzs = z === null ? [-1, 0, 1] : [0];
  for (let k = z0; k <= z1; k++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const start = (k * ny + y) * nx + x;
        const level = levels[start]!;
        if (level === 0 || seen[start]) continue;
        seen[start] = 1;
        let top = 0, size = 0, minD = Infinity;
        stack[top++] = start;
        while (top > 0) {
          const v = stack[--top]!;
          size++;
          if (dist[v]! < minD) minD = dist[v]!;
          const vx = v % nx, vy = Math.floor(v / nx) % ny, vz = Math.floor(v / (nx * ny));
          for (const ddz of dzs) {
            const zz = vz + ddz;
            if (zz < z0 || zz > z1) continue;
            for (let ddy = -1; ddy <= 1; ddy++) {
              const yy = vy + ddy;
              if (yy < 0 || yy >= ny) continue;
              for (let ddx = -1; ddx <= 1; ddx++) {
                const xx = vx + ddx;
                if (xx < 0 || xx >= nx) continue;
                const u = (zz * ny + yy) * nx + xx;
                if (seen[u] || levels[u] !== level) continue;
                seen[u] = 1;
                stack[top++] = u;
              }
            }
          }
        }
        zones.push({ level, size, distance: minD });
      }
  return zones;
}

function zoneMatrix(zones: readonly Zone[], ng: number, nj: number, key: 'size' | 'distance'): Float64Array {
  const m = new Float64Array(ng * nj);
  for (const zn of zones) m[(zn.level - 1) * nj + zn[key] - 1]!++;
  return m;
}

/** GLSZM and GLDZM features for the requested aggregations. */
export function zoneFamilies(
  roi: DiscreteRoi,
  aggregations: readonly ZoneAggregation[],
  families: { szm: boolean; dzm: boolean },
): { szm: Map<ZoneAggregation, Map<string, number>>; dzm: Map<ZoneAggregation, Map<string, number>> } {
  const szm = new Map<ZoneAggregation, Map<string, number>>();
  const dzm = new Map<ZoneAggregation, Map<string, number>>();
  const ng = roi.ng;
  const both = (zones: readonly Zone[], nv: number, nS: number, nD: number): [Map<string, number> | null, Map<string, number> | null] => [
    families.szm ? sizeMatrixFeatures(zoneMatrix(zones, ng, nS, 'size'), ng, nS, nv) : null,
    families.dzm ? sizeMatrixFeatures(zoneMatrix(zones, ng, nD, 'distance'), ng, nD, nv) : null,
  ];
  const maxOf = (zones: readonly Zone[], k: 'size' | 'distance'): number => zones.reduce((a, zn) => Math.max(a, zn[k]), 1);
  if (aggregations.includes('2D') || aggregations.includes('2_5D')) {
    const slices: { zones: Zone[]; nv: number }[] = [];
    for (let z = 0; z < roi.nz; z++) {
      const nv = roiVoxels(roi, z);
      if (nv > 0) slices.push({ zones: findZones(roi, z), nv });
    }
    if (aggregations.includes('2D')) {
      const s: Map<string, number>[] = [], d: Map<string, number>[] = [];
      for (const sl of slices) {
        const [fs, fd] = both(sl.zones, sl.nv, maxOf(sl.zones, 'size'), maxOf(sl.zones, 'distance'));
        if (fs) s.push(fs);
        if (fd) d.push(fd);
      }
      szm.set('2D', renameKeys(averageMaps(s), SZM));
      dzm.set('2D', renameKeys(averageMaps(d), DZM));
    }
    if (aggregations.includes('2_5D')) {
      const all = slices.flatMap((sl) => sl.zones);
      const nv = slices.reduce((a, sl) => a + sl.nv, 0);
      const [fs, fd] = both(all, nv, maxOf(all, 'size'), maxOf(all, 'distance'));
      if (fs) szm.set('2_5D', renameKeys(fs, SZM));
      if (fd) dzm.set('2_5D', renameKeys(fd, DZM));
    }
  }
  if (aggregations.includes('3D')) {
    const zones = findZones(roi, null);
    const [fs, fd] = both(zones, roiVoxels(roi, null), maxOf(zones, 'size'), maxOf(zones, 'distance'));
    if (fs) szm.set('3D', renameKeys(fs, SZM));
    if (fd) dzm.set('3D', renameKeys(fd, DZM));
  }
  return { szm, dzm };
}
