/**
 * Synthetic spine CT phantom with exact ground truth, deterministic from its parameters + seed.
 * A test tool: vertebrae, discs, canal, ribs, sacrum/pelvis, muscles, fat, organs and noise.
 */
import { IDENTITY_DIRECTION, RachisError } from '@rachis/imaging';
import type { LabelMap, Vec3, Volume } from '@rachis/imaging';
import type { VertebraName } from '../types.js';
import { toWorld } from './anatomy.js';
import { paintBones } from './bones.js';
import { buildModel } from './model.js';
import type { PlacedLevel, SpineModel } from './model.js';
import { PART, TISSUE } from './params.js';
import type { BodyCompositionTruth, SpinePhantom, SpinePhantomParams, VertebraTruth } from './params.js';
import { Canvas } from './raster.js';
import { paintSoftTissues } from './tissues.js';

const deg = (r: number): number => (r * 180) / Math.PI;

function genant(lossPct: number): 0 | 1 | 2 | 3 {
  if (lossPct < 20) return 0;
  if (lossPct < 25) return 1;
  if (lossPct <= 40) return 2;
  return 3;
}

function gridFor(p: SpinePhantomParams, model: SpineModel): { size: Vec3; spacing: Vec3; origin: Vec3 } {
  const spacing = p.spacingMm ?? [2, 2, 2];
  if (spacing.some((x) => !(x > 0.1 && x <= 10))) throw new RachisError('INVALID_ARGUMENT', `phantom spacing ${spacing.join('×')} mm out of range`);
  const fov = p.fov ?? { from: 'T11', to: 'S1' };
  const find = (n: VertebraName): PlacedLevel => {
    const v = model.levels.find((l) => l.name === n);
    if (!v) throw new RachisError('INVALID_ARGUMENT', `phantom field of view names ${n}, which this spine does not have`);
    return v;
  };
  const a = find(fov.from);
  const b = find(fov.to);
  const margin = fov.marginMm ?? 10;
  const zTop = a.frame.c[2] + a.hmax / 2 + margin;
  const zBot = b.frame.c[2] - b.hmax / 2 - margin;
  if (zTop <= zBot) throw new RachisError('INVALID_ARGUMENT', `phantom field of view ${fov.from}..${fov.to} is empty`);
  // In-plane: the body (≤ 170 × 120 mm half axes) around the spine's mean position.
  const inFov = model.levels.filter((l) => l.frame.c[2] <= zTop + 30 && l.frame.c[2] >= zBot - 30);
  const ys = (inFov.length ? inFov : [a, b]).map((l) => l.frame.c[1]);
  const yLo = Math.min(...ys) - 160;
  const yHi = Math.max(...ys) + 105;
  const yMid = (yLo + yHi) / 2;
  const halfX = 185;
  const halfY = (yHi - yLo) / 2;
  const size: Vec3 = p.size ?? [Math.ceil((2 * halfX) / spacing[0]), Math.ceil((2 * halfY) / spacing[1]), Math.max(1, Math.round((zTop - zBot) / spacing[2]) + 1)];
  const zc = (zTop + zBot) / 2;
  const origin: Vec3 = [-((size[0] - 1) * spacing[0]) / 2, yMid - ((size[1] - 1) * spacing[1]) / 2, zc - ((size[2] - 1) * spacing[2]) / 2];
  return { size, spacing, origin };
}

function huTable(p: SpinePhantomParams): Float32Array {
  const t = new Float32Array(16);
  const c = p.contrast ?? 'none';
  t[TISSUE.air] = -1000;
  t[TISSUE.subcutaneousFat] = -100;
  t[TISSUE.visceralFat] = -100;
  t[TISSUE.muscle] = 45;
  t[TISSUE.imat] = -80;
  t[TISSUE.organ] = c === 'none' ? 40 : 90;
  t[TISSUE.lung] = -850;
  t[TISSUE.csf] = 10;
  t[TISSUE.disc] = 80;
  t[TISSUE.cortical] = 850;
  t[TISSUE.cancellous] = 300;
  t[TISSUE.vessel] = c === 'none' ? 40 : c === 'portal' ? 170 : 300;
  t[TISSUE.bowelGas] = -950;
  return t;
}

