/**
 * Bones of the phantom: vertebrae (body with cortical shell + trabecular core, pedicles,
 * laminae, articular/transverse/spinous processes), discs, canal, ribs, sacrum, iliac wings.
 */
import type { Vec3 } from '@rachis/imaging';
import { frameAt, toWorld } from './anatomy.js';
import type { Frame } from './anatomy.js';
import { bodyHeightAt } from './model.js';
import type { PlacedLevel, SpineModel } from './model.js';
import { PART, TISSUE } from './params.js';
import type { Canvas } from './raster.js';

const WORLD: Frame = { c: [0, 0, 0], l: [1, 0, 0], a: [0, 1, 0], h: [0, 0, 1] };
const C = TISSUE.cortical;
const CAN = TISSUE.cancellous;

function paintBody(cv: Canvas, v: PlacedLevel): void {
  const t = v.region === 'C' ? 0.8 : 1.0;
  const rx = v.bodyRx;
  const ry = v.bodyRy;
  const hh = Math.max(v.ha, v.hm, v.hp, v.height) / 2;
  const inside = (l: number, a: number, h: number): boolean => (l / rx) ** 2 + (a / ry) ** 2 <= 1 && Math.abs(h) <= bodyHeightAt(v, l, a) / 2;
  // The shell is point-sampled at voxel centres, so a band thinner than the voxel spacing is
  // missed in whole slices (a 1 mm endplate on 2 mm slices was absent from about half the
  // bodies, which no real CT shows: the scanner averages the endplate into the slice). A body
  // voxel with a neighbour voxel outside the body is therefore always cortex, whatever the
  // spacing, tilt or wedge. Steps to the six neighbours, in local (l, a, h) coordinates:
  const f = v.frame;
  const steps: Vec3[] = [];
  for (const [d, s] of [[0, cv.sx], [1, cv.sy], [2, cv.sz]] as const) {
    const u: Vec3 = [s * f.l[d]!, s * f.a[d]!, s * f.h[d]!];
    steps.push(u, [-u[0], -u[1], -u[2]]);
  }
  cv.forLocalBox(f, [-rx, -ry, -hh], [rx, ry, hh], (idx, l, a, h) => {
    if (!inside(l, a, h)) return;
    const half = bodyHeightAt(v, l, a) / 2;
    const core = (l / (rx - t)) ** 2 + (a / (ry - t)) ** 2 <= 1 && Math.abs(h) <= half - t;
    const inner = core && steps.every((u) => inside(l + u[0], a + u[1], h + u[2]));
    cv.paint(idx, inner ? TISSUE.trabecular : C, v.labelValue, PART.body);
  });
}

function paintArch(cv: Canvas, v: PlacedLevel, discAbove: number): void {
  const f = v.frame;
  const r = v.archRadius;
  const kh = (0.3 * v.height) / r;
  const cA = v.canalA;
  const lx = v.canalRx + r + 0.5;
  const lam: Vec3 = [0, cA - v.canalRy - r - 0.5, -0.1 * v.height];
  const cap = (p: Vec3, q: Vec3, rr: number, k: number): void => cv.capsuleLocal(f, p, q, rr, k, 1.2, C, CAN, v.labelValue, PART.posterior);
  for (const sd of [-1, 1]) {
    if (v.name !== 'C1') cap([sd * 0.6 * v.bodyRx, -0.6 * v.bodyRy, 0], [sd * lx, cA, 0], r, kh);
    cap([sd * lx, cA, 0], [lam[0], lam[1], lam[2]], r * 0.85, kh);
    if (v.tpLength > 0) cap([sd * lx, cA + 1, 0], [sd * (lx + v.tpLength), cA - (v.region === 'T' ? 5 : 1), 0], r * 0.9, 1.2);
    // Articular processes: superior ones lateral, inferior ones medial, so neighbours sit side by side.
    if (v.region !== 'S' && v.name !== 'C1') {
      cap([sd * (lx + 1.5), cA - 2, 0], [sd * (lx + 1.5), cA - 3, v.height / 2 + discAbove / 2 - 1], r * 0.6, 1);
      cap([sd * (lx - 2.5), cA - 4, 0], [sd * (lx - 2.5), cA - 5, -(v.height / 2 + v.discBelow / 2 - 1)], r * 0.6, 1);
    }
  }
  const slope = (v.spinousSlopeDeg * Math.PI) / 180;
  const end: Vec3 = [0, lam[1] - v.spinousLength * Math.cos(slope), lam[2] - v.spinousLength * Math.sin(slope)];
  cap(lam, end, r * 0.8, 1.8);
}

