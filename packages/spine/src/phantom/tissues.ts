/**
 * Soft tissues of the phantom, painted slice by slice: body outline with subcutaneous fat,
 * muscle wall, visceral cavity (fat, organs, bowel, vessels), lungs, psoas, paraspinal muscles
 * with intermuscular fat, gluteal muscles. Positions follow the spine at each slice.
 */
import { frameAt } from './anatomy.js';
import type { SpineModel } from './model.js';
import { TISSUE } from './params.js';
import type { Canvas } from './raster.js';

type Key = [number, number][];
function interp(keys: Key, s: number): number {
  const first = keys[0]!;
  if (s <= first[0]) return first[1];
  for (let i = 1; i < keys.length; i++) {
    const [s1, v1] = keys[i]!;
    const [s0, v0] = keys[i - 1]!;
    if (s <= s1) return v0 + ((v1 - v0) * (s - s0)) / Math.max(1e-6, s1 - s0);
  }
  return keys[keys.length - 1]![1];
}
/** Thickness (mm) of the soft-tissue layer kept around each vertebral body (crura, fat, ligaments). */
const PREVERTEBRAL_MM = 5;
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
/** Smooth 0→1→0 bump over [a, b] with ramps of `ramp` mm at each end. */
const window = (s: number, a: number, b: number, ramp: number): number => Math.sqrt(clamp01(Math.min((s - a) / ramp, (b - s) / ramp)));

/** Arc length s whose centreline point has height z (clamped to the centreline). */
export function sAtZ(model: SpineModel, z: number): number {
  const pts = model.centreline.points;
  let lo = 0;
  let hi = pts.length - 1;
  if (z >= pts[0]![2]) return (z - pts[0]![2]) * -1;
  if (z <= pts[hi]![2]) return hi * model.centreline.step;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (pts[mid]![2] > z) lo = mid;
    else hi = mid;
  }
  const za = pts[lo]![2];
  const zb = pts[hi]![2];
  return (lo + (za - z) / Math.max(1e-9, za - zb)) * model.centreline.step;
}

