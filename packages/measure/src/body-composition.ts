/**
 * Body composition on one axial slice at the mid-level of a vertebra (L3 by default), by the
 * Alberta HU windows (clinical-reference §7: muscle −29..150, SAT and IMAT −190..−30, VAT −150..−50).
 * No model is used; compartments come from HU and geometry, in this order:
 * 1. body = largest connected region > −500 HU, holes filled;
 * 2. subcutaneous compartment = fat-window pixels connected (4-neighbour) to fat within
 *    `skinMm` of the body edge: the abdominal wall muscle stops the growth, which is what
 *    separates subcutaneous from visceral fat;
 * 3. inner region = the body inside the subcutaneous compartment;
 * 4. skeletal muscle = muscle-window pixels of the inner region that, after a 2 mm opening (which
 *    cuts thin contacts with bowel and vessels), are connected to the outer band of the inner region
 *    (abdominal wall, paraspinal muscles) or touch the vertebra (psoas); in front of the vertebral
 *    body only a sheet no thicker than twice the wall's median half-thickness counts (organs pressed
 *    on the wall are excluded); the opening is then undone inside the muscle window;
 * 5. IMAT = fat-window pixels enclosed by muscle (holes < 10 cm² in the muscle mask; optionally
 *    also the gaps bridged by a closing of `imatCloseMm`, 0 by default);
 * 6. VAT = VAT-window pixels of the inner region outside muscle and IMAT.
 * Known limits: behind the front of the vertebral body every muscle-window pixel connected to the
 * psoas / quadratus / paraspinals counts, so kidneys there are counted as muscle (above L3 this is
 * large: see eval b4); a wall with gaps lets visceral fat leak into subcutaneous.
 */
import {
  close, connectedComponents, crop, dilate, distanceInside, fillHoles, open, pad, statistics, threshold, worldToIndex,
  type Image, type Mask, type Vec3, type Volume,
} from '@rachis/imaging';
import type { SpineSegmentation, VertebraName } from '@rachis/spine';
import { measured, notMeasured, type BodyCompositionValue, type Measured, type Provenance, type TissueArea } from './types.js';

export const MUSCLE_HU: [number, number] = [-29, 150]; // [Alberta protocol: Mitsiopoulos 1998 / Mourtzakis 2008]
export const SAT_HU: [number, number] = [-190, -30]; // [same]
export const IMAT_HU: [number, number] = [-190, -30]; // [same]
export const VAT_HU: [number, number] = [-150, -50]; // [same; some pipelines use −190..−30, store which]
/** Wall pixels may be this many times thicker than the wall band's median half-thickness (heuristic). */
const WALL_THICKNESS_FACTOR = 2;

/** Martin 2013 (JCO) cut-offs, clinical-reference §7 (via medicalalgorithms summary). */
export const MARTIN_SMI = { maleBmiBelow25: 43, maleBmiAtLeast25: 53, female: 41 } as const; // cm²/m²
export const MARTIN_MYOSTEATOSIS_HU = { bmiBelow25: 41, bmiAtLeast25: 33 } as const;

export interface BodyCompositionOptions {
  level?: VertebraName;
  /** Patient height (m); falls back to volume.meta.patientHeightM. */
  heightM?: number;
  sex?: 'M' | 'F';
  bmi?: number;
  skinMm?: number;
  /** Muscle-window pixels within this depth of the inner region's edge seed the abdominal wall. */
  wallBandMm?: number;
  /** In front of the vertebral body, muscle is only accepted within this depth of the edge (the wall). */
  wallMaxMm?: number;
  /** Half AP depth of the vertebral body used to place its anterior surface (mm). */
  bodyHalfDepthMm?: number;
  openMm?: number;
  /** Also count as IMAT the fat in gaps between muscles up to 2× this radius (default 0: enclosed fat only). */
  imatCloseMm?: number;
}

const and = (a: Mask, b: Mask, not = false): Mask => ({ ...a, data: a.data.map((v, i) => (v && (not ? !b.data[i] : b.data[i]) ? 1 : 0)) });
const flat = (r: number): Vec3 => [r, r, 0];

/** 2-D hole filling on a one-slice mask: pad with foreground above and below so only in-plane borders seed. */
function fillHoles2D(m: Mask): Mask {
  const filled = fillHoles(pad(m, [0, 0, 1], [0, 0, 1], 1));
  const n = m.size[0] * m.size[1];
  return { ...m, data: filled.data.slice(n, 2 * n) };
}

function keepComponents(m: Mask, keep: (id: number) => boolean, labels: Image<Int32Array>): Mask {
  return { ...m, data: Uint8Array.from(labels.data, (id) => (id > 0 && keep(id) ? 1 : 0)) };
}

