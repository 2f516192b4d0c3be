/**
 * extractFeatures(image, mask, settings) → FeatureTable: the full IBSI-1 pipeline, pure (no I/O).
 */
import type { Image } from '@rachis/imaging';
import { AGGREGATION_CODES, featureInfo } from './catalogue.js';
import { histogramFeatures } from './intensity/histogram.js';
import { ivhFeatures } from './intensity/ivh.js';
import { localIntensityFeatures } from './intensity/local.js';
import { statisticsFeatures } from './intensity/statistics.js';
import { morphologyFeatures } from './morphology/features.js';
import { moranGeary } from './morphology/spatial.js';
import { discretise, toDiscreteRoi } from './preprocess/discretise.js';
import { prepareRoi } from './preprocess/prepare.js';
import type { RoiDiagnostics } from './preprocess/prepare.js';
import { resolveSettings } from './settings.js';
import type { RadiomicsSettings, SettingsInput } from './settings.js';
import { glcm } from './texture/glcm.js';
import { glrlm } from './texture/glrlm.js';
import { neighbourhoodFamilies } from './texture/neighbourhood.js';
import { zoneFamilies } from './texture/zones.js';
import type { Aggregation, FamilyId, FeatureRow, FeatureTable, ZoneAggregation } from './types.js';

/** Timing buckets: families, pre-processing, and Moran's I / Geary's C (the costly part of morphology). */
export type TimingKey = FamilyId | 'preprocess' | 'moran_geary' | 'discretise' | 'glszm+gldzm' | 'ngtdm+ngldm';

export interface ExtractionResult {
  readonly features: FeatureTable;
  readonly diagnostics: RoiDiagnostics;
  readonly settings: RadiomicsSettings;
  /** Wall time per family (ms), for benchmarks. */
  readonly timingsMs: Partial<Record<TimingKey, number>>;
}

function rows(values: Map<string, number>, aggregation?: Aggregation | ZoneAggregation): FeatureRow[] {
  const out: FeatureRow[] = [];
  for (const [base, value] of values) {
    const info = featureInfo(base);
    out.push({
      family: info.family,
      tag: aggregation ? `${base}_${aggregation}` : base,
      ibsiCode: info.code,
      ibsiName: info.name,
      ...(aggregation ? { aggregation, aggregationCode: AGGREGATION_CODES[aggregation] ?? '' } : {}),
      ...(info.pyradiomics ? { pyradiomicsName: info.pyradiomics } : {}),
      value,
    });
  }
  return out;
}

function diagnosticRows(d: RoiDiagnostics): FeatureRow[] {
  const out: FeatureRow[] = [];
  const add = (tag: string, name: string, value: number): void => {
    out.push({ family: 'diagnostics', tag, ibsiCode: '', ibsiName: name, value });
  };
  const axes = ['x', 'y', 'z'] as const;
  axes.forEach((a, i) => {
    add(`img_dim_${a}_init_img`, `Image dimension ${a}`, d.initialSize[i]!);
    add(`vox_dim_${a}_init_img`, `Voxel dimension ${a}`, d.initialSpacingMm[i]!);
    add(`img_dim_${a}_interp_img`, `Interpolated image dimension ${a}`, d.interpolatedSize[i]!);
    add(`vox_dim_${a}_interp_img`, `Interpolated voxel dimension ${a}`, d.interpolatedSpacingMm[i]!);
  });
  for (const [stage, s] of [['init', d.initialRoi], ['interp', d.interpolatedRoi], ['reseg', d.resegmentedRoi]] as const) {
    axes.forEach((a, i) => add(`int_mask_bb_dim_${a}_${stage}_roi`, `Int. mask bounding box dimension ${a}`, s.bbox[i]!));
    add(`int_mask_vox_count_${stage}_roi`, 'Int. mask voxel count', s.voxels);
    add(`int_mask_mean_int_${stage}_roi`, 'Int. mask mean intensity', s.mean);
    add(`int_mask_min_int_${stage}_roi`, 'Int. mask minimum intensity', s.min);
    add(`int_mask_max_int_${stage}_roi`, 'Int. mask maximum intensity', s.max);
  }
  return out;
}

export function extractFeatures(image: Image, mask: Image, settingsInput: RadiomicsSettings | SettingsInput = {}): ExtractionResult {
  const s = resolveSettings(settingsInput as SettingsInput);
  const timings: Partial<Record<TimingKey, number>> = {};
  const timed = <T>(k: TimingKey, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    timings[k] = (timings[k] ?? 0) + performance.now() - t0;
    return r;
  };
  const want = (f: FamilyId): boolean => s.families.includes(f);
  const { roi, diagnostics } = timed('preprocess', () => prepareRoi(image, mask, s));
  const range = s.resegmentation.range;
  const features: FeatureRow[] = [];
  if (want('diagnostics')) features.push(...diagnosticRows(diagnostics));
  if (want('morphology')) {
    features.push(...rows(timed('morphology', () => morphologyFeatures(roi))));
    const spatial = timed('moran_geary', () =>
      diagnostics.resegmentedRoi.voxels <= s.moranMaxVoxels ? moranGeary(roi) : { moran: NaN, geary: NaN });
    features.push(...rows(new Map([['morph_moran_i', spatial.moran], ['morph_geary_c', spatial.geary]])));
  }
  if (want('local_intensity')) features.push(...rows(timed('local_intensity', () => localIntensityFeatures(roi, s.localIntensityRadiusMm))));
  if (want('statistics')) features.push(...rows(timed('statistics', () => statisticsFeatures(roi))));
  if (want('intensity_histogram')) {
    features.push(...rows(timed('intensity_histogram', () => {
      const d = discretise(roi.intensities, roi.intensityMask, s.discretisation.histogram, range);
      return histogramFeatures(d.levels, roi.intensityMask, d.ng);
    })));
  }
  if (want('ivh')) {
    features.push(...rows(timed('ivh', () => {
      const dm = s.discretisation.ivh;
      const d = dm.method === 'none' ? null : discretise(roi.intensities, roi.intensityMask, dm, range);
      return ivhFeatures(roi.intensities, roi.intensityMask, dm, d, range);
    })));
  }
  const textureFamilies: FamilyId[] = ['glcm', 'glrlm', 'glszm', 'gldzm', 'ngtdm', 'ngldm'];
  if (textureFamilies.some(want)) {
    const droi = timed('discretise', () => toDiscreteRoi(roi, discretise(roi.intensities, roi.intensityMask, s.discretisation.texture, range)));
    const emit = (m: Map<Aggregation | ZoneAggregation, Map<string, number>>): void => {
      for (const [agg, vals] of m) features.push(...rows(vals, agg));
    };
    if (want('glcm')) emit(timed('glcm', () => glcm(droi, s.directionalAggregations)));
    if (want('glrlm')) emit(timed('glrlm', () => glrlm(droi, s.directionalAggregations)));
    if (want('glszm') || want('gldzm')) {
      const z = timed('glszm+gldzm', () => zoneFamilies(droi, s.zoneAggregations, { szm: want('glszm'), dzm: want('gldzm') }));
      if (want('glszm')) emit(z.szm);
      if (want('gldzm')) emit(z.dzm);
    }
    if (want('ngtdm') || want('ngldm')) {
      const nb = timed('ngtdm+ngldm', () => neighbourhoodFamilies(droi, s.zoneAggregations, s.ngldmAlpha));
      if (want('ngtdm')) emit(nb.ngt);
      if (want('ngldm')) emit(nb.ngl);
    }
  }
  return { features, diagnostics, settings: s, timingsMs: timings };
}
