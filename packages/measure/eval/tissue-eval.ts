/**
 * Body composition on the real example CT vs TotalSegmentator's `tissue_types` masks (made on
 * example_ct_sm, which covers T11–L2 only, so there is no L3): Rachis's HU/geometry compartments
 * at the L1 and L2 mid-slices of example_ct, with the levels placed by the reference vertebra masks
 * so that segmentation errors do not mix in. The masks are a model output that applies no HU
 * windows, so the windowed mask areas are shown too. torso_fat is all fat inside the abdominal
 * wall (visceral + intermuscular).
 */
import { join } from 'node:path';
import { readLabelMap, readNifti, type LabelMap } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpineSegmentation, type VertebraName } from '@rachis/spine';
import { collectBodies } from '../src/body-mask.js';
import { IMAT_HU, MUSCLE_HU, SAT_HU, VAT_HU, measureBodyComposition } from '../src/body-composition.js';
import { table } from './table.js';

/** Whole-vertebra masks of TotalSegmentator `total` (31 = L1, 30 = L2, 32 = T12, 33 = T11) as a segmentation. */
export function segmentationFromTotal(total: LabelMap): SpineSegmentation {
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

/** example_ct_sm (where the tissue masks were made) is slices 82–111 of example_ct (PROVENANCE.md; its origin was not shifted). */
const SM_FIRST_SLICE = 82;

const pct = (a: number, b: number): string => (b > 0 ? `${(((a - b) / b) * 100).toFixed(0)} %` : '–');

export async function tissueSection(dir: string): Promise<string> {
  const ct = await readNifti(join(dir, 'example_ct.nii.gz'));
  const seg = segmentationFromTotal(await readLabelMap(join(dir, 'spine_report/example_ct_report/totalseg.nii.gz')));
  const masks = new Map<string, LabelMap>();
  for (const name of ['skeletal_muscle', 'subcutaneous_fat', 'torso_fat']) masks.set(name, await readLabelMap(join(dir, `example_seg_tissue_types/${name}.nii.gz`)));
  const [nx, ny] = ct.size;
  const px = (ct.spacing[0] * ct.spacing[1]) / 100;
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const level of ['L1', 'L2'] as const) {
    const bc = measureBodyComposition({ ...ct, meta: { ...ct.meta, modality: 'CT', unit: 'HU' } }, seg, { level });
    if (bc.status !== 'measured') {
      notes.push(`${level}: not measured (${bc.reason})`);
      continue;
    }
    const v = bc.value;
    const ks = v.sliceIndex - SM_FIRST_SLICE;
    if (ks < 0 || ks >= masks.get('skeletal_muscle')!.size[2]) {
      notes.push(`${level}: slice ${v.sliceIndex} is outside example_ct_sm (no tissue masks)`);
      continue;
    }
    const areas = (name: string, win: [number, number]): [number, number] => {
      const m = masks.get(name)!;
      let all = 0, windowed = 0;
      for (let p = 0; p < nx * ny; p++) {
        if (!m.data[ks * nx * ny + p]) continue;
        all++;
        const hu = ct.data[v.sliceIndex * nx * ny + p]!;
        if (hu >= win[0] && hu <= win[1]) windowed++;
      }
      return [all * px, windowed * px];
    };
    const [mAll, mWin] = areas('skeletal_muscle', MUSCLE_HU);
    const [sAll, sWin] = areas('subcutaneous_fat', SAT_HU);
    const [tAll, tWin] = areas('torso_fat', VAT_HU);
    const vatImat = v.visceralFat.areaCm2 + v.intermuscularFat.areaCm2;
    rows.push(
      [level, 'skeletal muscle', mAll, mWin, v.skeletalMuscle.areaCm2, pct(v.skeletalMuscle.areaCm2, mAll), pct(v.skeletalMuscle.areaCm2, mWin)],
      [level, 'subcutaneous fat', sAll, sWin, v.subcutaneousFat.areaCm2, pct(v.subcutaneousFat.areaCm2, sAll), pct(v.subcutaneousFat.areaCm2, sWin)],
      [level, 'torso fat (TS) vs VAT + IMAT', tAll, tWin, vatImat, pct(vatImat, tAll), pct(vatImat, tWin)],
    );
    notes.push(`${level}: slice k = ${v.sliceIndex}, Rachis muscle mean ${v.skeletalMuscle.meanHU.toFixed(1)} HU`);
  }
  return [
    '(b5) body composition at the L1 and L2 mid-slices of example_ct (levels placed by the reference vertebra masks, spine_report/example_ct_report/totalseg.nii.gz; 3 mm voxels; no L3 in the tissue masks) vs TotalSegmentator `tissue_types` (a model output, not truth; it applies no HU window, so the windowed mask areas are shown too). Areas in cm²; Δ = (Rachis − TS) / TS.',
    `Windows: muscle ${MUSCLE_HU.join('..')}, SAT ${SAT_HU.join('..')}, VAT ${VAT_HU.join('..')}, IMAT ${IMAT_HU.join('..')} HU (TS torso_fat windowed by the VAT window).`,
    table(['level', 'tissue', 'TS mask', 'TS ∩ window', 'Rachis', 'Δ vs TS', 'Δ vs TS ∩ window'], rows),
    notes.join('; '),
  ].join('\n');
}
