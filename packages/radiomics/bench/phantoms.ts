/** Synthetic CT-like volumes with exact ROIs for the radiomics benchmark (deterministic). */
import type { Image } from '@rachis/imaging';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Correlated noise: white noise box-blurred twice along each axis (radius r voxels). */
function smoothNoise(n: [number, number, number], r: number, seed: number): Float32Array {
  const [nx, ny, nz] = n;
  const rand = rng(seed);
  let a = Float32Array.from({ length: nx * ny * nz }, () => rand() - 0.5);
  const strides = [1, nx, nx * ny];
  for (let pass = 0; pass < 2; pass++)
    for (let axis = 0; axis < 3; axis++) {
      const out = new Float32Array(a.length);
      const st = strides[axis]!, len = n[axis]!;
      for (let i = 0; i < a.length; i++) {
        const c = Math.floor(i / st) % len;
        let sum = 0, cnt = 0;
        for (let d = -r; d <= r; d++) if (c + d >= 0 && c + d < len) { sum += a[i + d * st]!; cnt++; }
        out[i] = sum / cnt;
      }
      a = out;
    }
  let sd = 0;
  for (const v of a) sd += v * v;
  sd = Math.sqrt(sd / a.length);
  return a.map((v) => v / sd);
}

export interface Phantom { readonly name: string; readonly image: Image<Float32Array>; readonly mask: Image<Uint8Array> }

const geometry = (size: [number, number, number], spacing: [number, number, number]) => ({
  size, spacing, origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
});

/** Vertebral body at 1 mm: elliptic cylinder 40 × 30 mm, 25 mm high; trabecular core, cortical shell. */
export function vertebralBody(): Phantom {
  const size: [number, number, number] = [64, 56, 45];
  const noise = smoothNoise(size, 1, 11);
  const image = new Float32Array(noise.length), mask = new Uint8Array(noise.length);
  const [cx, cy, cz] = [32, 28, 22];
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) {
    const i = (z * size[1] + y) * size[0] + x;
    const r = Math.hypot((x - cx) / 20, (y - cy) / 15);
    const inside = r <= 1 && Math.abs(z - cz) <= 12.5;
    const shell = inside && (r > 0.88 || Math.abs(z - cz) > 11);
    image[i] = Math.round(inside ? (shell ? 650 : 220) + 90 * noise[i]! : -60 + 40 * noise[i]!);
    mask[i] = inside ? 1 : 0;
  }
  return { name: 'vertebral body, 1 mm', image: { ...geometry(size, [1, 1, 1]), data: image }, mask: { ...geometry(size, [1, 1, 1]), data: mask } };
}

/** ~100 000-voxel soft-tissue ellipsoid (semi-axes 36 × 30 × 22 mm) at 1 mm in a CT-like volume. */
export function ellipsoid100k(): Phantom {
  const size: [number, number, number] = [90, 80, 62];
  const noise = smoothNoise(size, 2, 23);
  const image = new Float32Array(noise.length), mask = new Uint8Array(noise.length);
  const [cx, cy, cz] = [45, 40, 31];
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) {
    const i = (z * size[1] + y) * size[0] + x;
    const inside = ((x - cx) / 36) ** 2 + ((y - cy) / 30) ** 2 + ((z - cz) / 22) ** 2 <= 1;
    image[i] = Math.round(inside ? 45 + 35 * noise[i]! : -100 + 60 * noise[i]!);
    mask[i] = inside ? 1 : 0;
  }
  return { name: '100k-voxel ellipsoid, 1 mm', image: { ...geometry(size, [1, 1, 1]), data: image }, mask: { ...geometry(size, [1, 1, 1]), data: mask } };
}
