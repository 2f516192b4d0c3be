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

/**
 * Fills holes slice by slice: in every plane normal to axis `across`, background pixels that are
 * not 4-connected to that plane's border through background become 1. Unlike `fillHoles`, a
 * cavity open only through a neighbouring slice is still filled (a vertebral body's marrow
 * enclosed by its cortex in each axial slice, leaking through an endplate in 3-D).
 */
export function fillHolesInSlices(mask: Mask, across: 0 | 1 | 2): Mask {
  checkImage(mask, 'fillHolesInSlices');
  const size = mask.size;
  const stride = [1, size[0], size[0] * size[1]];
  const [u, v] = [0, 1, 2].filter((a) => a !== across) as [number, number];
  const nu = size[u]!;
  const nv = size[v]!;
  const su = stride[u]!;
  const sv = stride[v]!;
  const out = new Uint8Array(mask.data.length);
  for (let p = 0; p < out.length; p++) out[p] = mask.data[p] !== 0 ? 1 : 0;
  const reached = new Uint8Array(nu * nv);
  const stack: number[] = [];
  for (let t = 0; t < size[across]!; t++) {
    const base = t * stride[across]!;
    reached.fill(0);
    const push = (a: number, b: number): void => {
      const q = a + nu * b;
      if (reached[q] || out[base + a * su + b * sv]) return;
      reached[q] = 1;
      stack.push(q);
    };
    for (let a = 0; a < nu; a++) {
      push(a, 0);
      push(a, nv - 1);
    }
    for (let b = 0; b < nv; b++) {
      push(0, b);
      push(nu - 1, b);
    }
    while (stack.length > 0) {
      const q = stack.pop()!;
      const a = q % nu;
      const b = (q - a) / nu;
      if (a > 0) push(a - 1, b);
      if (a < nu - 1) push(a + 1, b);
      if (b > 0) push(a, b - 1);
      if (b < nv - 1) push(a, b + 1);
    }
    for (let b = 0; b < nv; b++) for (let a = 0; a < nu; a++) if (!reached[a + nu * b]) out[base + a * su + b * sv] = 1;
  }
  return maskLike(mask, out);
}
