/**
 * CLI-friendly edge: read image + mask from disk, extract, return flat rows.
 * The CLI (`rachis radiomics <image> <mask> [--label N] [--settings f]`) and batch mode call this.
 */
import { readLabelMap, readVolume } from '@rachis/imaging';
import { extractFeatures } from '../extract.js';
import type { ExtractionResult } from '../extract.js';
import { loadSettingsFile } from '../io/settings-file.js';
import { resolveSettings } from '../settings.js';
import type { SettingsInput } from '../settings.js';

export interface RunRadiomicsOptions {
  readonly imagePath: string;
  readonly maskPath: string;
  /** ROI label; overrides the settings file's label. Undefined = every non-zero voxel. */
  readonly label?: number;
  readonly settingsPath?: string;
  /** Settings given in code (merged under the file: the file wins). */
  readonly settings?: SettingsInput;
}

/** One output row: what a CSV/JSON writer needs. */
export interface RadiomicsOutputRow {
  readonly image: string;
  readonly mask: string;
  readonly label: number | null;
  readonly family: string;
  readonly feature: string;
  readonly aggregation: string;
  readonly ibsiAggregationCode: string;
  readonly ibsiCode: string;
  readonly ibsiName: string;
  readonly pyradiomicsName: string;
  readonly value: number;
}

export async function runRadiomics(opts: RunRadiomicsOptions): Promise<RadiomicsOutputRow[]> {
  const fromFile = opts.settingsPath ? await loadSettingsFile(opts.settingsPath) : resolveSettings(opts.settings ?? {});
  const label = opts.label ?? fromFile.label;
  const settings = { ...fromFile, ...(label !== undefined ? { label } : {}) };
  const [image, mask] = await Promise.all([readVolume(opts.imagePath), readLabelMap(opts.maskPath)]);
  const res = extractFeatures(image, mask, settings);
  return featureRows(res, opts.imagePath, opts.maskPath, label ?? null);
}

/** One extraction result → output rows (shared by file mode, batch mode and per-label mode). */
export function featureRows(res: ExtractionResult, image: string, mask: string, label: number | null): RadiomicsOutputRow[] {
  return res.features.map((f) => ({
    image,
    mask,
    label,
    family: f.family,
    feature: f.tag,
    aggregation: f.aggregation ?? '',
    ibsiAggregationCode: f.aggregationCode ?? '',
    ibsiCode: f.ibsiCode,
    ibsiName: f.ibsiName,
    pyradiomicsName: f.pyradiomicsName ?? '',
    value: f.value,
  }));
}

/** Rows → CSV text (RFC 4180 quoting). */
export function rowsToCsv(rows: readonly RadiomicsOutputRow[]): string {
  const cols = ['image', 'mask', 'label', 'family', 'feature', 'aggregation', 'ibsiAggregationCode', 'ibsiCode', 'ibsiName', 'pyradiomicsName', 'value'] as const;
  const q = (v: unknown): string => {
    const s = v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\n') + '\n';
}

/** Batch mode: many image/mask pairs, rows concatenated; a failing pair yields an error entry instead of aborting. */
export async function runRadiomicsBatch(
  pairs: readonly RunRadiomicsOptions[],
): Promise<{ rows: RadiomicsOutputRow[]; errors: { imagePath: string; maskPath: string; error: string }[] }> {
  const rows: RadiomicsOutputRow[] = [];
  const errors: { imagePath: string; maskPath: string; error: string }[] = [];
  for (const p of pairs) {
    try {
      rows.push(...(await runRadiomics(p)));
    } catch (e) {
      errors.push({ imagePath: p.imagePath, maskPath: p.maskPath, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { rows, errors };
}
