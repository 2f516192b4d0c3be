/** Deterministic random test images (small, anisotropic, oblique) shared by the ops/io tests. */
import type { Geometry, Mat3, Vec3 } from '@rachis/imaging';

/** mulberry32: tiny seeded PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A proper rotation from Euler angles (radians), row-major with axes as columns. */
export function rotation(ax: number, ay: number, az: number): Mat3 {
  const [ca, sa, cb, sb, cc, sc] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  const rx = [1, 0, 0, 0, ca, -sa, 0, sa, ca];
  const ry = [cb, 0, sb, 0, 1, 0, -sb, 0, cb];
  const rz = [cc, -sc, 0, sc, cc, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]): number[] =>
    [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!));
  return mul(rz, mul(ry, rx)) as unknown as Mat3;
}

export function geometry(size: Vec3, spacing: Vec3 = [0.7, 1.1, 2.3], direction: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1], origin: Vec3 = [-12.5, 30.25, 7]): Geometry {
  return { size, spacing, origin, direction };
}

export function randomMask(g: Geometry, p: number, seed: number): Geometry & { data: Uint8Array } {
  const r = rng(seed);
  const data = new Uint8Array(g.size[0] * g.size[1] * g.size[2]);
  for (let i = 0; i < data.length; i++) data[i] = r() < p ? 1 : 0;
  return { ...g, data };
}

export function randomFloat(g: Geometry, seed: number, lo = -1000, hi = 2000): Geometry & { data: Float32Array } {
  const r = rng(seed);
  const data = new Float32Array(g.size[0] * g.size[1] * g.size[2]);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * r();
  return { ...g, data };
}

export const idx = (g: Geometry, i: number, j: number, k: number): number => i + g.size[0] * (j + g.size[1] * k);