function paintCervicalSpecials(cv: Canvas, v: PlacedLevel): void {
  const cap = (p: Vec3, q: Vec3, rr: number): void => cv.capsuleLocal(v.frame, p, q, rr, 1, 1, C, CAN, v.labelValue, PART.body);
  if (v.name === 'C1') {
    cap([-9, v.bodyRy + 3, 0], [9, v.bodyRy + 3, 0], 3);
    for (const sd of [-1, 1]) cap([sd * 13, v.bodyRy - 2, 0], [sd * 13, -3, 0], 5.5);
  }
  if (v.name === 'C2') cap([0, 0, v.height / 2 - 2], [0, 1, v.height / 2 + 14], 5);
}

function paintSacrum(cv: Canvas, model: SpineModel, v: PlacedLevel): void {
  const f = v.frame;
  const cap = (p: Vec3, q: Vec3, r: number, kh: number, part: number): void => cv.capsuleLocal(f, p, q, r, kh, 1.5, C, TISSUE.trabecular, v.labelValue, part);
  for (const sd of [-1, 1]) {
    cap([sd * v.bodyRx * 0.6, -4, -2], [sd * (v.bodyRx + 28), -8, -6], 11, 1.6, PART.posterior);
    cap([sd * v.bodyRx * 0.4, -10, -22], [sd * (v.bodyRx + 16), -12, -26], 8, 1.3, PART.posterior);
  }
  // Fused S2–S5 along the continuing centreline.
  let prev: Vec3 = [0, 0, -v.height / 2 + 4];
  const radii = [13, 10, 7.5, 5.5];
  radii.forEach((r, i) => {
    const w = model.at(v.s + 18 * (i + 1)).p;
    const d: Vec3 = [w[0] - f.c[0], w[1] - f.c[1], w[2] - f.c[2]];
    const loc: Vec3 = [d[0] * f.l[0] + d[1] * f.l[1] + d[2] * f.l[2], d[0] * f.a[0] + d[1] * f.a[1] + d[2] * f.a[2], d[0] * f.h[0] + d[1] * f.h[1] + d[2] * f.h[2]];
    cap(prev, loc, r, 1, PART.body);
    // median sacral crest, posterior to the sacral canal
    cap([prev[0], prev[1] - 22 + i * 2, prev[2]], [loc[0], loc[1] - 20 + i * 2, loc[2]], 4, 1, PART.posterior);
    prev = loc;
  });
}

function paintRibs(cv: Canvas, v: PlacedLevel): void {
  const r = v.ribIndex;
  const f = v.frame;
  const Rx = 55 + 75 * Math.min(1, (r - 1) / 5);
  const Ry = 45 + 45 * Math.min(1, (r - 1) / 5);
  const arcDeg = r <= 7 ? 150 : r <= 10 ? 140 : r === 11 ? 95 : r === 12 ? 70 : 50;
  const dropPerDeg = 0.25 + 0.02 * r;
  const rr = r === 1 ? 3.5 : 4.5;
  for (const sd of [-1, 1]) {
    const head = toWorld(f, sd * (v.bodyRx + 2), -0.6 * v.bodyRy, 0.35 * v.height);
    const lx = v.canalRx + v.archRadius + 0.5 + v.tpLength;
    const tub = toWorld(f, sd * lx, v.canalA - 1, 0);
    const cx = f.c[0];
    const th0 = Math.asin(Math.min(0.95, (Math.abs(tub[0] - cx) + 15) / Rx));
    const cy = tub[1] + 8 - Ry * Math.cos(th0);
    const pts: Vec3[] = [head, tub];
    for (let deg = 0; deg <= arcDeg; deg += 8) {
      const th = th0 + (deg * Math.PI) / 180;
      pts.push([cx + sd * Rx * Math.sin(th), cy + Ry * Math.cos(th), tub[2] - 2 - dropPerDeg * deg]);
    }
    for (let i = 0; i + 1 < pts.length; i++) cv.capsuleLocal(WORLD, pts[i]!, pts[i + 1]!, rr, 1, 1.2, C, CAN, 0, PART.rib);
  }
}

