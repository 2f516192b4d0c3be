/** Study-level findings: bone density, fractures, alignment, body composition. */
import type { LevelReport, Measurement, StudyFinding, Threshold } from '../model/types.js';
import { CONCEPTS, UNITS, localValue, vertebraCode } from '../model/codes.js';
import { formatMeasurement, levelRange } from '../model/format.js';
import type { BoneDensityCategory, ReportMeasurements } from './inputs.js';
import { makeEvaluation, makeMeasurement, pushDefined } from './make.js';
import { METHOD_IDS, toThreshold } from './methods.js';
import { BORDERLINE } from './levels.js';

const CATEGORY_TEXT: Record<BoneDensityCategory, string> = {
  'osteoporosis-likely': 'osteoporosis likely',
  'low-density-possible': 'low bone density possible; consider DXA',
  'osteoporosis-unlikely': 'osteoporosis unlikely',
  'normal-likely': 'normal bone density likely',
};

const BMD_CODE: Record<BoneDensityCategory, string> = {
  'osteoporosis-likely': 'bmd-op-likely', 'low-density-possible': 'bmd-low-possible', 'osteoporosis-unlikely': 'bmd-op-unlikely', 'normal-likely': 'bmd-normal',
};

/** SRS definition of scoliosis (⚠ in clinical-reference.md §6: patient-facing source only). */
export const SCOLIOSIS_THRESHOLD: Threshold = { meaning: 'scoliosis', comparator: '>=', value: 10, unit: { ...UNITS.deg }, source: 'Scoliosis Research Society definition' };

const lowerFirst = (t: string): string => t.charAt(0).toLowerCase() + t.slice(1);

const notAssessed = (key: StudyFinding['key'], title: string, why: string): StudyFinding => ({
  key, title, status: 'not-assessed', summary: `Not assessed: ${why.replace(/\.$/, '')}.`, measurements: [], evaluations: [], caveats: [],
});

export function boneDensityFinding(meas: ReportMeasurements | undefined): StudyFinding {
  const b = meas?.boneDensity;
  const title = 'Bone density (opportunistic CT)';
  if (!b) return notAssessed('bone-density', title, meas?.notAssessed?.['bone-density'] ?? 'no trabecular attenuation available');
  const m = makeMeasurement({ key: 'bone-density/attenuation', name: `${b.level} trabecular attenuation`, concept: CONCEPTS.attenuation, derivation: CONCEPTS.mean, value: b.meanHU, decimals: 0, unit: UNITS.hu, method: METHOD_IDS.boneDensity, confidence: b.confidence });
  if (!m) return notAssessed('bone-density', title, 'attenuation could not be measured');
  const text = CATEGORY_TEXT[b.category];
  const e = makeEvaluation({ key: 'bone-density/category', name: 'Bone density category', concept: CONCEPTS.boneDensityCategory, value: localValue(BMD_CODE[b.category], text), text, method: METHOD_IDS.boneDensity, confidence: b.confidence });
  return {
    key: 'bone-density', title, status: 'assessed', site: vertebraCode(b.level),
    summary: `${b.level} trabecular attenuation ${formatMeasurement(m)}: ${text}.`,
    measurements: [m], evaluations: [e], caveats: [...(b.caveats ?? [])],
  };
}

/** "L1: Genant grade 2 (moderate) wedge deformity, height loss 35%". */
function describeDeformity(l: LevelReport): string {
  const g = l.evaluations.find((e) => e.key.endsWith('/genant-grade'));
  const grade = g?.value.meaning.replace(/^Genant /, 'Genant ') ?? '';
  const [main = '', borderline] = (g?.text ?? '').split(` (${BORDERLINE}`);
  const shape = main.split(', ')[1];
  const loss = l.measurements.find((m) => m.key.endsWith('/height-loss'));
  const range = borderline ? ` (${BORDERLINE}${borderline}` : '';
  return `${l.name}: ${grade}${shape ? ` ${shape}` : ''} deformity${loss ? `, height loss ${formatMeasurement(loss)}` : ''}${range}`;
}

