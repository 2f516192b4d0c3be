/** Small geometric helpers for morphology: 3×3 symmetric eigenvalues, convex hull, ellipsoid area. */
import quickhull from 'quickhull3d';

/** Eigenvalues of a symmetric 3×3 matrix (cyclic Jacobi), sorted descending. */
export function symmetricEigenvalues3(m: readonly number[]): [number, number, number] {
  const a = [[m[0]!, m[1]!, m[2]!], [m[3]!, m[4]!, m[5]!], [m[6]!, m[7]!, m[8]!]] as number[][];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0]![1]! ** 2 + a[0]![2]! ** 2 + a[1]![2]! ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[p]![q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k]![p]!, akq = a[k]![q]!;
        a[k]![p] = c * akp - s * akq;
        a[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p]![k]!, aqk = a[q]![k]!;
        a[p]![k] = c * apk - s * aqk;
        a[q]![k] = s * apk + c * aqk;
      }
    }
  }
  const ev = [a[0]![0]!, a[1]![1]!, a[2]![2]!].sort((x, y) => y - x);
  return [ev[0]!, ev[1]!, ev[2]!];
}

export interface Hull {
  readonly volume: number;
  readonly area: number;
  /** Largest distance between two hull vertices (= Feret / maximum 3D diameter of the point set). */
  readonly maxDiameter: number;
}

/** Convex hull of points (xyz interleaved) via quickhull3d. */
export function convexHull(vertices: Float64Array): Hull {
  const pts: [number, number, number][] = [];
  for (let i = 0; i < vertices.length; i += 3) pts.push([vertices[i]!, vertices[i + 1]!, vertices[i + 2]!]);
  const faces = quickhull(pts);
  let vol6 = 0, area2 = 0;
  const c = pts.reduce((acc, p) => [acc[0]! + p[0] / pts.length, acc[1]! + p[1] / pts.length, acc[2]! + p[2] / pts.length], [0, 0, 0]);
  const used = new Set<number>();
  for (const f of faces) {
    for (let k = 1; k + 1 < f.length; k++) {
      const a = pts[f[0]!]!, b = pts[f[k]!]!, d = pts[f[k + 1]!]!;
      const ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
      const vx = d[0] - a[0], vy = d[1] - a[1], vz = d[2] - a[2];
      const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      area2 += Math.hypot(nx, ny, nz);
      vol6 += Math.abs(nx * (a[0] - c[0]!) + ny * (a[1] - c[1]!) + nz * (a[2] - c[2]!));
    }
    for (const i of f) used.add(i);
  }
  const hv = [...used].map((i) => pts[i]!);
  let d2 = 0;
  for (let i = 0; i < hv.length; i++)
    for (let j = i + 1; j < hv.length; j++) {
      const a = hv[i]!, b = hv[j]!;
      const dd = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
      if (dd > d2) d2 = dd;
    }
  return { volume: vol6 / 6, area: area2 / 2, maxDiameter: Math.sqrt(d2) };
}

/**
 * IBSI-1 3.1.20 "approximate enclosing ellipsoid" surface area, semi-axes a ≥ b ≥ c:
 *   A = 4π·a·b·Σ_{ν=0}^{20} (αβ)^ν/(1 − 4ν²)·P_ν((α² + β²)/(2αβ)),  α² = 1 − b²/a², β² = 1 − c²/a².
 * This is the IBSI definition (exact for a sphere, an approximation for elongated ellipsoids); the
 * terms Q_ν = (αβ)^ν·P_ν(·) are built by the Legendre recurrence without dividing by αβ.
 */
export function ellipsoidArea(a: number, b: number, c: number): number {
  const a2 = Math.max(0, 1 - (b * b) / (a * a));
  const b2 = Math.max(0, 1 - (c * c) / (a * a));
  const s = (a2 + b2) / 2; // = αβ·x
  const p = a2 * b2; // = (αβ)²
  let qPrev = 1, qCur = s;
  let sum = 1 + qCur / (1 - 4);
  for (let nu = 2; nu <= 20; nu++) {
    const q = ((2 * nu - 1) * s * qCur - (nu - 1) * p * qPrev) / nu;
    qPrev = qCur;
    qCur = q;
    sum += q / (1 - 4 * nu * nu);
  }
  return 4 * Math.PI * a * b * sum;
}
