/**
 * Real-CT section of `npm run eval:measure` on ../shared/data/totalseg-example-ct (TotalSegmentator's
 * test CT; all references are model outputs, not manual truth):
 * 1. statistics.json (volume, mean HU of L1, L2, T12 over the `--fast` masks of example_ct_sm)
 *    reproduced with our `statistics` op under TotalSegmentator's rules (statistics.py: ct cast to
 *    int16, plain mean over the mask rounded to 5 decimals, volume = voxels × voxel volume). The
 *    current statistics.py also zeroes masks within 3 voxels of a border; the version that wrote
 *    this file did not (T12 and L2 touch the border and still have values), so that rule is shown
 *    but not applied; L3 is 0 because its mask is empty;
 * 2. mean HU over Rachis's own masks (segmentSpineCT, when it runs) vs the same reference;
 * 3. heights, height-loss ratio and Genant vs spine_report.json, measured on TotalSegmentator's
 *    own per-vertebra body masks (pp_refined: the difference is the measurement method) and on
 *    Rachis's own masks of the same CT (the further difference is the segmentation);
 * 4. the trabecular ROI over both mask sets (the same ROI definition, so the difference is the
 *    masks), with the report's whole-body intensity for context;
 * 5. body composition (tissue-eval.ts);
 * 6. endplate tilts, Cobb and lordosis over both mask sets (alignment-eval.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLabelMap, readNifti, statistics, type LabelMap, type Volume } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpineSegmentation, type VertebraName, type VertebraResult } from '@rachis/spine';
import { collectBodies } from '../src/body-mask.js';
import { measureMorphometry } from '../src/morphometry.js';
import { measureSpineCT } from '../src/pipeline.js';
import { table } from './table.js';
import { tissueSection } from './tissue-eval.js';
import { alignmentSection, withSacralBody } from './alignment-eval.js';

/** TotalSegmentator's touches_border(): any voxel in the first/last 3 planes of any axis. */
function touchesBorder(m: LabelMap): boolean {
  const [nx, ny, nz] = m.size;
  for (let idx = 0; idx < m.data.length; idx++) {
    if (!m.data[idx]) continue;
    const i = idx % nx, j = Math.floor(idx / nx) % ny, k = Math.floor(idx / (nx * ny));
    if (i < 3 || i >= nx - 3 || j < 3 || j >= ny - 3 || k < 3 || k >= nz - 3) return true;
  }
  return false;
}

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Build a SpineSegmentation from per-vertebra body labels (VerSe values) + whole-vertebra labels. */
export function segmentationFromReference(bodies: LabelMap, whole: LabelMap, wholeValue: (n: VertebraName) => number): SpineSegmentation {
  const names = (Object.keys(VERTEBRA_LABEL_VALUE) as VertebraName[]).filter((n) => /^(T\d+|L\d|S1)$/.test(n));
  const present = names.filter((n) => bodies.data.includes(VERTEBRA_LABEL_VALUE[n]));
  // S1 has no pp_refined body; unless the caller put one in `bodies`, its whole mask stands in as
  // the body so that L5's column axis can use the S1 centroid, as TotalSegmentator's own height code does.
  const s1 = !present.includes('S1') && whole.data.includes(wholeValue('S1'));
  if (s1) present.push('S1');
  const inst = new Uint8Array(bodies.data.length);
  const part = new Uint8Array(bodies.data.length);
  const lab = new Uint8Array(bodies.data.length);
  present.forEach((n, i) => {
    const v = VERTEBRA_LABEL_VALUE[n];
    const w = wholeValue(n);
    for (let idx = 0; idx < inst.length; idx++) {
      if (bodies.data[idx] === v || (n === 'S1' && s1 && whole.data[idx] === w)) {
        inst[idx] = i + 1;
        part[idx] = 1;
        lab[idx] = v;
      } else if (whole.data[idx] === w && !inst[idx]) {
        inst[idx] = i + 1;
        part[idx] = 2; // the rest of the vertebra: posterior elements (and body voxels pp_refined dropped)
        lab[idx] = v;
      }
    }
  });
  const geo = { size: bodies.size, spacing: bodies.spacing, origin: bodies.origin, direction: bodies.direction };
  const base: SpineSegmentation = {
    instanceMask: { ...geo, data: inst, labels: new Map(present.map((n, i) => [i + 1, n])) },
    vertebraMask: { ...geo, data: lab, labels: new Map(present.map((n) => [VERTEBRA_LABEL_VALUE[n], n])) },
    partMask: { ...geo, data: part, labels: new Map([[1, 'body'], [2, 'posterior elements']]) },
    centrelineMm: [], vertebrae: [], discs: [], warnings: [], timings: {},
    labelling: { state: 'confident', hypotheses: [], anchors: ['reference'] }, algorithm: { name: 'totalsegmentator-reference', version: 'example' },
  };
  const bodyC = collectBodies(base);
  const nz = geo.size[2];
  const vertebrae: VertebraResult[] = present.map((n, i) => {
    const b = bodyC.get(i + 1)!;
    // Whole-vertebra centroid via a part-agnostic pass.
    const all = collectBodies({ ...base, partMask: { ...base.partMask, data: Uint8Array.from(inst, (x) => (x === i + 1 ? 1 : 0)) } }).get(i + 1)!;
    let touches = false;
    for (const idx of all.indices) {
      const k = Math.floor(idx / (geo.size[0] * geo.size[1]));
      if (k === 0 || k === nz - 1) touches = true;
    }
    return { instance: i + 1, label: n, centroidMm: all.centroidMm, bodyCentroidMm: b.centroidMm, confidence: 1, truncated: touches, evidence: ['reference masks'], voxelCount: all.indices.length };
  });
  return { ...base, vertebrae };
}

