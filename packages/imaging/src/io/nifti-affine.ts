/**
 * NIfTI affines (RAS+, 3×4 row-major) ↔ our LPS geometry, and the qform quaternion both ways
 * (formulas of nifti1_io.c: nifti_quatern_to_mat44 / nifti_mat44_to_quatern).
 * RAS → LPS negates the x and y rows of the affine.
 */
import type { Mat3, Vec3 } from '../core/volume.js';

/** 3×4 row-major affine: [r00 r01 r02 t0, r10 r11 r12 t1, r20 r21 r22 t2]. */
export type Affine34 = number[];

export interface SpatialFrame {
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  /** Set when the direction columns are not orthogonal (sheared affine). */
  sheared: boolean;
}

/** A RAS affine → LPS spacing/origin/direction. Returns undefined when an axis has zero length. */
export function rasAffineToFrame(a: Affine34): SpatialFrame | undefined {
  if (a.length !== 12 || !a.every(Number.isFinite)) return undefined;
  const sign = [-1, -1, 1];
  const cols: number[][] = [[], [], []];
  const spacing: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < 3; r++) cols[c]!.push(sign[r]! * a[r * 4 + c]!);
    const norm = Math.hypot(...cols[c]!);
    if (!(norm > 1e-12)) return undefined;
    spacing.push(norm);
    cols[c] = cols[c]!.map((v) => v / norm);
  }
  const direction = [0, 1, 2].flatMap((r) => [cols[0]![r]!, cols[1]![r]!, cols[2]![r]!]) as unknown as Mat3;
  const dot = (x: number[], y: number[]): number => x[0]! * y[0]! + x[1]! * y[1]! + x[2]! * y[2]!;
  const sheared =
    Math.abs(dot(cols[0]!, cols[1]!)) > 1e-4 || Math.abs(dot(cols[0]!, cols[2]!)) > 1e-4 || Math.abs(dot(cols[1]!, cols[2]!)) > 1e-4;
  return {
    spacing: spacing as unknown as Vec3,
    origin: [-a[3]!, -a[7]!, a[11]!],
    direction,
    sheared,
  };
}

/** LPS geometry → RAS affine (the sform rows). */
export function frameToRasAffine(spacing: Vec3, origin: Vec3, direction: Mat3): Affine34 {
  const sign = [-1, -1, 1];
  const a: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) a.push(sign[r]! * direction[r * 3 + c]! * spacing[c]!);
    a.push(sign[r]! * origin[r]!);
  }
  return a;
}

/** nifti_quatern_to_mat44: quaternion (b,c,d), offsets, pixdims and qfac → RAS affine. */
export function quaternToAffine(b: number, c: number, d: number, offset: Vec3, pixdim: Vec3, qfac: number): Affine34 {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Not a unit quaternion: nifti1_io renormalises (b,c,d) and takes a 180° rotation.
    const n = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= n;
    c *= n;
    d *= n;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const xd = pixdim[0] > 0 ? pixdim[0] : 1;
  const yd = pixdim[1] > 0 ? pixdim[1] : 1;
  let zd = pixdim[2] > 0 ? pixdim[2] : 1;
  if (qfac < 0) zd = -zd;
  const R = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const s = [xd, yd, zd];
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) out.push(R[r]![col]! * s[col]!);
    out.push(offset[r]!);
  }
  return out;
}

export interface Quatern {
  b: number;
  c: number;
  d: number;
  qfac: 1 | -1;
}

/** nifti_mat44_to_quatern for an orthonormal RAS direction (columns = axes). */
export function rotationToQuatern(dirRas: Mat3): Quatern {
  const m = [...dirRas];
  const det =
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  let qfac: 1 | -1 = 1;
  if (det < 0) {
    qfac = -1;
    m[2] = -m[2]!;
    m[5] = -m[5]!;
    m[8] = -m[8]!;
  }
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = m as [number, number, number, number, number, number, number, number, number];
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}
