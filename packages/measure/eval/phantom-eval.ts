/**
 * Phantom section of `npm run eval:measure`: truth vs measured on spine phantoms, with the
 * phantom's own label maps as a perfect segmentation (measurement error only) and, when the spine
 * engine is available, with its segmentation (measurement + segmentation error).
 */
import type { Volume } from '@rachis/imaging';
import { makeSpinePhantom, type SpinePhantom, type SpinePhantomParams, type SpineSegmentation } from '@rachis/spine';
import { isFineGrid } from '../src/morphometry.js';
import { measureSpineCT } from '../src/pipeline.js';
import type { MeasurementResults } from '../src/types.js';
import { phantomSegmentation } from './phantom-seg.js';
import { thickSlices } from './phantom-thick.js';
import { table } from './table.js';

/**
 * `thickSlices`: the phantom at its spacing, then every n axial slices averaged (partial volume at
 * the endplates, slices n times thicker). `sliceIntegrated`: the phantom at 1/n of its slice
 * spacing (noise × √n), then every n slices averaged: the same grid as the phantom, but each slice
 * integrates its thickness as a CT slice does, so the endplates carry partial volume instead of a
 * binary staircase.
 */
type PhantomCase = { name: string; params: SpinePhantomParams; thickSlices?: number; sliceIntegrated?: number };
const BASE_PHANTOMS: PhantomCase[] = [
  {
    name: 'lumbar L1–S1, wedge/biconcave/crush, C-scoliosis',
    params: {
      spacingMm: [1, 1, 1], fov: { from: 'L1', to: 'S1', marginMm: 5 }, scoliosis: { amplitudeMm: 12, from: 'L1', to: 'L5' },
      deformities: [{ level: 'L1', shape: 'wedge', heightLossPct: 33 }, { level: 'L2', shape: 'biconcave', heightLossPct: 30 }, { level: 'L4', shape: 'crush', heightLossPct: 45 }],
    },
  },
  {
    name: 'thoracolumbar T10–S1, grade-1 wedge, low BMD, portal contrast',
    params: {
      spacingMm: [1, 1, 1], seed: 3, fov: { from: 'T10', to: 'S1', marginMm: 5 }, trabecularHU: 95, contrast: 'portal',
      deformities: [{ level: 'T12', shape: 'wedge', heightLossPct: 22 }, { level: 'L3', shape: 'biconcave', heightLossPct: 38 }],
    },
  },
  {
    name: 'thoracic T3–L1 (kyphosis), S-scoliosis, 1.5 mm voxels',
    params: {
      spacingMm: [1.5, 1.5, 1.5], seed: 5, fov: { from: 'T3', to: 'L1', marginMm: 5 }, scoliosis: { amplitudeMm: 10, from: 'T5', to: 'T12', shape: 'S' }, kyphosisDeg: 45,
      deformities: [{ level: 'T7', shape: 'wedge', heightLossPct: 45 }, { level: 'T9', shape: 'crush', heightLossPct: 28 }],
    },
  },
  {
    name: 'thoracolumbar T10–S1 as above, 3 mm slices (1 mm averaged in threes)',
    thickSlices: 3,
    params: {
      spacingMm: [1, 1, 1], seed: 3, fov: { from: 'T10', to: 'S1', marginMm: 5 }, trabecularHU: 95, contrast: 'portal',
      deformities: [{ level: 'T12', shape: 'wedge', heightLossPct: 22 }, { level: 'L3', shape: 'biconcave', heightLossPct: 38 }],
    },
  },
  {
    name: 'lumbar L1–S1 as above, 3 mm slices (1 mm averaged in threes)',
    thickSlices: 3,
    params: {
      spacingMm: [1, 1, 1], fov: { from: 'L1', to: 'S1', marginMm: 5 }, scoliosis: { amplitudeMm: 12, from: 'L1', to: 'L5' },
      deformities: [{ level: 'L1', shape: 'wedge', heightLossPct: 33 }, { level: 'L2', shape: 'biconcave', heightLossPct: 30 }, { level: 'L4', shape: 'crush', heightLossPct: 45 }],
    },
  },
];
export const PHANTOMS: PhantomCase[] = [...BASE_PHANTOMS, ...BASE_PHANTOMS.slice(0, 3).map((p) => ({ ...p, name: `${p.name}, slice-integrated`, sliceIntegrated: 3 }))];

