/**
 * 3-D connected-component labelling (6/18/26) by two-pass union-find, and hole filling.
 * Written by hand: npm has no maintained 3-D connected-components package (engineering-notes).
 */
import type { Components } from './types.js';
import type { Connectivity, Image, Mask } from './image.js';
import { checkImage, geometryOf, maskLike } from './image.js';
import { backwardOffsets, neighbourOffsets } from './neighbourhood.js';

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const p = parent[parent[x]!]!;
    parent[x] = p; // path halving
    x = p;
  }
  return x;
}

/**
 * Labels the non-zero voxels of `mask`. Ids 1..count are ordered by decreasing size
 * (ties: the component met first in x-fastest scan order comes first).
 */
export function connectedComponents(mask: Image, connectivity: Connectivity = 26): Components {
  const n = checkImage(mask, 'connectedComponents');
  const [nx, ny, nz] = mask.size;
  const nxy = nx * ny;
  const src = mask.data;
  const offsets = backwardOffsets(connectivity);
  const m = offsets.length;
  const odx = Int32Array.from(offsets, (o) => o[0]);
  const ody = Int32Array.from(offsets, (o) => o[1]);
  const odz = Int32Array.from(offsets, (o) => o[2]);
  const odelta = Int32Array.from(offsets, (o) => o[0] + o[1] * nx + o[2] * nxy);

  const labels = new Int32Array(n);
  let parent = new Int32Array(1024);
  let next = 1;
  for (let k = 0, p = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        if (src[p] === 0) continue;
        let label = 0;
        for (let q = 0; q < m; q++) {
          const x = i + odx[q]!;
          const y = j + ody[q]!;
          if (x < 0 || x >= nx || y < 0 || y >= ny || k + odz[q]! < 0) continue;
          const l = labels[p + odelta[q]!]!;
          if (l === 0) continue;
          if (label === 0) {
            label = l;
          } else if (l !== label) {
            const a = find(parent, label);
            const b = find(parent, l);
            if (a !== b) {
              if (a < b) parent[b] = a;
              else parent[a] = b;
            }
          }
        }
        if (label === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(parent.length * 2);
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          label = next++;
        }
        labels[p] = label;
      }
    }
  }

  // Resolve roots; count sizes per root.
  const rootSize = new Float64Array(next);
  for (let l = 1; l < next; l++) parent[l] = find(parent, l);
  for (let p = 0; p < n; p++) {
    const l = labels[p]!;
    if (l !== 0) rootSize[parent[l]!]!++;
  }
  const roots: number[] = [];
  for (let l = 1; l < next; l++) if (parent[l] === l) roots.push(l);
  // Roots are the smallest provisional label of their set, i.e. in order of first appearance.
  roots.sort((a, b) => rootSize[b]! - rootSize[a]! || a - b);
  const finalId = new Int32Array(next);
  roots.forEach((r, i) => (finalId[r] = i + 1));
  for (let l = 1; l < next; l++) finalId[l] = finalId[parent[l]!]!;
  for (let p = 0; p < n; p++) {
    const l = labels[p]!;
    if (l !== 0) labels[p] = finalId[l]!;
  }
  return {
    labels: { ...geometryOf(mask), data: labels },
    count: roots.length,
    sizes: roots.map((r) => rootSize[r]!),
  };
}

/**
 * Fills cavities: background voxels not connected to the image border through background
 * (6-connected by default, the complement of 26-connected objects) become 1.
 */
export function fillHoles(mask: Mask, backgroundConnectivity: Connectivity = 6): Mask {
  const n = checkImage(mask, 'fillHoles');
  const [nx, ny, nz] = mask.size;
  const nxy = nx * ny;
  const src = mask.data;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = src[p] !== 0 ? 1 : 0;
  // 2 marks background reached from the border; a flat queue of voxel indices avoids allocations.
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const seed = (p: number): void => {
    if (out[p] === 0) {
      out[p] = 2;
      queue[tail++] = p;
    }
  };
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const onFace = k === 0 || k === nz - 1 || j === 0 || j === ny - 1;
      const row = j * nx + k * nxy;
      if (onFace) for (let i = 0; i < nx; i++) seed(row + i);
      else {
        seed(row);
        seed(row + nx - 1);
      }
    }
  }
  const offsets = neighbourOffsets(backgroundConnectivity);
  while (head < tail) {
    const p = queue[head++]!;
    const k = Math.floor(p / nxy);
    const j = Math.floor((p - k * nxy) / nx);
    const i = p - k * nxy - j * nx;
    for (const [dx, dy, dz] of offsets) {
      const x = i + dx;
      const y = j + dy;
      const z = k + dz;
      if (x < 0 || x >= nx || y < 0 || y >= ny || z < 0 || z >= nz) continue;
      seed(p + dx + dy * nx + dz * nxy);
    }
  }
  for (let p = 0; p < n; p++) out[p] = out[p] === 2 ? 0 : 1;
  return maskLike(mask, out);
}
