/**
 * (b6) of `npm run eval:measure`: endplate tilts, Cobb and lordosis on example_ct (3 mm), measured
 * by the same Rachis code on TotalSegmentator's masks and on segmentSpineCT's. There is no manual
 * truth: the TS column is a model reference, and the difference between the columns is the
 * segmentation's. TS's pp_refined body masks stop at L5; its S1 body is the sacrum label ∩ the
 * `vertebrae_body` task's body class.
 */
import type { LabelMap, Volume } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpineSegmentation } from '@rachis/spine';
import { measureAlignment } from '../src/alignment.js';
import type { EndplateTilts, Measured } from '../src/types.js';
import { table } from './table.js';

/** `bodies` (VerSe values) with the S1 body added: voxels of the sacrum label that the body task calls body. */
export function withSacralBody(bodies: LabelMap, whole: LabelMap, sacrumValue: number, bodyTask: LabelMap): LabelMap {
  const data = Uint8Array.from(bodies.data, (v, i) => (!v && whole.data[i] === sacrumValue && bodyTask.data[i] === 1 ? VERTEBRA_LABEL_VALUE.S1 : v));
  return { ...bodies, data };
}

type TiltKey = keyof Omit<EndplateTilts, 'label' | 'truncated'>;

const angle = (m: Measured<number>): string => (m.status === 'measured' ? m.value.toFixed(1) : `not measured (${m.reason})`);

export function alignmentSection(ct: Volume, reference: SpineSegmentation, own: SpineSegmentation | undefined): string {
  const ts = measureAlignment(reference, ct);
  const us = own ? measureAlignment(own, ct) : undefined;
  const labels = [...new Set([...ts.endplates, ...(us?.endplates ?? [])].map((e) => e.label))];
  const rows = labels.map((l) => {
    const a = ts.endplates.find((e) => e.label === l);
    const b = us?.endplates.find((e) => e.label === l);
    const pair = (k: TiltKey) => {
      const x = a?.[k], y = b?.[k];
      return [x, y, x !== undefined && y !== undefined ? y - x : undefined];
    };
    return [l, ...pair('sagittalSuperiorDeg'), ...pair('sagittalInferiorDeg'), ...pair('coronalSuperiorDeg'), ...pair('coronalInferiorDeg')];
  });
  // L1 superior to L5 inferior: measurable on both mask sets even where S1 is not.
  const l1l5 = (r: ReturnType<typeof measureAlignment> | undefined): number | undefined => {
    const a = r?.endplates.find((e) => e.label === 'L1');
    const b = r?.endplates.find((e) => e.label === 'L5');
    return a && b ? b.sagittalInferiorDeg - a.sagittalSuperiorDeg : undefined;
  };
  const cobb = (r: ReturnType<typeof measureAlignment> | undefined): string =>
    !r ? 'n/a' : r.coronalCobb.status === 'measured' ? `${r.coronalCobb.value.angleDeg.toFixed(1)} (${r.coronalCobb.value.upperEnd}–${r.coronalCobb.value.lowerEnd})` : `not measured (${r.coronalCobb.reason})`;
  const l1l5ts = l1l5(ts), l1l5us = l1l5(us);
  return [
    '\n(b6) alignment on example_ct (3 mm; endplates at the half-way HU crossing, the sacrum at its mask edge on this coarse grid): endplate tilts in degrees (sagittal: posterior edge up = +; coronal: left up = +), the same Rachis code on TotalSegmentator\'s masks (pp_refined bodies; S1 body = sacrum ∩ vertebrae_body) and on segmentSpineCT\'s. No manual truth: Δ = own − TS masks is the segmentation\'s effect',
    table(['endplate', 'sag sup, TS', 'own', 'Δ', 'sag inf, TS', 'own', 'Δ', 'cor sup, TS', 'own', 'Δ', 'cor inf, TS', 'own', 'Δ'], rows),
    table(['angle', 'TS masks', 'own masks'], [
      ['coronal Cobb °', cobb(ts), cobb(us)],
      ['lumbar lordosis L1–S1 °', angle(ts.lumbarLordosisDeg), us ? angle(us.lumbarLordosisDeg) : 'n/a'],
      ['L1 superior – L5 inferior, sagittal °', l1l5ts?.toFixed(1), l1l5us?.toFixed(1)],
    ]),
  ].join('\n');
}
