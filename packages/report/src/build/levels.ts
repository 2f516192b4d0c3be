/** Per-level (vertebra and disc) section of the report. */
import type { SpineSegmentation } from '@rachis/spine';
import { VERTEBRA_LABEL_VALUE, type VertebraName } from '@rachis/spine';
import type { Evaluation, LevelReport, Measurement } from '../model/types.js';
import { CONCEPTS, UNITS, discCode, localValue, vertebraCode } from '../model/codes.js';
import { formatMeasurement, roundTo } from '../model/format.js';
import type { ReportMeasurements, VertebraMeasurementInput } from './inputs.js';
import { makeEvaluation, makeMeasurement, pushDefined } from './make.js';
import { METHOD_IDS } from './methods.js';

/** Below this label confidence a level carries an "uncertain label" caveat and is not graded. */
export const LABEL_CONFIDENCE_CAVEAT = 0.7;

const HEIGHT_KEYS = ['height-anterior', 'height-middle', 'height-posterior'];
/**
 * Vertebral body heights outside this range are not anatomy (adult bodies: cervical ≈12–15 mm,
 * lumbar ≈25–30 mm; clinical-reference §8.2), so they are withheld rather than reported.
 */
export const PLAUSIBLE_BODY_HEIGHT_MM = [8, 60] as const;

/** Measurements that a field-of-view cut makes wrong (volume too, since part of the bone is missing). */
const CUT_WHEN_TRUNCATED = ['height-anterior', 'height-middle', 'height-posterior', 'height-ratio', 'height-loss', 'volume'];

export const GENANT_TEXT = ['grade 0 (no deformity)', 'grade 1 (mild)', 'grade 2 (moderate)', 'grade 3 (severe)'] as const;
/** Marks a grade whose height loss ± measurement uncertainty spans more than one band. */
export const BORDERLINE = 'borderline: within measurement uncertainty, grade';

function vertebraMeasurements(name: string, input: VertebraMeasurementInput | undefined): { m: Measurement[]; e: Evaluation[] } {
  const m: Measurement[] = [];
  const e: Evaluation[] = [];
  if (!input) return { m, e };
  const conf = input.confidence;
  const hu = input.trabecularHU;
  if (hu) {
    pushDefined(m, makeMeasurement({
      key: `${name}/trabecular-attenuation`, name: 'Trabecular attenuation', concept: CONCEPTS.attenuation,
      derivation: CONCEPTS.mean, value: hu.mean, decimals: 0, unit: UNITS.hu, method: METHOD_IDS.attenuation,
      confidence: conf, caveats: hu.caveats,
    }));
  }
  const h = input.heightsMm;
  if (h) {
    const cols = [['anterior', 'Anterior height', CONCEPTS.anteriorHeight, h.anterior], ['middle', 'Middle height', CONCEPTS.middleHeight, h.middle], ['posterior', 'Posterior height', CONCEPTS.posteriorHeight, h.posterior]] as const;
    for (const [k, label, concept, v] of cols) {
      pushDefined(m, makeMeasurement({ key: `${name}/height-${k}`, name: label, concept, value: v, decimals: 1, unit: UNITS.mm, method: METHOD_IDS.morphometry, confidence: conf }));
    }
  }
  pushDefined(m, makeMeasurement({ key: `${name}/height-ratio`, name: 'Smallest height ratio', concept: CONCEPTS.heightRatio, value: input.minHeightRatio, decimals: 2, unit: UNITS.ratio, method: METHOD_IDS.morphometry, confidence: conf }));
  pushDefined(m, makeMeasurement({ key: `${name}/height-loss`, name: 'Height loss', concept: CONCEPTS.heightLoss, value: input.heightLossPercent, decimals: 0, unit: UNITS.percent, method: METHOD_IDS.morphometry, confidence: conf }));
  pushDefined(m, makeMeasurement({ key: `${name}/volume`, name: 'Vertebra volume', concept: CONCEPTS.volume, value: input.volumeMm3 === undefined ? undefined : input.volumeMm3 / 1000, decimals: 1, unit: UNITS.cm3, method: METHOD_IDS.segmentation }));
  const g = input.genant;
  if (g) {
    // A grade the measurement cannot resolve says so where it is read, not only in a caveat.
    const borderline = g.gradeRange ? ` (${BORDERLINE} ${g.gradeRange[0]}–${g.gradeRange[1]})` : '';
    const text = `Genant ${GENANT_TEXT[g.grade]}${g.grade > 0 && g.shape ? `, ${g.shape}` : ''}${borderline}`;
    e.push(makeEvaluation({
      key: `${name}/genant-grade`, name: 'Genant grade', concept: CONCEPTS.genantGrade,
      value: localValue(`genant-${g.grade}`, `Genant ${GENANT_TEXT[g.grade]}`), text, method: METHOD_IDS.morphometry,
      confidence: conf, caveats: g.caveats,
    }));
  }
  return { m, e };
}

