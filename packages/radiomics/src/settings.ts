/**
 * Every choice of the IBSI-1 feature extraction chain, stated explicitly.
 * `resolveSettings` fills defaults and validates; invalid settings throw RachisError('INVALID_ARGUMENT').
 */
import { RachisError } from '@rachis/imaging';
import type { Aggregation, FamilyId, ZoneAggregation } from './types.js';

export type Discretisation =
  | { readonly method: 'none' }
  /** Fixed bin number: X_d = floor(Ng (X − X_min)/(X_max − X_min)) + 1, X_max → Ng. */
  | { readonly method: 'fbn'; readonly bins: number }
  /**
   * Fixed bin size: X_d = floor((X − X_min)/w) + 1 where X_min is the lower bound of the
   * re-segmentation range when one is set, else the ROI minimum (IBSI 2.7). Ng = highest level
   * present in the ROI (as the IBSI CT-phantom consensus uses for Ng-normalised GLCM features).
   */
  | {
      readonly method: 'fbs';
      readonly width: number;
      /**
       * 'ibsi' (default): bins start at the re-segmentation lower bound or the ROI minimum.
       * 'pyradiomics': bin edges at integer multiples of the width (PyRadiomics' binWidth convention),
       * for cross-checks against PyRadiomics; not IBSI-compliant.
       */
      readonly origin?: 'ibsi' | 'pyradiomics';
    };

export interface InterpolationSettings {
  /** Target spacing (mm). For mode '2d' the third value is ignored (slice spacing is kept). */
  readonly spacingMm: readonly [number, number, number];
  /** '3d' resamples all axes; '2d' resamples in-plane only (IBSI configuration B). */
  readonly mode: '3d' | '2d';
  /** Image interpolation: 'linear' (tri/bilinear) or 'cubic-spline' (cubic B-spline, mirror boundary). */
  readonly image: 'nearest' | 'linear' | 'cubic-spline';
  /** Mask interpolation: linear then threshold (IBSI: trilinear, partial-volume threshold 0.5). */
  readonly mask: 'nearest' | 'linear';
  /** Partial-volume threshold for the interpolated mask (voxel is in ROI when value ≥ threshold). */
  readonly maskThreshold: number;
}

export interface RadiomicsSettings {
  /** Mask label that defines the ROI; undefined = every non-zero voxel. */
  readonly label?: number;
  /** null = no interpolation. */
  readonly interpolation: InterpolationSettings | null;
  /** Round intensities to the nearest integer after interpolation (IBSI does this for CT, HU). */
  readonly roundIntensities: boolean;
  readonly resegmentation: {
    /** Keep voxels with lower ≤ X ≤ upper; null bounds are open. */
    readonly range: readonly [number | null, number | null] | null;
    /** Remove voxels outside mean ± k·sd (after the range re-segmentation); null = off. */
    readonly outlierSigma: number | null;
  };
  readonly discretisation: {
    /** Texture matrices (GLCM … NGLDM). */
    readonly texture: Discretisation;
    /** Intensity histogram features. */
    readonly histogram: Discretisation;
    /** Intensity-volume histogram. */
    readonly ivh: Discretisation;
  };
  /** Which families to compute. */
  readonly families: readonly FamilyId[];
  /** Aggregations for GLCM / GLRLM. */
  readonly directionalAggregations: readonly Aggregation[];
  /** Aggregations for GLSZM / GLDZM / NGTDM / NGLDM. */
  readonly zoneAggregations: readonly ZoneAggregation[];
  /** Local intensity peak sphere radius (mm): IBSI uses a 1 cm³ sphere → 6.2 mm. */
  readonly localIntensityRadiusMm: number;
  /** NGLDM coarseness parameter α (IBSI default 0). */
  readonly ngldmAlpha: number;
  /**
   * Moran's I / Geary's C cost an FFT convolution over twice the ROI bounding box; above this many
   * intensity-mask voxels they are reported as NaN (set Infinity to always compute them).
   */
  readonly moranMaxVoxels: number;
}

export const ALL_FAMILIES: readonly FamilyId[] = [
  'diagnostics', 'morphology', 'local_intensity', 'statistics', 'intensity_histogram', 'ivh',
  'glcm', 'glrlm', 'glszm', 'gldzm', 'ngtdm', 'ngldm',
];
export const ALL_DIRECTIONAL: readonly Aggregation[] = ['2D_avg', '2D_comb', '2_5D_avg', '2_5D_comb', '3D_avg', '3D_comb'];
export const ALL_ZONE: readonly ZoneAggregation[] = ['2D', '2_5D', '3D'];

export const DEFAULT_SETTINGS: RadiomicsSettings = {
  interpolation: null,
  roundIntensities: false,
  resegmentation: { range: null, outlierSigma: null },
  discretisation: {
    texture: { method: 'fbn', bins: 32 },
    histogram: { method: 'fbn', bins: 32 },
    ivh: { method: 'none' },
  },
  families: ALL_FAMILIES,
  directionalAggregations: ['3D_avg', '3D_comb'],
  zoneAggregations: ['3D'],
  localIntensityRadiusMm: 6.2,
  ngldmAlpha: 0,
  moranMaxVoxels: 1_000_000,
};

