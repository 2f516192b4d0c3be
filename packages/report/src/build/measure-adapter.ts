/**
 * Adapter: @rachis/measure's MeasurementResults → the report's own ReportMeasurements.
 * The report model stays stable when the measurement types change; only this file follows them.
 * "Not measured" results keep their reason (as a caveat or a "not assessed" line), never a number.
 */
import type { MeasurementResults, Provenance } from '@rachis/measure';
import { PICKHARDT_NPV_HU, PICKHARDT_SENSITIVE_HU, PICKHARDT_SPECIFIC_HU } from '@rachis/measure';
import type { AlignmentInput, MethodInput, ReportMeasurements, VertebraMeasurementInput } from './inputs.js';
import { METHOD_IDS } from './methods.js';
import { sentences } from '../model/format.js';

export const MEASURE_ALGORITHM = { name: '@rachis/measure', version: '0.1.0' } as const;

const PICKHARDT = 'Pickhardt, Ann Intern Med 2013';

function reasonOf(m: { status: string; reason?: string }, what: string): string[] {
  return m.status === 'not-measured' && m.reason ? [`${what} not measured: ${m.reason}`] : [];
}

export function fromMeasure(results: MeasurementResults): ReportMeasurements {
  const byLabel = new Map<string, VertebraMeasurementInput>();
  const entry = (label: string): VertebraMeasurementInput => {
    let v = byLabel.get(label);
    if (!v) byLabel.set(label, (v = { label, caveats: [] }));
    return v;
  };
  for (const m of results.morphometry) {
    const v = entry(m.label);
    if (m.heights.status === 'measured') {
      const h = m.heights.value;
      v.heightsMm = { anterior: h.anterior.heightMm, middle: h.middle.heightMm, posterior: h.posterior.heightMm };
    }
    if (m.genant.status === 'measured') {
      const g = m.genant.value;
      const ratios = [g.ratios.wedge, g.ratios.biconcave, g.ratios.crushAbove, g.ratios.crushBelow].filter((x): x is number => x !== undefined && Number.isFinite(x));
      if (ratios.length) v.minHeightRatio = Math.min(...ratios);
      v.heightLossPercent = g.heightLoss * 100;
      v.genant = { grade: g.grade, ...(g.shape !== 'normal' ? { shape: g.shape } : {}), ...(g.gradeBorderline && g.gradeRange ? { gradeRange: g.gradeRange } : {}), caveats: [...m.genant.caveats] };
    }
    v.caveats!.push(...m.heights.caveats, ...reasonOf(m.heights, 'Heights'), ...(m.heights.status === 'measured' ? reasonOf(m.genant, 'Genant grade') : []));
  }
  for (const d of results.density) {
    const v = entry(d.label);
    if (d.trabecular.status === 'measured') {
      const t = d.trabecular.value;
      v.trabecularHU = { mean: t.meanHU, sd: t.sdHU, roiVolumeMm3: t.volumeMm3, caveats: [...d.trabecular.caveats] };
    } else v.caveats!.push(...reasonOf(d.trabecular, 'Trabecular attenuation'));
  }
  for (const v of byLabel.values()) v.caveats = [...new Set(v.caveats)];

  const out: ReportMeasurements = { algorithm: { ...MEASURE_ALGORITHM }, vertebrae: [...byLabel.values()], discs: [], warnings: [...results.warnings], notAssessed: {}, methods: [] };
  const methods: MethodInput[] = out.methods!;
  const describe = (id: string, name: string, p: Provenance): void => {
    if (p.method) methods.push({ id, name, description: p.method });
  };

  const bmd = results.opportunisticBmd;
  if (bmd.status === 'measured') {
    out.boneDensity = {
      level: bmd.value.level, meanHU: bmd.value.meanHU, category: bmd.value.category, caveats: [...bmd.caveats],
      thresholds: [
        { meaning: 'osteoporosis likely (>90% specific)', comparator: '<=', value: PICKHARDT_SPECIFIC_HU, source: PICKHARDT },
        { meaning: 'low density possible (90% sensitive)', comparator: '<=', value: PICKHARDT_SENSITIVE_HU, source: PICKHARDT },
        { meaning: 'osteoporosis unlikely below this; above: NPV 99%', comparator: '>', value: PICKHARDT_NPV_HU, source: PICKHARDT },
      ],
    };
  } else out.notAssessed!['bone-density'] = bmd.reason;
  describe(METHOD_IDS.boneDensity, 'Opportunistic bone-density category', bmd);

  const al = results.alignment;
  const alignment: AlignmentInput = { caveats: [] };
  if (al.coronalCobb.status === 'measured') {
    const c = al.coronalCobb.value;
    alignment.cobb = [{ angleDeg: c.angleDeg, upper: c.upperEnd, lower: c.lowerEnd, plane: 'coronal' }];
  }
  if (al.thoracicKyphosisDeg.status === 'measured') alignment.kyphosisDeg = { angleDeg: al.thoracicKyphosisDeg.value, upper: 'T4', lower: 'T12' };
  if (al.lumbarLordosisDeg.status === 'measured') alignment.lordosisDeg = { angleDeg: al.lumbarLordosisDeg.value, upper: 'L1', lower: 'S1' };
  for (const [m, what] of [[al.coronalCobb, 'Coronal Cobb angle'], [al.thoracicKyphosisDeg, 'Thoracic kyphosis'], [al.lumbarLordosisDeg, 'Lumbar lordosis']] as const) {
    alignment.caveats!.push(...m.caveats, ...reasonOf(m, what));
  }
  alignment.caveats = [...new Set(alignment.caveats)];
  out.alignment = alignment;
  if (!alignment.cobb && !alignment.kyphosisDeg && !alignment.lordosisDeg) out.notAssessed!.alignment = sentences(alignment.caveats).replace(/\.$/, '') || 'no angle measurable';

  const bc = results.bodyComposition;
  if (bc.status === 'measured') {
    const b = bc.value;
    out.bodyComposition = {
      level: b.level, muscleAreaCm2: b.skeletalMuscle.areaCm2, muscleMeanHU: b.skeletalMuscle.meanHU,
      satAreaCm2: b.subcutaneousFat.areaCm2, vatAreaCm2: b.visceralFat.areaCm2, imatAreaCm2: b.intermuscularFat.areaCm2,
      ...(b.skeletalMuscleIndex !== undefined ? { smiCm2PerM2: b.skeletalMuscleIndex } : {}),
      windowsHU: { muscle: b.skeletalMuscle.windowHU, sat: b.subcutaneousFat.windowHU, vat: b.visceralFat.windowHU, imat: b.intermuscularFat.windowHU },
      caveats: [...bc.caveats],
    };
  } else out.notAssessed!['body-composition'] = bc.reason;
  describe(METHOD_IDS.bodyComposition, 'Body composition', bc);
  return out;
}