export function paintSoftTissues(cv: Canvas, model: SpineModel, seed: number): void {
  const L = model.levels;
  const sOf = (name: string, fallback: number): number => L.find((l) => l.name === name)?.s ?? fallback;
  const sT1 = sOf('T1', 0);
  const sT4 = sOf('T4', 0);
  const sT9 = sOf('T9', 0);
  const sT10 = sOf('T10', 0);
  const sT11 = sOf('T11', 0);
  const lowestT = L.filter((l) => l.region === 'T').at(-1)!;
  const sT12 = lowestT.s;
  const sL1 = sOf('L1', 0);
  const sL2 = sOf('L2', 0);
  const sL3 = sOf('L3', 0);
  const sL4 = sOf('L4', 0);
  const sS1 = sOf('S1', 0);
  const sL5 = L[L.length - 2]!.s;
  const rx: Key = [[sT1 - 25, 65], [sT1 + 10, 130], [sT4 + 20, 155], [sL1, 155], [sL5, 150], [sS1, 165]];
  const ry: Key = [[sT1 - 25, 58], [sT1 + 10, 100], [sT4 + 20, 115], [sL1, 112], [sL5, 110], [sS1, 115]];
  const post: Key = [[sT1 - 25, 45], [sT1, 55], [sT12, 55], [sL2, 65], [sS1, 60]];
  const subcut: Key = [[sT1 - 25, 6], [sT1 + 10, 12], [sT10, 14], [sL2, 22], [sS1, 25]];
  // Bowel loops: deterministic from the seed.
  let st = (seed * 2654435761) >>> 0 || 1;
  const rnd = (): number => {
    st ^= st << 13;
    st >>>= 0;
    st ^= st >>> 17;
    st ^= st << 5;
    st >>>= 0;
    return st / 4294967296;
  };
  const bowel = Array.from({ length: 7 }, () => ({ x: rnd() * 1.2 - 0.6, y: rnd() * 0.5, r: 13 + rnd() * 7, ph: rnd() * 6.28, ph2: rnd() * 6.28 }));

  for (let k = 0; k < cv.nz; k++) {
    const z = cv.zOf(k);
    const s = sAtZ(model, z);
    const { p, t } = model.at(Math.max(0, s));
    const f = frameAt(p, t);
    const lv = L[model.levelIndexAt(s)]!;
    // Spine landmarks in this slice (approximate: axial offsets of the local frame).
    const xc = p[0];
    const yBody = p[1];
    const yCanal = p[1] + lv.canalA * f.a[1];
    const Rx = interp(rx, s);
    const Ry = interp(ry, s);
    const cy = yCanal + interp(post, s) - Ry;
    const sub = interp(subcut, s);
    const wall = 12;
    cv.fillEllipse(k, 0, cy, Rx, Ry, TISSUE.subcutaneousFat, false);
    cv.fillEllipse(k, 0, cy, Rx - sub, Ry - sub, TISSUE.muscle, false);
    const inX = Rx - sub - wall;
    const inY = Ry - sub - wall;
    const neck = s < sT1 - 10;
    if (!neck) cv.fillEllipse(k, 0, cy, inX, inY, s < sT10 ? TISSUE.organ : TISSUE.visceralFat, false);
    if (neck) cv.fillEllipse(k, xc, yBody - lv.bodyRy - 18, 9, 8, TISSUE.bowelGas, true);
    // Lungs.
    const wl = window(s, sT1 - 20, sT11, 40);
    if (wl > 0) {
      for (const side of [-1, 1]) {
        cv.fillEllipse(k, side * (inX / 2 + 8), cy + 5, (inX / 2 - 10) * wl, (inY - 15) * wl, TISSUE.lung, true);
      }
    }
    // Abdominal organs.
    const wLiver = window(s, sT9, sL2, 35);
    if (wLiver > 0) cv.fillEllipse(k, -55, cy - 5, 75 * wLiver, 65 * wLiver, TISSUE.organ, true);
    const wSpleen = window(s, sT10, sT12 + 10, 20);
    if (wSpleen > 0) cv.fillEllipse(k, 85, cy + 25, 35 * wSpleen, 25 * wSpleen, TISSUE.organ, true);
    const wKid = window(s, sT12 - 10, sL3, 25);
    if (wKid > 0) {
      for (const side of [-1, 1]) cv.fillEllipse(k, xc + side * (lv.bodyRx + 48), yBody + 12, 25 * wKid, 30 * wKid, TISSUE.organ, true);
    }
    if (s > sL1 && s < model.sacrumEndS + 40) {
      for (const b of bowel) {
        const bx = b.x * inX + 15 * Math.sin(s / 40 + b.ph);
        const by = cy - inY * (0.2 + b.y) + 10 * Math.cos(s / 35 + b.ph);
        cv.fillEllipse(k, bx, by, b.r, b.r * 0.85, TISSUE.organ, true);
        if (Math.sin(s / 25 + b.ph2) > 0.6) cv.fillEllipse(k, bx, by, b.r * 0.5, b.r * 0.45, TISSUE.bowelGas, true);
      }
    }
    if (s > sS1 + 30) cv.fillEllipse(k, 0, cy - 35, 35, 30, TISSUE.organ, true);
    // Prevertebral tissue keeps the liver and bowel a few mm off the vertebral bodies: the
    // diaphragmatic crura (muscle, T10–L2), fat elsewhere (painted over the organs; vessels,
    // psoas and bone on top).
    const crus = s >= sT10 && s <= sL2;
    if (!neck && s < model.sacrumEndS) cv.fillEllipse(k, xc, yBody, lv.bodyRx + PREVERTEBRAL_MM, lv.bodyRy + PREVERTEBRAL_MM, crus ? TISSUE.muscle : TISSUE.visceralFat, false);
    // Great vessels.
    const yAnt = yBody - lv.bodyRy;
    if (s > sT4 && s < sL4) cv.fillEllipse(k, xc + 14, yAnt - 12, 11, 11, TISSUE.vessel, true);
    if (s >= sL4 && s < sS1 + 40) {
      const d = 10 + (s - sL4) * 0.35;
      for (const side of [-1, 1]) cv.fillEllipse(k, xc + side * d, yAnt - 10, 7, 7, TISSUE.vessel, true);
    }
    if (s > sT11 && s < sL5) cv.fillEllipse(k, xc - 22, yAnt - 14, 12, 10, TISSUE.vessel, true);
    // Muscles.
    if (s > sT12 + 5) {
      const rp = 6 + 16 * clamp01((s - sT12) / Math.max(1, sL5 - sT12));
      for (const side of [-1, 1]) cv.fillEllipse(k, xc + side * (lv.bodyRx + rp * 0.8), yBody + 3, rp, rp * 1.1, TISSUE.muscle, true);
    }
    if (s > sL1 && s < sL4) {
      for (const side of [-1, 1]) cv.fillEllipse(k, xc + side * (lv.bodyRx + 48), yCanal + 4, 18, 10, TISSUE.muscle, true);
    }
    if (s > sOf('C2', 0)) {
      const pr = lv.region === 'L' || lv.region === 'S' ? 24 : 19;
      for (const side of [-1, 1]) {
        const px = xc + side * (lv.canalRx + 17);
        cv.fillEllipse(k, px, yCanal + 26, pr, 19, TISSUE.muscle, false);
        cv.fillEllipse(k, px + side * 6, yCanal + 31, 3.5, 3.5, TISSUE.imat, true);
        cv.fillEllipse(k, px - side * 7, yCanal + 20, 2.5, 2.5, TISSUE.imat, true);
      }
    }
    if (s > sL5 + 10) {
      for (const side of [-1, 1]) cv.fillEllipse(k, side * 92, yCanal + 8, 42, 38, TISSUE.muscle, false);
    }
  }
}
