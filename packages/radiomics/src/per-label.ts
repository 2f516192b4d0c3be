/**
 * Features for every label of a label map (e.g. one row set per vertebral body or per paraspinal
 * muscle from the spine engine's segmentation). Pure; labels without voxels are reported, not thrown.
 */
import { isRachisError } from '@rachis/imaging';
import type { Image, LabelMap } from '@rachis/imaging';
import { extractFeatures } from './extract.js';
import type { ExtractionResult } from './extract.js';
import { resolveSettings } from './settings.js';
import type { RadiomicsSettings, SettingsInput } from './settings.js';

export interface LabelFeatures {
  readonly label: number;
  readonly name: string;
  /** null when the label had no usable voxel (message in `error`). */
  readonly result: ExtractionResult | null;
  readonly error?: string;
}

export function extractFeaturesPerLabel(
  image: Image,
  labels: LabelMap,
  settings: RadiomicsSettings | SettingsInput = {},
  only?: readonly number[],
): LabelFeatures[] {
  const base = resolveSettings(settings as SettingsInput);
  const wanted = only ?? [...labels.labels.keys()].sort((a, b) => a - b);
  return wanted.map((label) => {
    const name = labels.labels.get(label) ?? `label ${label}`;
    try {
      return { label, name, result: extractFeatures(image, labels, { ...base, label }) };
    } catch (e) {
      if (isRachisError(e, 'INVALID_ARGUMENT')) return { label, name, result: null, error: e.message };
      throw e;
    }
  });
}
