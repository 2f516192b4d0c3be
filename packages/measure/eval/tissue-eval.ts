/**
 * Body composition on the real example CT (example_ct_sm covers T11–L2 only, so there is no L3):
 * Rachis's HU/geometry compartments at the L1 mid-slice vs TotalSegmentator's `tissue_types` masks
 * on the same slice (a model output, which applies no HU windows — so the windowed mask areas are
 * shown too). torso_fat is all fat inside the abdominal wall (visceral + intermuscular).
 */
import { join } from 'node:path';
import { readLabelMap, readNifti, type LabelMap } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpineSegmentation, type VertebraName } from '@rachis/spine';
import { collectBodies } from '../src/body-mask.js';
import { IMAT_HU, MUSCLE_HU, SAT_HU, VAT_HU, measureBodyComposition } from '../src/body-composition.js';
import { table } from './table.js';

/** Whole-vertebra masks of TotalSegmentator `total` (31 = L1, 30 = L2, 32 = T12, 33 = T11) as a segmentation. */
function segmentationFromTotal(total: LabelMap): SpineSegmentation {
  const levels: [VertebraName, number][] = [['T11', 33], ['T12', 32], ['L1', 31], ['L2', 30]];
  const present = levels.filter(([, v]) => total.data.includes(v));
  const inst = new Uint8Array(total.data.length);
  const lab = new Uint8Array(total.data.length);
  present.forEach(([n, v], i) => total.data.forEach((x, idx) => {
    if (x === v) {
      inst[idx] = i + 1;
      lab[idx] = VERTEBRA_LABEL_VALUE[n];
    }
  }));
  const geo = { size: total.size, spacing: total.spacing, origin: total.origin, direction: total.direction };
  const base: SpineSegmentation = {
    instanceMask: { ...geo, data: inst, labels: new Map(present.map(([n], i) => [i + 1, n])) },
    vertebraMask: { ...geo, data: lab, labels: new Map(present.map(([n]) => [VERTEBRA_LABEL_VALUE[n], n])) },
    // No body / posterior split in this file: the whole vertebra stands in (only its centroid and extent are used here).
    partMask: { ...geo, data: Uint8Array.from(inst, (x) => (x ? 1 : 0)), labels: new Map([[1, 'vertebra']]) },
    centrelineMm: [], vertebrae: [], discs: [], warnings: [], timings: {},
    labelling: { state: 'confident', hypotheses: [], anchors: ['reference'] }, algorithm: { name: 'totalsegmentator-reference', version: 'example' },
  };
  const c = collectBodies(base);
  return {
    ...base,
    vertebrae: present.map(([n], i) => ({
      instance: i + 1, label: n, centroidMm: c.get(i + 1)!.centroidMm, bodyCentroidMm: c.get(i + 1)!.centroidMm,
      confidence: 1, truncated: false, evidence: ['reference'], voxelCount: c.get(i + 1)!.indices.length,
    })),
  };
}

export async function tissueSection(dir: string): Promise<string> {
  const ct = await readNifti(join(dir, 'example_ct_sm.nii.gz'));
  const seg = segmentationFromTotal(await readLabelMap(join(dir, 'example_seg.nii.gz')));
  const bc = measureBodyComposition({ ...ct, meta: { ...ct.meta, modality: 'CT', unit: 'HU' } }, seg, { level: 'L1' });
  if (bc.status !== 'measured') return `body composition at L1 not measured: ${bc.reason}`;
  const k = bc.value.sliceIndex;
  const [nx, ny] = ct.size;
  const px = (ct.spacing[0] * ct.spacing[1]) / 100;
  const areas = async (name: string, win: [number, number]): Promise<[number, number]> => {
    const m = await readLabelMap(join(dir, `example_seg_tissue_types/${name}.nii.gz`));
    let all = 0, windowed = 0;
    for (let i = k * nx * ny; i < (k + 1) * nx * ny; i++) {
      if (!m.data[i]) continue;
      all++;
      const v = ct.data[i]!;
      if (v >= win[0] && v <= win[1]) windowed++;
    }
    return [all * px, windowed * px];
  };
  const [mAll, mWin] = await areas('skeletal_muscle', MUSCLE_HU);
  const [sAll, sWin] = await areas('subcutaneous_fat', SAT_HU);
  const [tAll, tWin] = await areas('torso_fat', VAT_HU);
  const v = bc.value;
  const rows = [
    ['skeletal muscle', mAll, mWin, v.skeletalMuscle.areaCm2, `${MUSCLE_HU.join('..')}`],
    ['subcutaneous fat', sAll, sWin, v.subcutaneousFat.areaCm2, `${SAT_HU.join('..')}`],
    ['torso fat (TS) vs VAT + IMAT (Rachis)', tAll, tWin, v.visceralFat.areaCm2 + v.intermuscularFat.areaCm2, `VAT ${VAT_HU.join('..')}, IMAT ${IMAT_HU.join('..')}`],
  ];
  return [
    `(b4) body composition at the L1 mid-slice (k = ${k}, 3 mm voxels; no L3 in example_ct_sm), areas in cm²; Rachis muscle mean ${v.skeletalMuscle.meanHU.toFixed(1)} HU`,
    table(['tissue', 'TS mask', 'TS mask ∩ Alberta window', 'Rachis', 'Rachis window HU'], rows),
  ].join('\n');
}