export function buildLevels(spine: SpineSegmentation, meas: ReportMeasurements | undefined): LevelReport[] {
  const levels: LevelReport[] = [];
  const byLabel = new Map((meas?.vertebrae ?? []).map((v) => [v.label, v]));
  const ordered = [...spine.vertebrae].sort((a, b) => a.instance - b.instance);
  ordered.forEach((v, idx) => {
    let { m, e } = vertebraMeasurements(v.label, byLabel.get(v.label));
    // For a cut vertebra our own line below says it; the stages' "field of view" notes repeat it.
    const caveats = (byLabel.get(v.label)?.caveats ?? []).filter((c) => !(v.truncated && /field of view/i.test(c)));
    const implausible = m.filter((x) => HEIGHT_KEYS.some((k) => x.key.endsWith(`/${k}`)) && (x.value < PLAUSIBLE_BODY_HEIGHT_MM[0] || x.value > PLAUSIBLE_BODY_HEIGHT_MM[1]));
    if (!v.truncated && implausible.length) {
      const cut = m.filter((x) => CUT_WHEN_TRUNCATED.some((k) => x.key.endsWith(`/${k}`)));
      m = m.filter((x) => !cut.includes(x));
      e = e.filter((x) => !x.key.endsWith('/genant-grade'));
      caveats.unshift(`Heights not reported: ${implausible.map((x) => `${x.name.toLowerCase()} ${formatMeasurement(x)}`).join(', ')} is outside ${PLAUSIBLE_BODY_HEIGHT_MM[0]}–${PLAUSIBLE_BODY_HEIGHT_MM[1]} mm (partial imaging or segmentation error?).`);
    }
    if (v.truncated) {
      // A cut vertebra has cut heights: reporting them would be a wrong number, so they are dropped.
      const cut = m.filter((x) => CUT_WHEN_TRUNCATED.some((k) => x.key.endsWith(`/${k}`)));
      m = m.filter((x) => !cut.includes(x));
      e = e.filter((x) => !x.key.endsWith('/genant-grade'));
      caveats.unshift(`Partially imaged (edge of the field of view)${cut.length ? ': heights not reported' : ''}.`);
    }
    if (v.confidence < LABEL_CONFIDENCE_CAVEAT) caveats.push(`Label uncertain (confidence ${roundTo(v.confidence, 2).toFixed(2)}).`);
    levels.push({
      kind: 'vertebra',
      name: v.label,
      site: vertebraCode(v.label),
      segmentNumber: idx + 1,
      labelValue: VERTEBRA_LABEL_VALUE[v.label as VertebraName],
      instance: v.instance,
      labelConfidence: roundTo(v.confidence, 2),
      truncated: v.truncated,
      centroidMm: [roundTo(v.centroidMm[0], 1), roundTo(v.centroidMm[1], 1), roundTo(v.centroidMm[2], 1)],
      voxelCount: v.voxelCount,
      measurements: m,
      evaluations: e,
      caveats,
    });
  });
  // Discs go right after the vertebra above them, so tables read cranio-caudally.
  const discInputs = new Map((meas?.discs ?? []).map((d) => [d.name, d]));
  for (const d of spine.discs) {
    const input = discInputs.get(d.name);
    const m: Measurement[] = [];
    pushDefined(m, makeMeasurement({ key: `${d.name}/disc-height`, name: 'Disc height', concept: CONCEPTS.discHeight, value: input?.heightMm, decimals: 1, unit: UNITS.mm, method: METHOD_IDS.disc }));
    const disc: LevelReport = { kind: 'disc', name: d.name, site: discCode(d.name), measurements: m, evaluations: [], caveats: [...(input?.caveats ?? [])] };
    const above = levels.findIndex((l) => l.kind === 'vertebra' && d.name.startsWith(`${l.name}-`));
    if (above < 0) levels.push(disc);
    else {
      let at = above + 1;
      while (levels[at]?.kind === 'disc') at++;
      levels.splice(at, 0, disc);
    }
  }
  return levels;
}
