/**
 * Body composition on one axial slice at the mid-level of a vertebra (L3 by default), by the
 * Alberta HU windows (clinical-reference §7: muscle −29..150, SAT and IMAT −190..−30, VAT −150..−50).
 * No model is used; subcutaneous fat, the inner region and skeletal muscle come from HU connectivity
 * and anatomy (body-compartments.ts: wall sheet + spine zone for psoas / quadratus / paraspinals,
 * wall gaps closed before subcutaneous fat is final). Then:
 * - IMAT = fat-window pixels enclosed by muscle (holes < 10 cm² in the muscle mask; optionally
 *   also the gaps bridged by a closing of `imatCloseMm`, 0 by default);
 * - VAT = VAT-window pixels of the inner region outside muscle and IMAT.
 * Known limits: inside the spine zone every muscle-window pixel connected to the psoas / quadratus /
 * paraspinals counts, so a kidney whose medial edge reaches the zone is partly counted as muscle;
 * organs lying directly on the wall add up to the wall-thickness limit; see eval:measure b4.
 */
import { close, connectedComponents, crop, statistics, threshold, worldToIndex, type LabelMap, type Mask, type Volume } from '@rachis/imaging';
import type { SpineSegmentation, VertebraName } from '@rachis/spine';
import { and, fillHoles2D, flat, keepComponents, sliceCompartments, type CompartmentOptions } from './body-compartments.js';

export type { CompartmentOptions } from './body-compartments.js';
export type { ShellOptions } from './subcutaneous-shell.js';
import { measured, notMeasured, type BodyCompositionValue, type Measured, type Provenance, type TissueArea } from './types.js';

export const MUSCLE_HU: [number, number] = [-29, 150]; // [Alberta protocol: Mitsiopoulos 1998 / Mourtzakis 2008]
export const SAT_HU: [number, number] = [-190, -30]; // [same]
export const IMAT_HU: [number, number] = [-190, -30]; // [same]
export const VAT_HU: [number, number] = [-150, -50]; // [same; some pipelines use −190..−30, store which]
/** Values of BodyCompositionValue.tissueMask. */
export const TISSUE_LABELS: ReadonlyMap<number, string> = new Map([
  [1, 'skeletal muscle'], [2, 'intermuscular fat'], [3, 'visceral fat'], [4, 'subcutaneous fat'],
]);
/** Martin 2013 (JCO) cut-offs, clinical-reference §7 (via medicalalgorithms summary). */
export const MARTIN_SMI = { maleBmiBelow25: 43, maleBmiAtLeast25: 53, female: 41 } as const; // cm²/m²
export const MARTIN_MYOSTEATOSIS_HU = { bmiBelow25: 41, bmiAtLeast25: 33 } as const;

export interface BodyCompositionOptions extends CompartmentOptions {
  level?: VertebraName;
  /** Patient height (m); falls back to volume.meta.patientHeightM. */
  heightM?: number;
  sex?: 'M' | 'F';
  bmi?: number;
  /**
   * Return the slice's tissue classes as `tissueMask` (for the report's key image). Off by default:
   * a typed array in the result would bloat JSON dumps of the measurements (`rachis measure --json`).
   */
  withTissueMask?: boolean;
  /** Also count as IMAT the fat in gaps between muscles up to 2× this radius (default 0: enclosed fat only). */
  imatCloseMm?: number;
}

export function measureBodyComposition(volume: Volume, spine: SpineSegmentation, options: BodyCompositionOptions = {}): Measured<BodyCompositionValue> {
  const level = options.level ?? 'L3';
  const p: Provenance = {
    method: `single axial slice at the ${level} body centroid; Alberta HU windows (muscle ${MUSCLE_HU.join('..')}, SAT/IMAT ${SAT_HU.join('..')}, VAT ${VAT_HU.join('..')}); compartments from HU connectivity and anatomy (subcutaneous shell under the skin; muscle = wall sheet + psoas/quadratus/paraspinal zone beside and behind the vertebra), no tissue model`,
    inputs: ['CT (HU)', `${level} body centroid`, 'vertebra masks (spine zone, psoas / paraspinal seeds)'],
    caveats: ['heuristic compartments: organs lying on the wall or reaching the spine zone (liver, spleen, kidney, bowel) can add a rim of muscle; on 3 mm or thicker slices partial volume at the fat–muscle edges shifts areas (real-CT check at L1/L2: muscle about +25–30 % vs TotalSegmentator tissue_types)'],
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

  const { fat, sat: satComp, inner, muscle } = sliceCompartments(slice, bone, v.bodyCentroidMm, SAT_HU, MUSCLE_HU, options);
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
  const sat = and(satComp, fat);
  const tissueMask: LabelMap | undefined = !options.withTissueMask ? undefined : {
    size: slice.size, spacing: slice.spacing, origin: slice.origin, direction: slice.direction, labels: TISSUE_LABELS,
    data: Uint8Array.from(muscle.data, (m, i) => (m ? 1 : imat.data[i] ? 2 : vat.data[i] ? 3 : sat.data[i] ? 4 : 0)),
  };
  return measured(
    {
      level, sliceIndex: k, sliceSMm: slice.origin[2], skeletalMuscle,
      intermuscularFat: area(imat, IMAT_HU), visceralFat: area(vat, VAT_HU), subcutaneousFat: area(sat, SAT_HU),
      skeletalMuscleIndex: smi, lowMuscleIndex, myosteatosis, ...(tissueMask ? { tissueMask } : {}),
    },
    p,
  );
}
