/** Index ↔ LPS world transforms (world = origin + direction · diag(spacing) · ijk). */
import type { Geometry, Mat3, Vec3 } from '../core/volume.js';
import { RachisError } from '../core/errors.js';

/** direction · diag(spacing), row-major: maps an index step to an LPS step in mm. */
export function indexToWorldMatrix(g: Geometry): Mat3 {
  const d = g.direction;
  const s = g.spacing;
  return [
    d[0] * s[0], d[1] * s[1], d[2] * s[2],
    d[3] * s[0], d[4] * s[1], d[5] * s[2],
    d[6] * s[0], d[7] * s[1], d[8] * s[2],
  ];
}

export function determinant(m: Mat3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Solve the 3×3 linear system m·x = t (row-major m) by Cramer's rule; undefined when singular. */
export function solve3(m: readonly number[], t: readonly number[]): [number, number, number] | undefined {
  const det3 = (a: readonly number[]): number => determinant(a as unknown as Mat3); // a has 9 entries, row-major
  const d = det3(m);
  if (!(Math.abs(d) > 1e-9)) return undefined;
  const col = (c: number): number[] => m.map((v, i) => (i % 3 === c ? t[Math.floor(i / 3)]! : v));
  return [det3(col(0)) / d, det3(col(1)) / d, det3(col(2)) / d];
}

export function invert3(m: Mat3): Mat3 {
  const det = determinant(m);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) {
    throw new RachisError('INVALID_ARGUMENT', 'geometry is singular (direction/spacing not invertible)');
  }
  const inv = 1 / det;
  return [
    (m[4] * m[8] - m[5] * m[7]) * inv, (m[2] * m[7] - m[1] * m[8]) * inv, (m[1] * m[5] - m[2] * m[4]) * inv,
    (m[5] * m[6] - m[3] * m[8]) * inv, (m[0] * m[8] - m[2] * m[6]) * inv, (m[2] * m[3] - m[0] * m[5]) * inv,
    (m[3] * m[7] - m[4] * m[6]) * inv, (m[1] * m[6] - m[0] * m[7]) * inv, (m[0] * m[4] - m[1] * m[3]) * inv,
  ];
}

export function mulMat3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  }
  return r as unknown as Mat3;
}

export function mulMatVec(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Continuous index (i,j,k) → LPS mm. */
export function indexToWorld(g: Geometry, ijk: Vec3): Vec3 {
  const p = mulMatVec(indexToWorldMatrix(g), ijk);
  return [p[0] + g.origin[0], p[1] + g.origin[1], p[2] + g.origin[2]];
}

/** LPS mm → continuous index (i,j,k). */
export function worldToIndex(g: Geometry, p: Vec3): Vec3 {
  const inv = invert3(indexToWorldMatrix(g));
  return mulMatVec(inv, [p[0] - g.origin[0], p[1] - g.origin[1], p[2] - g.origin[2]]);
}
