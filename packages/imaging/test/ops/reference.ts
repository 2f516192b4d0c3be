/** Brute-force reference implementations: slow, obvious, independent of the code under test. */
import type { Geometry } from '@rachis/imaging';

type Data = ArrayLike<number>;

function coords(g: Geometry, p: number): [number, number, number] {
  const i = p % g.size[0];
  const j = Math.floor(p / g.size[0]) % g.size[1];
  const k = Math.floor(p / (g.size[0] * g.size[1]));
  return [i, j, k];
}

/** BFS flood fill of voxels where `inside(v)`; neighbours with squared offset ≤ maxSq. */
export function bfsLabels(g: Geometry, data: Data, maxSq: number, inside: (v: number) => boolean = (v) => v !== 0): Int32Array {
  const [nx, ny, nz] = g.size;
  const lab = new Int32Array(data.length);
  let next = 0;
  for (let s = 0; s < data.length; s++) {
    if (!inside(data[s]!) || lab[s]) continue;
    lab[s] = ++next;
    const stack = [s];
    while (stack.length) {
      const p = stack.pop()!;
      const [i, j, k] = coords(g, p);
      for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const sq = dx * dx + dy * dy + dz * dz;
        if (sq === 0 || sq > maxSq) continue;
        const [x, y, z] = [i + dx, j + dy, k + dz];
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
        const q = x + nx * (y + ny * z);
        if (inside(data[q]!) && !lab[q]) {
          lab[q] = next;
          stack.push(q);
        }
      }
    }
  }
  return lab;
}

/** min over sites q of sqrt(Σ((p−q)·step)²); Infinity without sites. */
export function bruteDistance(g: Geometry, isSite: (p: number) => boolean, step: readonly number[]): Float64Array {
  const n = g.size[0] * g.size[1] * g.size[2];
  const sites: [number, number, number][] = [];
  for (let q = 0; q < n; q++) if (isSite(q)) sites.push(coords(g, q));
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const [i, j, k] = coords(g, p);
    let best = Infinity;
    for (const [a, b, c] of sites) {
      const d = ((i - a) * step[0]!) ** 2 + ((j - b) * step[1]!) ** 2 + ((k - c) * step[2]!) ** 2;
      if (d < best) best = d;
    }
    out[p] = Math.sqrt(best);
  }
  return out;
}

/** Is offset (di,dj,dk) voxels inside the ellipsoid of radii r (mm)? r=0 allows only offset 0 on that axis. */
export function inEllipsoid(d: readonly number[], spacing: readonly number[], r: readonly number[]): boolean {
  let s = 0;
  for (let a = 0; a < 3; a++) {
    if (r[a] === 0) {
      if (d[a] !== 0) return false;
      continue;
    }
    s += ((d[a]! * spacing[a]!) / r[a]!) ** 2;
  }
  return s <= 1 + 1e-6;
}

export function bruteDilate(g: Geometry, m: Data, r: readonly number[]): Uint8Array {
  const n = m.length;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const cp = coords(g, p);
    for (let q = 0; q < n && !out[p]; q++) {
      if (!m[q]) continue;
      const cq = coords(g, q);
      if (inEllipsoid([cp[0] - cq[0], cp[1] - cq[1], cp[2] - cq[2]], g.spacing, r)) out[p] = 1;
    }
  }
  return out;
}

export function bruteErode(g: Geometry, m: Data, r: readonly number[]): Uint8Array {
  const n = m.length;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    if (!m[p]) continue;
    const cp = coords(g, p);
    let keep = 1;
    for (let q = 0; q < n && keep; q++) {
      if (m[q]) continue;
      const cq = coords(g, q);
      if (inEllipsoid([cp[0] - cq[0], cp[1] - cq[1], cp[2] - cq[2]], g.spacing, r)) keep = 0;
    }
    out[p] = keep;
  }
  return out;
}

export { coords };
