/**
 * 3-D connected-component labelling (6/18/26) by union-find over x-runs (runs.ts), and hole filling.
 * Written by hand: npm has no maintained 3-D connected-components package (engineering-notes).
 */
import type { Components } from './types.js';
import type { Connectivity, Image, Mask } from './image.js';
import { checkImage, geometryOf, maskLike } from './image.js';
import { labelRuns } from './runs.js';

/**
 * Labels the non-zero voxels of `mask`. Ids 1..count are ordered by decreasing size
 * (ties: the component met first in x-fastest scan order comes first).
 */
export function connectedComponents(mask: Image, connectivity: Connectivity = 26): Components {
  const n = checkImage(mask, 'connectedComponents');
  const [nx] = mask.size;
  const runs = labelRuns(mask.data, mask.size, connectivity, true);
  const { start, end, rowOf, root, count } = runs;
  // Roots are the first run of their component in scan order; sizes accumulate per root.
  const size = new Float64Array(count);
  for (let r = 0; r < count; r++) size[root[r]!]! += end[r]! - start[r]! + 1;
  const roots: number[] = [];
  for (let r = 0; r < count; r++) if (root[r] === r) roots.push(r);
  roots.sort((a, b) => size[b]! - size[a]! || a - b);
  const id = new Int32Array(count);
  roots.forEach((r, i) => (id[r] = i + 1));
  const labels = new Int32Array(n);
  for (let r = 0; r < count; r++) {
    const base = rowOf[r]! * nx;
    labels.fill(id[root[r]!]!, base + start[r]!, base + end[r]! + 1);
  }
  return {
    labels: { ...geometryOf(mask), data: labels },
    count: roots.length,
    sizes: roots.map((r) => size[r]!),
  };
}

/**
 * Fills cavities: background voxels not connected to the image border through background
 * (6-connected by default, the complement of 26-connected objects) become 1.
 */
export function fillHoles(mask: Mask, backgroundConnectivity: Connectivity = 6): Mask {
  const n = checkImage(mask, 'fillHoles');
  const [nx, ny, nz] = mask.size;
  const src = mask.data;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = src[p] !== 0 ? 1 : 0;
  const { start, end, rowOf, root, count } = labelRuns(src, mask.size, backgroundConnectivity, false);
  const open = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const row = rowOf[r]!;
    const j = row % ny;
    const k = (row - j) / ny;
    if (start[r] === 0 || end[r] === nx - 1 || j === 0 || j === ny - 1 || k === 0 || k === nz - 1) open[root[r]!] = 1;
  }
  for (let r = 0; r < count; r++) {
    if (open[root[r]!]) continue;
    const base = rowOf[r]! * nx;
    out.fill(1, base + start[r]!, base + end[r]! + 1);
  }
  return maskLike(mask, out);
}