function normalTable(n: number, sd: number, seed: number): Float32Array {
  let s = (seed * 747796405 + 2891336453) >>> 0 || 7;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  const t = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const th = 2 * Math.PI * u();
    t[i] = r * Math.cos(th) * sd;
    if (i + 1 < n) t[i + 1] = r * Math.sin(th) * sd;
  }
  return t;
}

/** Voxel values from tissue classes plus table-driven Gaussian noise (hot loop kept small for the JIT). */
function synthesiseHU(out: Int16Array, tissue: Uint8Array, vert: Uint8Array, hu: Float32Array, trab: Float32Array, noise: Float32Array, seed: number): void {
  const mask = noise.length - 1;
  const noiseI = Int16Array.from(noise, (x) => Math.round(x));
  const huI = Int16Array.from(hu, (x) => Math.round(x));
  const trabI = Int16Array.from(trab, (x) => Math.round(x));
  const TRAB = TISSUE.trabecular;
  let st = (seed * 2246822519 + 1) | 0 || 3;
  const n = out.length;
  for (let idx = 0; idx < n; idx++) {
    const cls = tissue[idx]!;
    st ^= st << 13;
    st ^= st >>> 17;
    st ^= st << 5;
    const base = cls === TRAB ? trabI[vert[idx]!]! : huI[cls]!;
    out[idx] = base + noiseI[st & mask]!;
  }
}

/** Per-label voxel index sums and whether the label touches the grid border. */
function labelMoments(vert: Uint8Array, size: Vec3): { sum: Float64Array; touches: Uint8Array } {
  const sum = new Float64Array(32 * 4);
  const touches = new Uint8Array(32);
  const [nx, ny, nz] = size;
  for (let k = 0, idx = 0; k < nz; k++) {
    const edgeK = k === 0 || k === nz - 1;
    for (let j = 0; j < ny; j++) {
      const edgeJ = edgeK || j === 0 || j === ny - 1;
      for (let i = 0; i < nx; i++, idx++) {
        const lv = vert[idx]!;
        if (lv === 0) continue;
        const o = lv * 4;
        sum[o] = sum[o]! + i;
        sum[o + 1] = sum[o + 1]! + j;
        sum[o + 2] = sum[o + 2]! + k;
        sum[o + 3] = sum[o + 3]! + 1;
        if (edgeJ || i === 0 || i === nx - 1) touches[lv] = 1;
      }
    }
  }
  return { sum, touches };
}

