/**
 * Phantom anatomy: the list of levels with textbook-like dimensions and the column centreline
 * (arc-length parametrised, with sagittal kyphosis/lordosis and a coronal scoliosis curve).
 * Everything here is in the phantom's own world frame (LPS mm): x = patient left, y = posterior,
 * z = superior; the top of C1 sits at z = 0 and the column runs towards −z.
 */
import type { Vec3 } from '@rachis/imaging';
import type { VertebraName } from '../types.js';
import type { SpinePhantomParams } from './params.js';

export type Region = 'C' | 'T' | 'L' | 'S';

export interface LevelAnatomy {
  name: VertebraName;
  region: Region;
  /** Half width (left-right) and half depth (antero-posterior) of the vertebral body, mm. */
  bodyRx: number;
  bodyRy: number;
  /** Normal (undeformed) body height, mm. */
  height: number;
  /** Height of the disc below this level, mm. */
  discBelow: number;
  canalRx: number;
  canalRy: number;
  /** Transverse process length from the arch, mm. */
  tpLength: number;
  spinousLength: number;
  /** Downward slope of the spinous process, degrees. */
  spinousSlopeDeg: number;
  /** Radius of the posterior-element capsules, mm. */
  archRadius: number;
  hasRibs: boolean;
  /** Index of the rib pair (1-based) carried by this level, 0 when none. */
  ribIndex: number;
}

const lerp = (a: number, b: number, f: number): number => a + (b - a) * f;

export function levelNames(thoracic: number, lumbar: number): VertebraName[] {
  const names: VertebraName[] = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
  for (let i = 1; i <= thoracic; i++) names.push(`T${i}` as VertebraName);
  for (let i = 1; i <= lumbar; i++) names.push(`L${i}` as VertebraName);
  names.push('S1');
  return names;
}

export function buildLevels(p: Required<Pick<SpinePhantomParams, 'thoracicCount' | 'lumbarCount' | 'ribPairs'>>): LevelAnatomy[] {
  const names = levelNames(p.thoracicCount, p.lumbarCount);
  const out: LevelAnatomy[] = [];
  let tIndex = 0;
  let lIndex = 0;
  for (const name of names) {
    const region = name[0] as Region;
    if (region === 'C') {
      const n = Number(name.slice(1));
      const f = Math.max(0, (n - 3) / 4);
      out.push({
        name, region, bodyRx: lerp(8, 11, f), bodyRy: lerp(7.5, 8.5, f),
        height: n === 1 ? 10 : n === 2 ? 20 : lerp(13, 14, f), discBelow: n <= 1 ? 2 : 5,
        canalRx: 12, canalRy: 8, tpLength: 8, spinousLength: n === 7 ? 25 : 15, spinousSlopeDeg: 20,
        archRadius: 2.5, hasRibs: false, ribIndex: 0,
      });
    } else if (region === 'T') {
      tIndex++;
      const f = (tIndex - 1) / (p.thoracicCount - 1);
      const ribIndex = tIndex <= p.ribPairs ? tIndex : 0;
      out.push({
        name, region, bodyRx: lerp(12, 20, f), bodyRy: lerp(8.5, 15, f), height: lerp(16, 24, f),
        discBelow: lerp(4, 7, f), canalRx: 8.5, canalRy: 8, tpLength: lerp(16, 12, f), spinousLength: lerp(30, 28, f),
        spinousSlopeDeg: lerp(35, 15, f), archRadius: 3.5, hasRibs: ribIndex > 0, ribIndex,
      });
    } else if (region === 'L') {
      lIndex++;
      const f = (lIndex - 1) / (p.lumbarCount - 1);
      out.push({
        name, region, bodyRx: lerp(21, 25, f), bodyRy: lerp(15.5, 17.5, f), height: lerp(25, 27, f),
        discBelow: lerp(10, 12, f), canalRx: 11, canalRy: 9, tpLength: 16 + 10 * Math.sin(Math.PI * f), spinousLength: 28,
        spinousSlopeDeg: 5, archRadius: 4.5, hasRibs: false, ribIndex: 0,
      });
    } else {
      out.push({
        name, region, bodyRx: 25, bodyRy: 17, height: 26, discBelow: 0, canalRx: 12, canalRy: 6, tpLength: 0,
        spinousLength: 15, spinousSlopeDeg: 30, archRadius: 4, hasRibs: false, ribIndex: 0,
      });
    }
  }
  return out;
}

/** Column centreline sampled every `step` mm of arc length: positions and caudal unit tangents. */
export interface Centreline {
  step: number;
  points: Vec3[];
  tangents: Vec3[];
}

export interface CurveSpec {
  /** Arc-length positions (mm) of the level centres, same order as the levels. */
  centresS: number[];
  kyphosisDeg: number;
  lordosisDeg: number;
  scoliosis?: { amplitudeMm: number; fromS: number; toS: number; shape: 'C' | 'S' };
}

/**
 * Integrate the centreline. Sagittal angle θ(s): constant curvature in each region
 * (cervical lordosis 20°, thoracic kyphosis, lumbar lordosis), θ = 0 at the T/L junction.
 * Coronal offset X(s): a sine (C) or full-period sine (S) curve of the given amplitude.
 */