export function fractureFinding(levels: readonly LevelReport[]): StudyFinding {
  const title = 'Vertebral fractures (morphometry)';
  const graded = levels.filter((l) => l.kind === 'vertebra' && l.evaluations.some((e) => e.key.endsWith('/genant-grade')));
  if (graded.length === 0) return notAssessed('fractures', title, 'no vertebra could be graded');
  const deformed = graded.filter((l) => l.evaluations.some((e) => e.key.endsWith('/genant-grade') && e.value.value !== 'genant-0'));
  const count = makeMeasurement({ key: 'fractures/count', name: 'Vertebrae with Genant grade ≥1', concept: CONCEPTS.fractureCount, value: deformed.length, decimals: 0, unit: UNITS.count, method: METHOD_IDS.morphometry });
  const names = graded.map((l) => l.name);
  // Whole vertebrae in the graded range (C3–L5) that were not graded (e.g. an unreliable mask) are
  // named, so "no deformity" is never read as covering them.
  const ungraded = levels.filter((l) => l.kind === 'vertebra' && !l.truncated && /^(C[3-7]|T\d+|L\d)$/.test(l.name) && !graded.includes(l)).map((l) => l.name);
  const notGraded = ungraded.length > 0 ? `; not graded: ${ungraded.join(', ')} (see per-level notes)` : '';
  const summary = deformed.length === 0
    ? `No vertebral body deformity of Genant grade ≥1 at ${levelRange(names)} (${graded.length} vertebrae graded${notGraded}).`
    : `${deformed.map(describeDeformity).join('; ')} (${graded.length} vertebrae graded, ${levelRange(names)}${notGraded}).`;
  return { key: 'fractures', title, status: 'assessed', summary, measurements: count ? [count] : [], evaluations: [], caveats: [] };
}

export function alignmentFinding(meas: ReportMeasurements | undefined): StudyFinding {
  const a = meas?.alignment;
  const title = 'Alignment';
  if (!a || (!a.cobb?.length && !a.lordosisDeg && !a.kyphosisDeg)) return notAssessed('alignment', title, meas?.notAssessed?.alignment ?? 'no angle measured');
  const ms: Measurement[] = [];
  (a.cobb ?? []).forEach((c, i) => {
    pushDefined(ms, makeMeasurement({ key: `alignment/cobb-${i + 1}`, name: `${c.plane === 'coronal' ? 'Coronal' : 'Sagittal'} Cobb angle ${c.upper}–${c.lower}`, concept: CONCEPTS.cobbAngle, value: c.angleDeg, decimals: 1, unit: UNITS.deg, method: METHOD_IDS.alignment }));
  });
  if (a.lordosisDeg) pushDefined(ms, makeMeasurement({ key: 'alignment/lordosis', name: `Lumbar lordosis ${a.lordosisDeg.upper}–${a.lordosisDeg.lower}`, concept: CONCEPTS.lordosis, value: a.lordosisDeg.angleDeg, decimals: 1, unit: UNITS.deg, method: METHOD_IDS.alignment }));
  if (a.kyphosisDeg) pushDefined(ms, makeMeasurement({ key: 'alignment/kyphosis', name: `Thoracic kyphosis ${a.kyphosisDeg.upper}–${a.kyphosisDeg.lower}`, concept: CONCEPTS.kyphosis, value: a.kyphosisDeg.angleDeg, decimals: 1, unit: UNITS.deg, method: METHOD_IDS.alignment }));
  const cobbIndex = (key: string): number => Number(/^alignment\/cobb-(\d+)$/.exec(key)?.[1] ?? 0) - 1;
  const coronal = ms.filter((m) => a.cobb?.[cobbIndex(m.key)]?.plane === 'coronal');
  const evaluations = [];
  if (coronal.length > 0) {
    const worst = coronal.reduce((x, y) => (y.value > x.value ? y : x));
    const present = worst.value >= SCOLIOSIS_THRESHOLD.value;
    const ends = worst.name.replace(/^Coronal Cobb angle /, '');
    const text = present ? `Scoliosis: coronal Cobb angle ${formatMeasurement(worst)} (${ends})` : `No scoliosis: largest coronal Cobb angle ${formatMeasurement(worst)} (${ends})`;
    evaluations.push(makeEvaluation({ key: 'alignment/scoliosis', name: 'Scoliosis', concept: CONCEPTS.scoliosis, value: localValue(present ? 'present' : 'absent', present ? 'Present' : 'Absent'), text, method: METHOD_IDS.alignment }));
  }
  const others = ms.filter((m) => !coronal.includes(m)).map((m) => `${evaluations.length ? lowerFirst(m.name) : m.name} ${formatMeasurement(m)}`);
  const summary = `${[...evaluations.map((e) => e.text), ...others].join('; ')}.`;
  return { key: 'alignment', title, status: 'assessed', summary, measurements: ms, evaluations, caveats: [...(a.caveats ?? [])] };
}