export async function totalsegSection(dir: string, segmenter: ((v: Volume) => Promise<SpineSegmentation>) | undefined): Promise<string> {
  const out: string[] = [];
  // 1. statistics.json reproduction.
  const ctSm = await readNifti(join(dir, 'example_ct_sm.nii.gz'));
  const ref = JSON.parse(await readFile(join(dir, 'example_seg_fast/statistics.json'), 'utf8')) as Record<string, { volume: number; intensity: number }>;
  const voxMm3 = ctSm.spacing[0] * ctSm.spacing[1] * ctSm.spacing[2];
  const rows: (string | number)[][] = [];
  const levels = ['T12', 'L1', 'L2', 'L3'] as const;
  const ourWhole = new Map<string, number>();
  for (const l of levels) {
    const mask = await readLabelMap(join(dir, `example_seg_fast/vertebrae_${l}.nii.gz`));
    const s = statistics(ctSm, mask);
    const border = touchesBorder(mask);
    const vol = s.count * voxMm3;
    const mean = s.count === 0 ? 0 : round5(s.mean);
    const r = ref[`vertebrae_${l}`]!;
    ourWhole.set(l, mean);
    rows.push([l, s.count, r.volume, vol, r.intensity, mean, vol === r.volume && mean === r.intensity ? 'exact' : `DIFF ${(mean - r.intensity).toFixed(5)}`, border ? 'within 3 voxels of the border (not excluded by the version that wrote the file)' : s.count === 0 ? 'empty mask' : '']);
  }
  out.push('(b1) statistics.json reproduced from example_ct_sm + example_seg_fast masks (our statistics op, TotalSegmentator rules)');
  out.push(table(['level', 'voxels', 'ref volume mm³', 'our volume mm³', 'ref mean HU', 'our mean HU', 'match', 'note'], rows));

  // 2. Rachis's own masks.
  out.push('\n(b2) mean HU over Rachis masks (segmentSpineCT on example_ct_sm) vs statistics.json (target |Δ| ≤ 10 HU)');
  if (!segmenter) out.push('segmentSpineCT is not available in this build: not measured.');
  else {
    try {
      const seg = await segmenter(ctSm);
      const r2: (string | number | undefined)[][] = [];
      for (const l of ['T12', 'L1', 'L2'] as const) {
        const v = seg.vertebrae.find((x) => x.label === l);
        const refMean = ref[`vertebrae_${l}`]!.intensity;
        if (!v) {
          r2.push([l, refMean, undefined, undefined, undefined, 'not found by segmentSpineCT']);
          continue;
        }
        const m: LabelMap = { ...seg.instanceMask, data: Uint8Array.from(seg.instanceMask.data, (x) => (x === v.instance ? 1 : 0)) };
        const s = statistics(ctSm, m);
        const res = measureSpineCT(ctSm, seg).density.find((d) => d.instance === v.instance);
        const trab = res?.trabecular.status === 'measured' ? res.trabecular.value.meanHU : undefined;
        r2.push([l, refMean, s.mean, s.mean - refMean, trab, Math.abs(s.mean - refMean) <= 10 ? 'ok (≤ 10 HU)' : 'FAIL (> 10 HU)']);
      }
      out.push(table(['level', 'ref whole-vertebra HU', 'Rachis whole-vertebra HU', 'Δ HU', 'Rachis trabecular ROI HU', 'result'], r2));
    } catch (e) {
      out.push(`segmentSpineCT FAILED on example_ct_sm: ${(e as Error).message}`);
    }
  }

  // 3. Heights vs spine_report.json, on TotalSegmentator's own body masks.
  const ct = await readNifti(join(dir, 'example_ct.nii.gz'));
  const bodies = await readLabelMap(join(dir, 'spine_report/test_result/totalseg_vertebrae_pp_refined.nii.gz'));
  const whole = await readLabelMap(join(dir, 'spine_report/example_ct_report/totalseg.nii.gz'));
  // TotalSegmentator v2 `total`: 31 = L1 … 27 = L5, 32 = T12 (clinical-reference §8.3).
  const tsValue = (n: VertebraName) => (n === 'S1' ? 26 : n === 'T12' ? 32 : n === 'T11' ? 33 : 31 - (Number(n.slice(1)) - 1));
  const seg = segmentationFromReference(bodies, whole, tsValue);
  const rep = (JSON.parse(await readFile(join(dir, 'spine_report/example_ct_report/spine_report.json'), 'utf8')) as { results: Record<string, number> }).results;
  const ctHU = { ...ct, meta: { ...ct.meta, modality: 'CT', unit: 'HU' } };
  const res = measureSpineCT(ctHU, seg);
  // Rachis's own masks on the same CT: the same measurement code, so differences from the column
  // above are the segmentation's.
  let own: ReturnType<typeof measureSpineCT> | undefined;
  let ownCircle: ReturnType<typeof measureSpineCT> | undefined;
  let ownNote = 'segmentSpineCT is not available in this build: own-mask columns empty.';
  let ownSegForHu: SpineSegmentation | undefined;
  if (segmenter) {
    try {
      const ownSeg = await segmenter(ctHU);
      ownSegForHu = ownSeg;
      own = measureSpineCT(ctHU, ownSeg);
      ownCircle = measureSpineCT(ctHU, ownSeg, { density: { roi: 'circle-200mm2' } });
      ownNote = '';
    } catch (e) {
      ownNote = `segmentSpineCT FAILED on example_ct: ${(e as Error).message}`;
    }
  }
  const levels5 = ['L1', 'L2', 'L3', 'L4', 'L5'];
  const fmtH = (r: ReturnType<typeof measureSpineCT> | undefined, l: string): string | undefined => {
    const m = r?.morphometry.find((x) => x.label === l);
    if (!m) return undefined;
    if (m.heights.status !== 'measured') return `not measured (${m.heights.reason})`;
    const h = m.heights.value;
    return [h.anterior, h.middle, h.posterior].map((c) => c.heightMm.toFixed(1)).join(' / ');
  };
  const fmtG = (r: ReturnType<typeof measureSpineCT> | undefined, l: string): string | undefined => {
    const g = r?.morphometry.find((x) => x.label === l)?.genant;
    if (!g) return undefined;
    if (g.status !== 'measured') return `not graded: ${g.reason}`;
    const v = g.value;
    const bl = v.gradeBorderline && v.gradeRange && v.heightLossRange ? `; borderline ${v.gradeRange[0]}–${v.gradeRange[1]}, loss ${v.heightLossRange.map((x) => x.toFixed(2)).join('–')}` : '';
    return `${v.grade} ${v.shape} (within-vertebra loss ${v.withinVertebraLoss.toFixed(2)}${bl})`;
  };
  const r3 = levels5.map((l) => {
    const k = (s: string) => rep[`vertebrae_${l}_${s}`];
    return [l, `${k('height_anterior_mm')} / ${k('height_middle_mm')} / ${k('height_posterior_mm')}`, fmtH(res, l), fmtH(own, l), k('height_difference'), fmtG(res, l), fmtG(own, l)];
  });
  out.push('\n(b3) heights Ha / Hm / Hp (mm) and Genant vs spine_report.json (example_ct, 3 mm voxels). "TS masks": Rachis measuring TotalSegmentator\'s own pp_refined body masks (differences from the TS column = measurement method); "own masks": Rachis on segmentSpineCT\'s masks (differences from the TS-masks column = segmentation)');
  out.push(table(['level', 'TS report', 'Rachis, TS masks', 'Rachis, own masks', 'TS height_diff', 'Rachis Genant, TS masks', 'Rachis Genant, own masks'], r3));
  if (ownNote) out.push(ownNote);
  // Both endplate edges on the same masks (the default at 3 mm is the mask edge): mean height difference from the report.
  const vsReport = (m: ReturnType<typeof measureMorphometry> | undefined): string => {
    if (!m) return 'n/a';
    const d: number[] = [];
    for (const l of levels5) {
      const h = m.find((x) => x.label === l)?.heights;
      if (h?.status !== 'measured') continue;
      (['anterior', 'middle', 'posterior'] as const).forEach((c) => d.push(h.value[c].heightMm - rep[`vertebrae_${l}_height_${c}_mm`]!));
    }
    return `mean ${(d.reduce((a, b) => a + b, 0) / d.length).toFixed(2)}, mean |Δ| ${(d.reduce((a, b) => a + Math.abs(b), 0) / d.length).toFixed(2)} mm (n ${d.length})`;
  };
  out.push(table(['heights − TS report', 'endplates: mask (default at 3 mm)', 'endplates: hu'], [
    ['TS masks', vsReport(measureMorphometry(seg, { endplates: 'mask' }, ctHU)), vsReport(measureMorphometry(seg, { endplates: 'hu' }, ctHU))],
    ['own masks', vsReport(ownSegForHu && measureMorphometry(ownSegForHu, { endplates: 'mask' }, ctHU)), vsReport(ownSegForHu && measureMorphometry(ownSegForHu, { endplates: 'hu' }, ctHU))],
  ]));
  // (b4) The trabecular ROI is not the quantity in statistics.json (whole vertebra, cortex and posterior
  // elements included) nor spine_report's intensity (whole body eroded by one voxel): the fair check of
  // our masks is the SAME ROI definition over both segmentations of the same CT.
  const roi = (r: ReturnType<typeof measureSpineCT> | undefined, l: string) => {
    const d = r?.density.find((x) => x.label === l);
    return d?.trabecular.status === 'measured' ? d.trabecular.value : undefined;
  };
  const resCircle = measureSpineCT(ctHU, seg, { density: { roi: 'circle-200mm2' } });
  const fmtR = (v: ReturnType<typeof roi>) => (v ? `${v.meanHU.toFixed(1)} / ${v.medianHU.toFixed(0)} (${v.count})` : undefined);
  const r4 = levels5.flatMap((l) => [[res, own, 'eroded body'], [resCircle, ownCircle, '200 mm² circle']].map(([ts, us, name]) => {
    const a = roi(ts as typeof res, l), b = roi(us as typeof own, l);
    const d = a && b ? b.meanHU - a.meanHU : undefined;
    return [l, name as string, `${rep[`vertebrae_${l}_intensity`]} / ${rep[`vertebrae_${l}_intensity_median`]}`, fmtR(a), fmtR(b), d, d === undefined ? 'n/a' : Math.abs(d) <= 10 ? 'ok (≤ 10 HU)' : 'FAIL (> 10 HU)'];
  }));
  out.push(`\n(b4) trabecular ROI HU, mean / median (voxels): the same ROI over TotalSegmentator's pp_refined masks and over Rachis's own masks; TS report = its whole-body mean/median (a different quantity, for context). ROIs: eroded body = ${res.density[0]?.trabecular.method ?? ''}; circle = ${resCircle.density[0]?.trabecular.method ?? ''}`);
  out.push(table(['level', 'ROI', 'TS report mean / median', 'Rachis ROI, TS masks', 'Rachis ROI, own masks', 'Δ mean own − TS masks', 'result'], r4));
  // The same body masks with a TotalSegmentator-like ROI (whole body, 4 mm erosion) to separate ROI from mask effects.
  const tsLike = measureSpineCT({ ...ct, meta: { ...ct.meta, modality: 'CT', unit: 'HU' } }, seg, { density: { cortexMm: [4, 4, 0], partialVolumeVoxels: 0, centralFraction: 1, posteriorExclusion: 0, maxAboveMedianHU: Infinity } });
  out.push('Body HU with a TotalSegmentator-like ROI (pp_refined body eroded 4 mm in-plane only — one 3 mm voxel —, whole height, no posterior exclusion):');
  out.push(table(['level', 'TS mean HU', 'Rachis TS-like ROI mean', 'TS median HU', 'Rachis TS-like ROI median', 'voxels'], ['L1', 'L2', 'L3', 'L4', 'L5'].map((l) => {
    const d = tsLike.density.find((x) => x.label === l);
    const v = d?.trabecular.status === 'measured' ? d.trabecular.value : undefined;
    return [l, rep[`vertebrae_${l}_intensity`], v?.meanHU, rep[`vertebrae_${l}_intensity_median`], v?.medianHU, v?.count];
  })));
  const bmd = res.opportunisticBmd;
  out.push(`L1 screen: ${bmd.status === 'measured' ? `${bmd.value.level} ${bmd.value.meanHU.toFixed(1)} HU → ${bmd.value.category} (${bmd.value.meaning}); caveats: ${bmd.caveats.join('; ')}` : bmd.reason}`);
  out.push('\n' + (await tissueSection(dir)));
  const bodyTask = await readLabelMap(join(dir, 'spine_report/example_ct_report/totalseg_vertebrae_body.nii.gz'));
  out.push(alignmentSection(ctHU, segmentationFromReference(withSacralBody(bodies, whole, tsValue('S1'), bodyTask), whole, tsValue), ownSegForHu));
  return out.join('\n');
}
