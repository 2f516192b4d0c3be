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
  // padded copy (1-voxel border of 0) of the slab z0..z1: neighbours need no bounds checks
  const px = nx + 2, py = ny + 2, pz = z1 - z0 + 3;
  const lv = new Int32Array(px * py * pz), dv = new Int32Array(px * py * pz);
  for (let k = z0; k <= z1; k++) for (let y = 0; y < ny; y++) {
    const src = (k * ny + y) * nx, dst = ((k - z0 + 1) * py + y + 1) * px + 1;
    for (let x = 0; x < nx; x++) { lv[dst + x] = levels[src + x]!; dv[dst + x] = dist[src + x]!; }
  }
  const offsets: number[] = [];
  for (let dz = z === null ? -1 : 0; dz <= (z === null ? 1 : 0); dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dx || dy || dz) offsets.push(dx + dy * px + dz * px * py);
  const off = Int32Array.from(offsets);
  const stack = new Int32Array(lv.length);
  const zones: Zone[] = [];
  for (let start = 0; start < lv.length; start++) {
    const level = lv[start]!;
    if (level <= 0) continue;
    lv[start] = -level; // visited
    let top = 0, size = 0, minD = Infinity;
    stack[top++] = start;
    while (top > 0) {
      const v = stack[--top]!;
      size++;
      if (dv[v]! < minD) minD = dv[v]!;
      for (let k = 0; k < off.length; k++) {
        const u = v + off[k]!;
        if (lv[u] !== level) continue;
        lv[u] = -level;
        stack[top++] = u;
      }
    }
    zones.push({ level, size, distance: minD });
  }
  return zones;
}

/** Zone counts over the distinct sizes (or distances) present: columns are sparse, j values given. */
function zoneFeatures(zones: readonly Zone[], ng: number, nv: number, key: 'size' | 'distance'): Map<string, number> | null {
  const values = [...new Set(zones.map((zn) => zn[key]))].sort((a, b) => a - b);
  const col = new Map(values.map((v, c) => [v, c]));
  const nj = Math.max(values.length, 1);
  const m = new Float64Array(ng * nj);
  for (const zn of zones) m[(zn.level - 1) * nj + col.get(zn[key])!]!++;
  return sizeMatrixFeatures(m, ng, nj, nv, values.length ? Float64Array.from(values) : undefined);
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
  const both = (zones: readonly Zone[], nv: number): [Map<string, number> | null, Map<string, number> | null] => [
    families.szm ? zoneFeatures(zones, ng, nv, 'size') : null,
    families.dzm ? zoneFeatures(zones, ng, nv, 'distance') : null,
  ];
  if (aggregations.includes('2D') || aggregations.includes('2_5D')) {
    const slices: { zones: Zone[]; nv: number }[] = [];
    for (let z = 0; z < roi.nz; z++) {
      const nv = roiVoxels(roi, z);
      if (nv > 0) slices.push({ zones: findZones(roi, z), nv });
    }
    if (aggregations.includes('2D')) {
      const s: Map<string, number>[] = [], d: Map<string, number>[] = [];
      for (const sl of slices) {
        const [fs, fd] = both(sl.zones, sl.nv);
        if (fs) s.push(fs);
        if (fd) d.push(fd);
      }
      szm.set('2D', renameKeys(averageMaps(s), SZM));
      dzm.set('2D', renameKeys(averageMaps(d), DZM));
    }
    if (aggregations.includes('2_5D')) {
      const all = slices.flatMap((sl) => sl.zones);
      const nv = slices.reduce((a, sl) => a + sl.nv, 0);
      const [fs, fd] = both(all, nv);
      if (fs) szm.set('2_5D', renameKeys(fs, SZM));
      if (fd) dzm.set('2_5D', renameKeys(fd, DZM));
    }
  }
  if (aggregations.includes('3D')) {
    const zones = findZones(roi, null);
    const [fs, fd] = both(zones, roiVoxels(roi, null));
    if (fs) szm.set('3D', renameKeys(fs, SZM));
    if (fd) dzm.set('3D', renameKeys(fd, DZM));
  }
  return { szm, dzm };
}