export function buildCentreline(spec: CurveSpec, levels: LevelAnatomy[], totalLength: number): Centreline {
  const step = 0.5;
  const idx = (pred: (l: LevelAnatomy) => boolean, last = false): number => {
    const i = last ? levels.findLastIndex(pred) : levels.findIndex(pred);
    return Math.max(0, i);
  };
  const s = (i: number): number => spec.centresS[i] ?? 0;
  const sT1 = s(idx((l) => l.region === 'T'));
  const sT4 = s(idx((l) => l.name === 'T4'));
  const sT12 = s(idx((l) => l.region === 'T', true));
  const sL1 = s(idx((l) => l.region === 'L'));
  const sS1 = s(idx((l) => l.region === 'S'));
  // θ = 0 a quarter of the way down the lumbar spine: L1 tilts a little forward, S1 about 37° back.
  const sTL = sL1 + 0.25 * (sS1 - sL1);
  const deg = Math.PI / 180;
  const kT = (-spec.kyphosisDeg * deg) / Math.max(1, sT12 - sT4);
  const kL = (spec.lordosisDeg * deg) / Math.max(1, sS1 - sL1);
  const kC = (20 * deg) / Math.max(1, sT1);
  // θ(s) by integrating the piecewise-constant curvature from the T/L junction (θ = 0).
  const theta = (x: number): number => {
    if (x >= sL1) return kL * (Math.min(x, sS1) - sTL);
    // Kyphosis curvature over T4–T12, a third of it over T1–T4.
    const tPart = kL * (sL1 - sTL) + kT * (Math.max(x, sT4) - sL1) + (kT / 3) * (Math.min(Math.max(x, sT1), sT4) - sT4);
    return x >= sT1 ? tPart : tPart + kC * (x - sT1);
  };
  const sc = spec.scoliosis;
  const dX = (x: number): number => {
    if (!sc || x < sc.fromS || x > sc.toS) return 0;
    const len = sc.toS - sc.fromS;
    const u = (x - sc.fromS) / len;
    // C: X = A·sin²(πu); S: X = A·sin(2πu)·sin(πu). Both have zero slope at the ends (no kink).
    const pi = Math.PI;
    const d = sc.shape === 'S'
      ? 2 * pi * Math.cos(2 * pi * u) * Math.sin(pi * u) + pi * Math.sin(2 * pi * u) * Math.cos(pi * u)
      : pi * Math.sin(2 * pi * u);
    return (sc.amplitudeMm * d) / len;
  };
  const n = Math.ceil(totalLength / step) + 1;
  const points: Vec3[] = [];
  const tangents: Vec3[] = [];
  let p: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const tx = dX(x);
    const ty = Math.tan(theta(x));
    const norm = Math.hypot(tx, ty, 1);
    const t: Vec3 = [tx / norm, ty / norm, -1 / norm];
    points.push([p[0], p[1], p[2]]);
    tangents.push(t);
    p = [p[0] + t[0] * step, p[1] + t[1] * step, p[2] + t[2] * step];
  }
  return { step, points, tangents };
}

export function sampleCentreline(c: Centreline, s: number): { p: Vec3; t: Vec3 } {
  const f = Math.min(Math.max(s / c.step, 0), c.points.length - 1);
  const i = Math.min(Math.floor(f), c.points.length - 2);
  const w = f - i;
  const a = c.points[i]!;
  const b = c.points[i + 1]!;
  const ta = c.tangents[i]!;
  const tb = c.tangents[i + 1]!;
  const t: Vec3 = [lerp(ta[0], tb[0], w), lerp(ta[1], tb[1], w), lerp(ta[2], tb[2], w)];
  const tn = Math.hypot(t[0], t[1], t[2]);
  return { p: [lerp(a[0], b[0], w), lerp(a[1], b[1], w), lerp(a[2], b[2], w)], t: [t[0] / tn, t[1] / tn, t[2] / tn] };
}

/** Local frame of a vertebra: h = cranial, a = anterior, l = patient left (right-handed: l = h × a). */
export interface Frame {
  c: Vec3;
  h: Vec3;
  a: Vec3;
  l: Vec3;
}

export function frameAt(c: Vec3, caudalTangent: Vec3): Frame {
  const h: Vec3 = [-caudalTangent[0], -caudalTangent[1], -caudalTangent[2]];
  // anterior = −y made perpendicular to h: a = −Y − ((−Y)·h) h
  let a: [number, number, number] = [h[1] * h[0], -1 + h[1] * h[1], h[1] * h[2]];
  const an = Math.hypot(a[0], a[1], a[2]);
  a = [a[0] / an, a[1] / an, a[2] / an];
  const l: Vec3 = [h[1] * a[2] - h[2] * a[1], h[2] * a[0] - h[0] * a[2], h[0] * a[1] - h[1] * a[0]];
  return { c, h, a, l };
}

export function toWorld(f: Frame, l: number, a: number, h: number): Vec3 {
  return [
    f.c[0] + l * f.l[0] + a * f.a[0] + h * f.h[0],
    f.c[1] + l * f.l[1] + a * f.a[1] + h * f.h[1],
    f.c[2] + l * f.l[2] + a * f.a[2] + h * f.h[2],
  ];
}