/** Partial settings as written by a user (file or code); nested objects may be partial too. */
export interface SettingsInput {
  label?: number;
  interpolation?: Partial<InterpolationSettings> | null;
  roundIntensities?: boolean;
  resegmentation?: { range?: readonly [number | null, number | null] | null; outlierSigma?: number | null };
  discretisation?: { texture?: Discretisation; histogram?: Discretisation; ivh?: Discretisation };
  families?: readonly FamilyId[];
  directionalAggregations?: readonly Aggregation[];
  zoneAggregations?: readonly ZoneAggregation[];
  localIntensityRadiusMm?: number;
  ngldmAlpha?: number;
  moranMaxVoxels?: number;
}

const bad = (msg: string): never => {
  throw new RachisError('INVALID_ARGUMENT', `radiomics settings: ${msg}`);
};

function checkDisc(name: string, d: Discretisation): Discretisation {
  if (d.method === 'fbn') {
    if (!Number.isInteger(d.bins) || d.bins < 1) bad(`${name}.bins must be a positive integer`);
  } else if (d.method === 'fbs') {
    if (!(d.width > 0)) bad(`${name}.width must be > 0`);
  } else if (d.method !== 'none') {
    bad(`${name}.method must be 'none', 'fbn' or 'fbs'`);
  }
  return d;
}

function subset<T extends string>(name: string, values: readonly T[], allowed: readonly T[]): readonly T[] {
  for (const v of values) if (!allowed.includes(v)) bad(`${name}: unknown value '${v}' (allowed: ${allowed.join(', ')})`);
  return values;
}

/** Fill defaults and validate. */
export function resolveSettings(input: SettingsInput = {}): RadiomicsSettings {
  const d = DEFAULT_SETTINGS;
  let interpolation: InterpolationSettings | null = null;
  if (input.interpolation) {
    const i = input.interpolation;
    const sp = i.spacingMm ?? bad('interpolation.spacingMm is required');
    if (sp.length !== 3 || sp.some((s) => !(s > 0))) bad('interpolation.spacingMm must be three positive numbers');
    interpolation = {
      spacingMm: [sp[0], sp[1], sp[2]],
      mode: i.mode ?? '3d',
      image: i.image ?? 'linear',
      mask: i.mask ?? 'linear',
      maskThreshold: i.maskThreshold ?? 0.5,
    };
    if (!['3d', '2d'].includes(interpolation.mode)) bad("interpolation.mode must be '3d' or '2d'");
    if (!['nearest', 'linear', 'cubic-spline'].includes(interpolation.image)) bad('interpolation.image is invalid');
    if (!['nearest', 'linear'].includes(interpolation.mask)) bad('interpolation.mask is invalid');
  }
  const range = input.resegmentation?.range ?? null;
  if (range && range[0] !== null && range[1] !== null && range[0] > range[1]) bad('resegmentation.range lower > upper');
  const outlierSigma = input.resegmentation?.outlierSigma ?? null;
  if (outlierSigma !== null && !(outlierSigma > 0)) bad('resegmentation.outlierSigma must be > 0');
  const s: RadiomicsSettings = {
    ...(input.label !== undefined ? { label: input.label } : {}),
    interpolation,
    roundIntensities: input.roundIntensities ?? d.roundIntensities,
    resegmentation: { range, outlierSigma },
    discretisation: {
      texture: checkDisc('discretisation.texture', input.discretisation?.texture ?? d.discretisation.texture),
      histogram: checkDisc('discretisation.histogram', input.discretisation?.histogram ?? d.discretisation.histogram),
      ivh: checkDisc('discretisation.ivh', input.discretisation?.ivh ?? d.discretisation.ivh),
    },
    families: subset('families', input.families ?? d.families, ALL_FAMILIES),
    directionalAggregations: subset('directionalAggregations', input.directionalAggregations ?? d.directionalAggregations, ALL_DIRECTIONAL),
    zoneAggregations: subset('zoneAggregations', input.zoneAggregations ?? d.zoneAggregations, ALL_ZONE),
    localIntensityRadiusMm: input.localIntensityRadiusMm ?? d.localIntensityRadiusMm,
    ngldmAlpha: input.ngldmAlpha ?? d.ngldmAlpha,
    moranMaxVoxels: input.moranMaxVoxels ?? d.moranMaxVoxels,
  };
  if (input.label !== undefined && !Number.isInteger(input.label)) bad('label must be an integer');
  if (!(s.localIntensityRadiusMm > 0)) bad('localIntensityRadiusMm must be > 0');
  if (!(s.ngldmAlpha >= 0)) bad('ngldmAlpha must be ≥ 0');
  return s;
}