/** The phantom as the row asks for it (see PHANTOMS). */
export function renderPhantom(p: PhantomCase): SpinePhantom {
  if (p.sliceIntegrated) {
    const n = p.sliceIntegrated;
    const s = p.params.spacingMm ?? [1, 1, 1];
    // Averaging n slices divides the noise SD by √n: render with √n × the default 12 HU.
    return thickSlices(makeSpinePhantom({ ...p.params, spacingMm: [s[0], s[1], s[2] / n], noiseSdHU: 12 * Math.sqrt(n) }), n);
  }
  const fine = makeSpinePhantom(p.params);
  return p.thickSlices ? thickSlices(fine, p.thickSlices) : fine;
}

export interface PhantomRow {
  phantom: string;
  segmentation: string;
  heightsN: number;
  heightMaxErrMm: number;
  heightMeanAbsErrMm: number;
  /** Heights whose error is within the ± uncertainty the measurement states (one voxel of endplate position). */
  heightsWithinStated: string;
  gradesExact: string;
  /** Graded levels whose grade range (loss ± uncertainty) holds the true grade / flagged borderline. */
  truthInGradeRange: string;
  borderline: number;
  shapesExact: string;
  cobbTruth: number;
  cobbErr: number | undefined;
  kyphosisErr: number | undefined;
  lordosisErr: number | undefined;
  hu: string;
  roiMaxErrHU: number;
  muscleErrPct: number | undefined;
  vatErrPct: number | undefined;
  satErrPct: number | undefined;
  imatErrCm2: number | undefined;
  seconds: number;
}

export function comparePhantom(name: string, ph: SpinePhantom, segName: string, seg: SpineSegmentation, r: MeasurementResults, seconds: number): PhantomRow {
  const truth = (n: string) => ph.truth.vertebrae.find((v) => v.name === n);
  let errs: number[] = [];
  let graded = 0, gradeOk = 0, shapeOk = 0, roiMax = 0, inRange = 0, borderline = 0, withinStated = 0;
  const huTruth = new Set<number>();
  for (const m of r.morphometry) {
    const t = truth(m.label);
    if (!t || t.truncated || m.label === 'S1') continue;
    if (m.heights.status === 'measured') {
      const h = m.heights.value;
      const e = [h.anterior.heightMm - t.anteriorHeightMm, h.middle.heightMm - t.middleHeightMm, h.posterior.heightMm - t.posteriorHeightMm];
      errs = errs.concat(e);
      if (h.heightUncertaintyMm !== undefined) withinStated += e.filter((x) => Math.abs(x) <= h.heightUncertaintyMm!).length;
    }
    if (m.genant.status === 'measured') {
      graded++;
      if (m.genant.value.grade === t.genantGrade) gradeOk++;
      if (m.genant.value.shape === t.shape) shapeOk++;
      const gr = m.genant.value.gradeRange;
      if (gr && gr[0] <= t.genantGrade && t.genantGrade <= gr[1]) inRange++;
      if (m.genant.value.gradeBorderline) borderline++;
    }
  }
  for (const d of r.density) {
    const t = truth(d.label);
    if (!t || t.truncated || d.trabecular.status !== 'measured') continue;
    roiMax = Math.max(roiMax, Math.abs(d.trabecular.value.meanHU - t.trabecularHU));
    huTruth.add(t.trabecularHU);
  }
  const tilts = ph.truth.vertebrae.filter((v) => v.visible && !v.truncated && /^(T|L)/.test(v.name)).map((v) => v.coronalTiltDeg);
  const cobbTruth = Math.max(...tilts) - Math.min(...tilts);
  const a = r.alignment;
  const bc = r.bodyComposition.status === 'measured' ? r.bodyComposition.value : undefined;
  const bt = ph.truth.l3BodyComposition;
  const pct = (x: number | undefined, y: number | undefined) => (x === undefined || !y ? undefined : (100 * (x - y)) / y);
  return {
    phantom: name, segmentation: segName,
    heightsN: errs.length, heightMaxErrMm: Math.max(0, ...errs.map(Math.abs)), heightMeanAbsErrMm: errs.reduce((s, e) => s + Math.abs(e), 0) / Math.max(1, errs.length),
    heightsWithinStated: `${withinStated}/${errs.length}`,
    gradesExact: `${gradeOk}/${graded}`, truthInGradeRange: `${inRange}/${graded}`, borderline, shapesExact: `${shapeOk}/${graded}`,
    cobbTruth, cobbErr: a.coronalCobb.status === 'measured' ? a.coronalCobb.value.angleDeg - cobbTruth : undefined,
    kyphosisErr: a.thoracicKyphosisDeg.status === 'measured' && ph.truth.kyphosisDeg !== undefined ? a.thoracicKyphosisDeg.value - ph.truth.kyphosisDeg : undefined,
    lordosisErr: a.lumbarLordosisDeg.status === 'measured' && ph.truth.lordosisDeg !== undefined ? a.lumbarLordosisDeg.value - ph.truth.lordosisDeg : undefined,
    hu: [...huTruth].join('/'), roiMaxErrHU: roiMax,
    muscleErrPct: pct(bc?.skeletalMuscle.areaCm2, bt?.muscleCm2), vatErrPct: pct(bc?.visceralFat.areaCm2, bt?.visceralFatCm2),
    satErrPct: pct(bc?.subcutaneousFat.areaCm2, bt?.subcutaneousFatCm2),
    imatErrCm2: bc && bt ? bc.intermuscularFat.areaCm2 - bt.imatCm2 : undefined,
    seconds,
  };
}