function largest(m: Mask): Mask {
  const cc = connectedComponents(m, 6);
  return keepComponents(m, (id) => id === 1, cc.labels);
}

/** Component ids of `m` (4-neighbour) that contain at least one pixel of `seeds`. */
function touching(m: Mask, seeds: Mask): Mask {
  const cc = connectedComponents(m, 6);
  const hit = new Set<number>();
  cc.labels.data.forEach((id, i) => {
    if (id > 0 && seeds.data[i]) hit.add(id);
  });
  return keepComponents(m, (id) => hit.has(id), cc.labels);
}

export function measureBodyComposition(volume: Volume, spine: SpineSegmentation, options: BodyCompositionOptions = {}): Measured<BodyCompositionValue> {
  const level = options.level ?? 'L3';
  const skinMm = options.skinMm ?? 5;
  const p: Provenance = {
    method: `single axial slice at the ${level} body centroid; Alberta HU windows (muscle ${MUSCLE_HU.join('..')}, SAT/IMAT ${SAT_HU.join('..')}, VAT ${VAT_HU.join('..')}); compartments from HU connectivity (subcutaneous fat grown from the skin stops at the abdominal wall), no tissue model`,
    inputs: ['CT (HU)', `${level} body centroid`, 'vertebra masks (psoas seeds)'],
    caveats: ['heuristic compartments: organs touching muscle broadly (kidney, bowel) can be counted as muscle'],
  };
  const v = spine.vertebrae.find((x) => x.label === level);
  if (!v) return notMeasured(`${level} is not in the field of view`, p);
  if (v.truncated) p.caveats.push(`${level} touches the edge of the field of view: its mid-slice may be off`);
  if (level !== 'L3') p.caveats.push('the cut-offs (SMI, myosteatosis) are defined at L3 only');
  if (Math.abs(volume.direction[8]) < 0.9) return notMeasured('the volume is not axial (k axis more than ~25° from S): reformat first', p);
  const k = Math.round(worldToIndex(volume, v.bodyCentroidMm)[2]);
  if (k < 0 || k >= volume.size[2]) return notMeasured(`${level} centroid is outside the volume`, p);
  const [nx, ny] = volume.size;
  const slice = crop(volume, [0, 0, k], [nx, ny, k + 1]);
  const bone = crop(spine.vertebraMask, [0, 0, k], [nx, ny, k + 1]);

  const body = fillHoles2D(largest(threshold(slice, -500, Number.POSITIVE_INFINITY)));
  const fat = and(threshold(slice, SAT_HU[0], SAT_HU[1]), body);
  const soft = and(threshold(slice, MUSCLE_HU[0], MUSCLE_HU[1]), body);
  const depth = distanceInside(body);
  const skinSeeds: Mask = { ...fat, data: fat.data.map((f, i) => (f && depth.data[i]! <= skinMm ? 1 : 0)) };
  const satComp = touching(fat, skinSeeds);
  const innerRaw: Mask = { ...body, data: body.data.map((b, i) => (b && !satComp.data[i] && depth.data[i]! > 2 ? 1 : 0)) };
  const inner = fillHoles2D(largest(innerRaw));
  const innerDepth = distanceInside(inner);
  const wallBand = options.wallBandMm ?? 8;
  const wallMax = options.wallMaxMm ?? 20;
  // Vertebrae and what they enclose (canal) are never muscle.
  const boneMask: Mask = { ...inner, data: Uint8Array.from(bone.data, (x) => (x ? 1 : 0)) };
  const boneRegion = dilate(fillHoles2D(boneMask), flat(1));
  // Retroperitoneal zone: behind the anterior surface of the vertebral body (psoas, quadratus, paraspinals).
  const yFront = v.bodyCentroidMm[1] - (options.bodyHalfDepthMm ?? 15);
  const sliceRowY = (i: number): number => slice.origin[1] + slice.direction[4] * slice.spacing[1] * Math.floor(i / nx) + slice.direction[3] * slice.spacing[0] * (i % nx);
  // In front of the vertebral body the wall is a thin sheet; organs pressed against it (liver, spleen,
  // bowel) make it look thick. Local thickness = distance to the nearest non-muscle-window pixel: keep
  // wall pixels whose thickness is within WALL_THICKNESS_FACTOR × the median over the wall band.
  const softIn: Mask = { ...inner, data: soft.data.map((x, i) => (x && inner.data[i] && !boneRegion.data[i] ? 1 : 0)) };
  const thick = distanceInside(softIn);
  const bandThick: number[] = [];
  softIn.data.forEach((x, i) => {
    if (x && innerDepth.data[i]! <= wallBand && sliceRowY(i) < yFront) bandThick.push(thick.data[i]!);
  });
  bandThick.sort((a, b) => a - b);
  const maxThick = WALL_THICKNESS_FACTOR * (bandThick[bandThick.length >> 1] ?? wallMax) + Math.max(slice.spacing[0], slice.spacing[1]);
  const candidate: Mask = {
    ...inner,
    data: softIn.data.map((x, i) => (x && (sliceRowY(i) >= yFront || (innerDepth.data[i]! <= wallMax && thick.data[i]! <= maxThick)) ? 1 : 0)),
  };
  const wallSeeds: Mask = { ...inner, data: candidate.data.map((c, i) => (c && innerDepth.data[i]! <= wallBand ? 1 : 0)) };
  // Psoas seeds: next to the vertebra, lateral or posterior to the body (not the aorta / IVC in front).
  const near = dilate(boneMask, flat(3));
  const boneSeeds: Mask = { ...inner, data: candidate.data.map((c, i) => (c && near.data[i] && sliceRowY(i) >= v.bodyCentroidMm[1] - 5 ? 1 : 0)) };
  const core = touching(open(candidate, flat(options.openMm ?? 2)), { ...inner, data: wallSeeds.data.map((w, i) => (w || boneSeeds.data[i] ? 1 : 0)) });
  const muscle = and(candidate, dilate(core, flat((options.openMm ?? 2) + 0.5)));
  const closeMm = options.imatCloseMm ?? 0;
  const closed = closeMm > 0 ? close(muscle, flat(closeMm)) : muscle;
  const holes = and(fillHoles2D(muscle), muscle, true);
  const holeCc = connectedComponents(holes, 6);
  const pixelCm2 = (slice.spacing[0] * slice.spacing[1]) / 100;
  const smallHoles = keepComponents(holes, (id) => holeCc.sizes[id - 1]! * pixelCm2 < 10, holeCc.labels);
  const imat = and(and(fat, inner), { ...closed, data: closed.data.map((c, i) => (c || smallHoles.data[i] ? 1 : 0)) });
  const vatWin = and(threshold(slice, VAT_HU[0], VAT_HU[1]), inner);
  const vat = and(and(vatWin, imat, true), muscle, true);

  const area = (m: Mask, win: [number, number]): TissueArea => {
    const s = statistics(slice, m);
    return { areaCm2: s.count * pixelCm2, meanHU: s.count ? s.mean : Number.NaN, windowHU: win };
  };
  const skeletalMuscle = area(muscle, MUSCLE_HU);
  const heightM = options.heightM ?? volume.meta.patientHeightM;
  const smi = heightM ? skeletalMuscle.areaCm2 / (heightM * heightM) : undefined;
  const sex = options.sex ?? (volume.meta.patientSex === 'M' || volume.meta.patientSex === 'F' ? volume.meta.patientSex : undefined);
  const bmi = options.bmi;
  let lowMuscleIndex: boolean | undefined;
  if (smi !== undefined && level === 'L3') {
    if (sex === 'F') lowMuscleIndex = smi < MARTIN_SMI.female;
    else if (sex === 'M' && bmi !== undefined) lowMuscleIndex = smi < (bmi < 25 ? MARTIN_SMI.maleBmiBelow25 : MARTIN_SMI.maleBmiAtLeast25);
  }
  const myosteatosis = bmi !== undefined && level === 'L3' ? skeletalMuscle.meanHU < (bmi < 25 ? MARTIN_MYOSTEATOSIS_HU.bmiBelow25 : MARTIN_MYOSTEATOSIS_HU.bmiAtLeast25) : undefined;
  if (smi === undefined) p.caveats.push('patient height unknown: no skeletal muscle index');
  else if (lowMuscleIndex === undefined) p.caveats.push('sex (and BMI for men) unknown: SMI not classified (Martin 2013 cut-offs)');
  if (myosteatosis === undefined) p.caveats.push('BMI unknown: myosteatosis not classified (Martin 2013: < 41 HU if BMI < 25, < 33 HU if ≥ 25)');
  if (volume.meta.contrastAgent) p.caveats.push('contrast-enhanced: muscle HU is raised; myosteatosis cut-offs are for unenhanced CT ⚠');
  return measured(
    {
      level, sliceIndex: k, sliceSMm: slice.origin[2], skeletalMuscle,
      intermuscularFat: area(imat, IMAT_HU), visceralFat: area(vat, VAT_HU), subcutaneousFat: area(and(satComp, fat), SAT_HU),
      skeletalMuscleIndex: smi, lowMuscleIndex, myosteatosis,
    },
    p,
  );
}
