/**
 * Ribs that the vertebra's own bone does not reach. Rib evidence normally comes from bone grown
 * out of the vertebra through its costovertebral joints; on thin-sliced or low-dose CT those
 * joints often read as a gap on the 2 mm grid, and the short floating ribs of T11–T12 (the very
 * ones that anchor the thoracolumbar junction) are then missed. A free bone component counts as a
 * rib of a vertebra when its medial end lies beside the vertebra's canal (≤ 35 mm from it, where
 * the rib head and neck are) within the vertebra's slices, it reaches far out like a rib
 * (≥ 65 mm lateral, beyond the longest lumbar transverse process, or curving forward beside the
 * body), and it is not a large plate (≤ 60 mL: a hemipelvis or scapula is far bigger, and their
 * medial edges stay further out).
 */
import { connectedComponents } from '@rachis/imaging';
import type { Body } from './bodies.js';
import type { CanalPath } from './canal.js';
import type { WorkGrid } from './grid.js';

const MEDIAL_MM = 35;
const REACH_MM = 65;
const MAX_ML = 60;

/** Per body, mL of free rib bone on the left and right. `label`: pass-1 vertebra labels (0 = free). */
export function looseRibEvidence(g: WorkGrid, canal: CanalPath, bodies: readonly Body[], filled: Uint8Array, label: Uint8Array): { left: number; right: number }[] {
  const { nx, ny, nz, sp } = g;
  const nxy = nx * ny;
  const free = new Uint8Array(filled.length);
  for (let p = 0; p < free.length; p++) if (filled[p] && !label[p]) free[p] = 1;
  const cc = connectedComponents({ ...g.geometry, data: free }, 26);
  const nc = cc.sizes.length;
  // Per component: most medial |lat| and its slice and side, furthest reach, forward curve.
  const minLat = new Float64Array(nc + 1).fill(Infinity);
  const kMedial = new Int32Array(nc + 1);
  const side = new Int8Array(nc + 1);
  const maxLat = new Float64Array(nc + 1);
  const forward = new Uint8Array(nc + 1);
  const lab = cc.labels.data;
  for (let k = 0; k < nz; k++) {
    if (Number.isNaN(canal.x[k]!)) continue;
    const x0 = canal.x[k]!;
    const y0 = canal.y[k]!;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = lab[i + j * nx + k * nxy]!;
        if (!c) continue;
        const lat = i * sp - x0;
        const alat = Math.abs(lat);
        const ant = y0 - j * sp;
        if (alat < minLat[c]!) {
          minLat[c] = alat;
          kMedial[c] = k;
          side[c] = lat > 0 ? 1 : -1;
        }
        if (alat > maxLat[c]!) maxLat[c] = alat;
        if (alat >= 40 && ant >= 25) forward[c] = 1;
      }
    }
  }
  const out = bodies.map(() => ({ left: 0, right: 0 }));
  const ml = (sp * sp * sp) / 1000;
  for (let c = 1; c <= nc; c++) {
    const volume = cc.sizes[c - 1]! * ml;
    if (minLat[c]! > MEDIAL_MM || volume > MAX_ML || !(maxLat[c]! >= REACH_MM || forward[c])) continue;
    const z = kMedial[c]! * sp;
    const bi = bodies.findIndex((b) => z >= b.k0 * sp - 4 && z <= b.k1 * sp + 4);
    if (bi < 0) continue;
    if (side[c]! > 0) out[bi]!.left += volume;
    else out[bi]!.right += volume;
  }
  return out;
}