export function bodyCompositionFinding(meas: ReportMeasurements | undefined): StudyFinding {
  const b = meas?.bodyComposition;
  const title = `Body composition${b ? ` at ${b.level}` : ''}`;
  if (!b) return notAssessed('body-composition', title, meas?.notAssessed?.['body-composition'] ?? 'no body-composition slice available');
  const id = METHOD_IDS.bodyComposition;
  const ms: Measurement[] = [];
  pushDefined(ms, makeMeasurement({ key: 'body-composition/muscle-area', name: 'Skeletal muscle area', concept: CONCEPTS.muscleArea, value: b.muscleAreaCm2, decimals: 1, unit: UNITS.cm2, method: id }));
  pushDefined(ms, makeMeasurement({ key: 'body-composition/muscle-attenuation', name: 'Skeletal muscle attenuation', concept: CONCEPTS.muscleAttenuation, derivation: CONCEPTS.mean, value: b.muscleMeanHU, decimals: 0, unit: UNITS.hu, method: id }));
  pushDefined(ms, makeMeasurement({ key: 'body-composition/sat-area', name: 'Subcutaneous fat area', concept: CONCEPTS.satArea, value: b.satAreaCm2, decimals: 1, unit: UNITS.cm2, method: id }));
  pushDefined(ms, makeMeasurement({ key: 'body-composition/vat-area', name: 'Visceral fat area', concept: CONCEPTS.vatArea, value: b.vatAreaCm2, decimals: 1, unit: UNITS.cm2, method: id }));
  pushDefined(ms, makeMeasurement({ key: 'body-composition/imat-area', name: 'Intermuscular fat area', concept: CONCEPTS.imatArea, value: b.imatAreaCm2, decimals: 1, unit: UNITS.cm2, method: id }));
  pushDefined(ms, makeMeasurement({ key: 'body-composition/smi', name: 'Skeletal muscle index', concept: CONCEPTS.smi, value: b.smiCm2PerM2, decimals: 1, unit: UNITS.cm2PerM2, method: id }));
  const caveats = [...(b.caveats ?? [])];
  if (b.smiCm2PerM2 === undefined) caveats.push('Skeletal muscle index not computed: patient height unknown.');
  const summary = `${b.level}: ${ms.map((m) => `${m.name.toLowerCase()} ${formatMeasurement(m)}`).join(', ')}.`;
  return { key: 'body-composition', title, status: 'assessed', site: vertebraCode(b.level), summary, measurements: ms, evaluations: [], caveats };
}

export function boneDensityThresholds(meas: ReportMeasurements | undefined): Threshold[] {
  return (meas?.boneDensity?.thresholds ?? []).map((t) => toThreshold(t));
}