export function makeSpinePhantom(params: SpinePhantomParams = {}): SpinePhantom {
  const seed = params.seed ?? 1;
  const model = buildModel(params);
  const { size, spacing, origin } = gridFor(params, model);
  const n = size[0] * size[1] * size[2];
  if (n > 400_000_000) throw new RachisError('INVALID_ARGUMENT', `phantom of ${n} voxels is too large`);
  const cv = new Canvas(size, spacing, origin);
  paintSoftTissues(cv, model, seed);
  paintBones(cv, model);

  // HU + noise, and per-label centroid / truncation bookkeeping in one pass.
  const hu = huTable(params);
  const trab = new Float32Array(32).fill(200);
  for (const v of model.levels) trab[v.labelValue] = v.trabecularHU;
  const NOISE = 1 << 14;
  const noise = normalTable(NOISE, params.noiseSdHU ?? 12, seed);
  const data = new Int16Array(n);
  synthesiseHU(data, cv.tissue, cv.vert, hu, trab, noise, seed);
  const { sum, touches } = labelMoments(cv.vert, size);
  const geometry = { size, spacing, origin, direction: IDENTITY_DIRECTION };
  const labelNames = new Map<number, string>();
  for (const v of model.levels) labelNames.set(v.labelValue, v.name);
  const labels: LabelMap = { ...geometry, data: cv.vert, labels: labelNames };
  const parts: LabelMap = { ...geometry, data: cv.part, labels: new Map(Object.entries(PART).map(([k, v]) => [v, k])) };
  const tissueMap: LabelMap = { ...geometry, data: cv.tissue, labels: new Map(Object.entries(TISSUE).filter(([, v]) => v > 0).map(([k, v]) => [v, k])) };
  const volume: Volume<Int16Array> = {
    ...geometry,
    data,
    meta: { modality: 'CT', rescaled: true, unit: 'HU', source: `rachis spine phantom (seed ${seed})`, ...(params.contrast && params.contrast !== 'none' ? { contrastAgent: 'phantom contrast' } : {}) },
  };

  const vertebrae: VertebraTruth[] = model.levels.map((v) => {
    const o = v.labelValue * 4;
    const cnt = sum[o + 3]!;
    const f = v.frame;
    const dSup = Math.atan((v.ha - v.hp) / (4 * v.bodyRy));
    const tilt = Math.asin(Math.max(-1, Math.min(1, f.a[2])));
    const loss = v.shape === 'crush' ? v.lossPct : Math.max(0, (1 - Math.min(v.ha, v.hm) / v.hp) * 100);
    return {
      name: v.name,
      labelValue: v.labelValue,
      visible: cnt > 0,
      truncated: cnt > 0 && touches[v.labelValue] === 1,
      centroidMm: cnt > 0 ? [origin[0] + (sum[o]! / cnt) * spacing[0], origin[1] + (sum[o + 1]! / cnt) * spacing[1], origin[2] + (sum[o + 2]! / cnt) * spacing[2]] : undefined,
      bodyCentreMm: f.c,
      axes: { cranial: f.h, anterior: f.a, left: f.l },
      anteriorHeightMm: v.ha,
      middleHeightMm: v.hm,
      posteriorHeightMm: v.hp,
      normalHeightMm: v.height,
      bodyHalfWidthMm: v.bodyRx,
      bodyHalfDepthMm: v.bodyRy,
      trabecularHU: v.trabecularHU,
      shape: v.shape,
      heightLossPct: Math.round(loss * 100) / 100,
      genantGrade: genant(loss),
      coronalTiltDeg: deg(Math.asin(Math.max(-1, Math.min(1, f.l[2])))),
      superiorEndplateSagittalDeg: deg(tilt + dSup),
      inferiorEndplateSagittalDeg: deg(tilt - dSup),
      hasRibs: v.hasRibs,
    };
  });
  // Each vertebra's label value is unique except S1/sacrum (25), so the sums above are per vertebra.
  const visible = vertebrae.filter((v) => v.visible && v.name !== 'S1' && !v.name.startsWith('C'));
  const tilts = visible.map((v) => v.coronalTiltDeg);
  const cobbDeg = tilts.length > 1 ? Math.max(...tilts) - Math.min(...tilts) : 0;
  const byName = (nm: string): VertebraTruth | undefined => vertebrae.find((v) => v.name === nm && v.visible);
  const lowestT = [...vertebrae].reverse().find((v) => v.name.startsWith('T'));
  const t4 = byName('T4');
  const t12 = lowestT && lowestT.visible ? lowestT : undefined;
  const l1 = byName('L1');
  const s1 = byName('S1');
  return {
    volume,
    labels,
    parts,
    tissue: tissueMap,
    truth: {
      params,
      vertebrae,
      cobbDeg,
      kyphosisDeg: t4 && t12 ? t12.inferiorEndplateSagittalDeg - t4.superiorEndplateSagittalDeg : undefined,
      lordosisDeg: l1 && s1 ? l1.superiorEndplateSagittalDeg - s1.superiorEndplateSagittalDeg : undefined,
      l3BodyComposition: bodyComposition(cv, model),
    },
  };
}

function bodyComposition(cv: Canvas, model: SpineModel): BodyCompositionTruth | undefined {
  const l3 = model.levels.find((l) => l.name === 'L3');
  if (!l3) return undefined;
  const z = toWorld(l3.frame, 0, 0, 0)[2];
  const k = Math.round((z - cv.origin[2]) / cv.sz);
  if (k < 0 || k >= cv.nz) return undefined;
  const counts = new Float64Array(16);
  const base = k * cv.nx * cv.ny;
  for (let i = 0; i < cv.nx * cv.ny; i++) counts[cv.tissue[base + i]!]! += 1;
  const cm2 = (cv.sx * cv.sy) / 100;
  return {
    sliceIndex: k,
    zMm: cv.zOf(k),
    muscleCm2: counts[TISSUE.muscle]! * cm2,
    imatCm2: counts[TISSUE.imat]! * cm2,
    visceralFatCm2: counts[TISSUE.visceralFat]! * cm2,
    subcutaneousFatCm2: counts[TISSUE.subcutaneousFat]! * cm2,
  };
}

export { PART, TISSUE };