/** Iliac wings, painted per axial slice relative to the sacro-iliac joint. */
function paintIlium(cv: Canvas, s1: PlacedLevel): void {
  for (const sd of [-1, 1]) {
    const al = toWorld(s1.frame, sd * (s1.bodyRx + 39), -8, -6);
    const zLo = al[2] - 70;
    const zHi = al[2] + 45;
    for (let k = 0; k < cv.nz; k++) {
      const z = cv.zOf(k);
      if (z < zLo || z > zHi) continue;
      const u = (z - zLo) / (zHi - zLo);
      const r = 12 - 6 * u;
      const lateralShift = Math.max(0, z - al[2] - 20) * 0.8;
      const p0: [number, number] = [al[0] + sd * (2.5 + r + lateralShift), al[1] + 5];
      const xl = al[0] + sd * (22 + 45 * u);
      const p1: [number, number] = [xl, al[1] - 5];
      const p2: [number, number] = [xl - sd * 15 * u, al[1] - 20 - 45 * u];
      cv.capsule2D(k, p0, p1, r, 1.5, C, CAN, PART.pelvis);
      cv.capsule2D(k, p1, p2, r, 1.5, C, CAN, PART.pelvis);
    }
  }
}

export function paintBones(cv: Canvas, model: SpineModel): void {
  const L = model.levels;
  const s1 = L[L.length - 1]!;
  paintIlium(cv, s1);
  for (const v of L) if (v.hasRibs) paintRibs(cv, v);
  // Discs: one elliptic cylinder from centre to centre of the neighbours; bodies paint over it,
  // so deformity voids next to an endplate are disc, as in a real collapsed vertebra.
  for (let i = 1; i + 1 < L.length; i++) {
    const a = L[i]!;
    const b = L[i + 1]!;
    const sd = (a.s + b.s) / 2;
    const { p, t } = model.at(sd);
    const f = frameAt(p, t);
    const rx = Math.max(a.bodyRx, b.bodyRx) - 0.5;
    const ry = Math.max(a.bodyRy, b.bodyRy) - 0.5;
    const hh = (b.s - a.s) / 2;
    cv.forLocalBox(f, [-rx, -ry, -hh], [rx, ry, hh], (idx, l, aa, h) => {
      if ((l / rx) ** 2 + (aa / ry) ** 2 <= 1 && Math.abs(h) <= hh) cv.paint(idx, TISSUE.disc, 0, PART.disc);
    });
  }
  L.forEach((v, i) => {
    const discAbove = L[i - 1]?.discBelow ?? 0;
    if (v.region === 'S') {
      paintBody(cv, v);
      paintArch(cv, v, discAbove);
      paintSacrum(cv, model, v);
      return;
    }
    if (v.name !== 'C1') paintBody(cv, v);
    paintCervicalSpecials(cv, v);
    paintArch(cv, v, discAbove);
  });
  // Canal: CSF has the highest priority, so it is never covered by bone.
  L.forEach((v, i) => {
    const above = L[i - 1]?.discBelow ?? 2;
    const hTop = v.hmax / 2 + above / 2 + 1;
    const hBot = -(v.hmax / 2 + v.discBelow / 2 + 1) - (v.region === 'S' ? 30 : 0);
    const { canalRx: rx, canalRy: ry, canalA: cA } = v;
    cv.forLocalBox(v.frame, [-rx, cA - ry, hBot], [rx, cA + ry, hTop], (idx, l, a, h) => {
      if ((l / rx) ** 2 + ((a - cA) / ry) ** 2 <= 1 && h <= hTop && h >= hBot) cv.paint(idx, TISSUE.csf, 0, PART.canal);
    });
  });
}
