/**
 * Orientation codes ('LPS', 'RAS', 'PSR', …: the LPS letter each of the i, j, k axes points to
 * most) and reorientation by axis permutation/flip — no interpolation, voxels keep their world
 * position, so reorient(reorient(img, c), original) restores the image exactly.
 */
import type { Mat3, Vec3 } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { Image } from './image.js';
import { allocLike, checkImage, derive } from './image.js';
import { indexToWorld } from './geometry.js';

/** Letter for +world axis w (LPS) and for −w. */
const POSITIVE = ['L', 'P', 'S'];
const NEGATIVE = ['R', 'A', 'I'];

interface AxisMap {
  /** World axis (0=x L/R, 1=y P/A, 2=z S/I) of each index axis. */
  world: [number, number, number];
  /** +1 when the index axis points to the positive LPS direction. */
  sign: [number, number, number];
}

/** Greedy: the largest |direction| entry fixes one (index axis, world axis) pair, then the next. */
function axisMap(direction: Mat3): AxisMap {
  const world: [number, number, number] = [-1, -1, -1];
  const sign: [number, number, number] = [1, 1, 1];
  const usedRow = [false, false, false];
  for (let step = 0; step < 3; step++) {
    let best = -1;
    let bc = 0;
    let br = 0;
    for (let c = 0; c < 3; c++) {
      if (world[c] !== -1) continue;
      for (let r = 0; r < 3; r++) {
        if (usedRow[r]) continue;
        const v = Math.abs(direction[r * 3 + c]!);
        if (v > best) {
          best = v;
          bc = c;
          br = r;
        }
      }
    }
    world[bc] = br;
    usedRow[br] = true;
    sign[bc] = direction[br * 3 + bc]! < 0 ? -1 : 1;
  }
  return { world, sign };
}

/** 'LPS', 'RAS', 'LIP', … : for each axis i,j,k the LPS letter it points to most. */
export function orientationCode(direction: Mat3): string {
  const { world, sign } = axisMap(direction);
  return world.map((w, a) => (sign[a]! > 0 ? POSITIVE[w] : NEGATIVE[w])).join('');
}

function parseCode(code: string): AxisMap {
  const world: [number, number, number] = [-1, -1, -1];
  const sign: [number, number, number] = [1, 1, 1];
  const up = code.toUpperCase();
  if (up.length === 3) {
    for (let a = 0; a < 3; a++) {
      const ch = up[a]!;
      const p = POSITIVE.indexOf(ch);
      const n = NEGATIVE.indexOf(ch);
      world[a] = p >= 0 ? p : n;
      sign[a] = p >= 0 ? 1 : -1;
    }
  }
  if (new Set(world).size !== 3 || world.includes(-1)) {
    throw new RachisError('INVALID_ARGUMENT', `orientation code "${code}" must name each of L/R, P/A, S/I once`);
  }
  return { world, sign };
}

/**
 * Permute/flip axes (no interpolation) so the image's orientation code becomes `code`
 * (default 'LPS': i→L, j→P, k→S). World positions of voxels are unchanged.
 */
export function reorient<T extends Image>(img: T, code = 'LPS'): T {
  checkImage(img, 'reorient');
  const want = parseCode(code);
  const have = axisMap(img.direction);
  const srcStride = [1, img.size[0], img.size[0] * img.size[1]];
  // For each new axis t: the source axis s pointing to the same world axis, and whether to flip it.
  const from: number[] = [];
  const flip: boolean[] = [];
  for (let t = 0; t < 3; t++) {
    const s = have.world.indexOf(want.world[t]!);
    from.push(s);
    flip.push(have.sign[s] !== want.sign[t]);
  }
  const size = from.map((s) => img.size[s]!) as unknown as Vec3;
  const spacing = from.map((s) => img.spacing[s]!) as unknown as Vec3;
  const direction = new Array<number>(9);
  for (let t = 0; t < 3; t++) {
    for (let r = 0; r < 3; r++) direction[r * 3 + t] = (flip[t] ? -1 : 1) * img.direction[r * 3 + from[t]!]!;
  }
  // Source index of the new voxel (0,0,0), and the source step of each new axis.
  const corner: [number, number, number] = [0, 0, 0];
  const step: number[] = [];
  let base = 0;
  for (let t = 0; t < 3; t++) {
    const s = from[t]!;
    if (flip[t]) {
      corner[s] = img.size[s]! - 1;
      base += corner[s] * srcStride[s]!;
    }
    step.push((flip[t] ? -1 : 1) * srcStride[s]!);
  }
  const out = allocLike(img.data, img.data.length);
  const src = img.data;
  const [s0, s1, s2] = step as [number, number, number];
  for (let k = 0, p = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      let q = base + j * s1 + k * s2;
      for (let i = 0; i < size[0]; i++, p++, q += s0) out[p] = src[q]!;
    }
  }
  const origin = indexToWorld(img, corner);
  return derive(img, { size, spacing, origin, direction: direction as unknown as Mat3 }, out);
}
