/**
 * Key images for a report, drawn by @rachis/imaging/render (this file only chooses the views and
 * writes the report's own sentences on them, so the numbers on the images are the report's).
 * Usage: refs = keyImageRefs(...) → buildReport(..., { keyImages: refs }) → renderKeyImages(report, ...).
 */
import type { LabelMap, Volume } from '@rachis/imaging';
import { renderAxialOverlay, renderSpineKeyImages, type LegendEntry } from '@rachis/imaging/render';
import type { ReportV1 } from './model/types.js';
import type { KeyImageInput } from './build/inputs.js';

export type KeyImageRef = Pick<KeyImageInput, 'id' | 'title' | 'caption'>;

export interface BodyCompositionOverlay {
  /** Tissue label map on the CT grid (e.g. 1 muscle, 2 SAT, 3 VAT, 4 IMAT). */
  overlay: LabelMap;
  /** Axial slice index (k) the areas were measured on. */
  sliceIndex: number;
  legend: readonly LegendEntry[];
}

export function keyImageRefs(options: { bodyComposition?: boolean } = {}): KeyImageRef[] {
  const refs: KeyImageRef[] = [
    { id: 'sagittal', title: 'Sagittal', caption: 'Curved sagittal reformat along the spine, bone window, vertebrae coloured and labelled.' },
    { id: 'coronal', title: 'Coronal', caption: 'Curved coronal reformat along the spine, bone window, vertebrae coloured and labelled.' },
  ];
  if (options.bodyComposition) refs.push({ id: 'axial-l3', title: 'Axial at L3', caption: 'Slice used for body composition, soft-tissue window, tissue classes coloured.' });
  return refs;
}

function summary(report: ReportV1, key: string): string[] {
  const f = report.findings.find((x) => x.key === key && x.status === 'assessed');
  return f ? [f.summary] : [];
}

/** PNGs for the report's key images (ids from keyImageRefs). */
export function renderKeyImages(report: ReportV1, volume: Volume, vertebraMask: LabelMap, bodyComposition?: BodyCompositionOverlay): KeyImageInput[] {
  const names = new Map<number, string>();
  for (const l of report.levels) if (l.kind === 'vertebra' && l.labelValue !== undefined) names.set(l.labelValue, l.name);
  const wanted = new Set(report.keyImages.map((k) => k.id));
  const out: KeyImageInput[] = [];
  if (wanted.has('sagittal') || wanted.has('coronal')) {
    const views = renderSpineKeyImages(volume, vertebraMask, names, {
      annotations: [...summary(report, 'fractures'), ...summary(report, 'bone-density'), ...summary(report, 'alignment')],
    });
    for (const k of report.keyImages) {
      if (k.id === 'sagittal') out.push({ ...k, png: views.sagittal });
      if (k.id === 'coronal') out.push({ ...k, png: views.coronal });
    }
  }
  const axial = report.keyImages.find((k) => k.id === 'axial-l3');
  if (axial && bodyComposition) {
    out.push({ ...axial, png: renderAxialOverlay(volume, { sliceIndex: bodyComposition.sliceIndex }, bodyComposition.overlay, bodyComposition.legend, { annotations: summary(report, 'body-composition') }) });
  }
  return out;
}