type Segmenter = (v: Volume) => Promise<SpineSegmentation>;

export async function phantomSection(segmenter: Segmenter | undefined): Promise<{ text: string; rows: PhantomRow[] }> {
  const rows: PhantomRow[] = [];
  const notes: string[] = [];
  for (const p of PHANTOMS) {
    const ph = renderPhantom(p);
    const segs: [string, () => Promise<SpineSegmentation>][] = [['phantom truth', async () => phantomSegmentation(ph)]];
    if (segmenter) segs.push(['segmentSpineCT', () => segmenter(ph.volume)]);
    for (const [segName, make] of segs) {
      try {
        const seg = await make();
        // Both endplate edges (mask edge; HU crossing, endplate-hu.ts) on the same masks; the default
        // ('auto') is the HU edge on grids of ≤ 1.6 mm along the column (the phantoms' slice axis).
        const auto = isFineGrid(ph.volume.spacing) ? 'hu' : 'mask';
        for (const endplates of ['mask', 'hu'] as const) {
          const t0 = performance.now();
          const r = measureSpineCT(ph.volume, seg, { morphometry: { endplates } });
          rows.push(comparePhantom(p.name, ph, `${segName}, endplates: ${endplates}${endplates === auto ? ' (default)' : ''}`, seg, r, (performance.now() - t0) / 1000));
        }
      } catch (e) {
        notes.push(`${p.name} / ${segName}: FAILED — ${(e as Error).message}`);
      }
    }
  }
  const text = table(
    ['phantom', 'segmentation', 'heights n', 'max |Δh| mm', 'mean |Δh| mm', '|Δh| ≤ stated ±', 'Genant exact', 'truth in grade range', 'borderline', 'shape exact', 'Cobb truth °', 'ΔCobb °', 'Δkyph °', 'Δlord °', 'truth HU', 'max |ΔHU|', 'Δmuscle %', 'ΔVAT %', 'ΔSAT %', 'ΔIMAT cm²', 'measure s'],
    rows.map((r) => [r.phantom, r.segmentation, r.heightsN, r.heightMaxErrMm, r.heightMeanAbsErrMm, r.heightsWithinStated, r.gradesExact, r.truthInGradeRange, r.borderline, r.shapesExact, r.cobbTruth, r.cobbErr, r.kyphosisErr, r.lordosisErr, r.hu, r.roiMaxErrHU, r.muscleErrPct, r.vatErrPct, r.satErrPct, r.imatErrCm2, r.seconds]),
  );
  return { text: [text, ...notes].join('\n'), rows };
}
