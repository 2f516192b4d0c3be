/**
 * What the report builder needs from the measurement stage, in the report's own terms.
 * `fromMeasure()` (measure-adapter.ts) maps @rachis/measure's result onto this, so the report
 * model does not change when the measurement types do. Every part is optional: a missing part
 * becomes a "not assessed" finding, never a made-up number.
 */

export interface AlgorithmId {
  name: string;
  version: string;
}

export interface ThresholdInput {
  meaning: string;
  comparator: '<' | '<=' | '>' | '>=';
  value: number;
  source: string;
}

export interface VertebraMeasurementInput {
  /** Anatomical label, e.g. 'L1' (must match a vertebra of the segmentation). */
  label: string;
  trabecularHU?: { mean: number; sd?: number; roiVolumeMm3?: number; caveats?: string[] };
  /** Endplate-to-endplate heights of the vertebral body (mm). */
  heightsMm?: { anterior: number; middle: number; posterior: number };
  /** Smallest of Ha/Hp, Hm/Hp, Hp/neighbour ratios (0..1+). */
  minHeightRatio?: number;
  /** Height loss relative to the expected height (%), the quantity graded by Genant. */
  heightLossPercent?: number;
  genant?: {
    grade: 0 | 1 | 2 | 3;
    shape?: 'wedge' | 'biconcave' | 'crush';
    /** Present when the height loss ± its measurement uncertainty straddles a Genant band: the grades at both ends. */
    gradeRange?: [0 | 1 | 2 | 3, 0 | 1 | 2 | 3];
    caveats?: string[];
  };
  volumeMm3?: number;
  /** Stage's own confidence in these numbers, 0..1. */
  confidence?: number;
  caveats?: string[];
}

export interface DiscMeasurementInput {
  /** 'L4-L5'. */
  name: string;
  heightMm?: number;
  caveats?: string[];
}

/** Opportunistic-CT categories (Pickhardt 2013 bands, as produced by @rachis/measure). */
export type BoneDensityCategory = 'osteoporosis-likely' | 'low-density-possible' | 'osteoporosis-unlikely' | 'normal-likely';

export interface BoneDensityInput {
  /** Level the category is based on, e.g. 'L1' (or 'T12' when L1 is not usable). */
  level: string;
  meanHU: number;
  category: BoneDensityCategory;
  thresholds: ThresholdInput[];
  caveats?: string[];
  confidence?: number;
}

export interface CobbInput {
  angleDeg: number;
  upper: string;
  lower: string;
  plane: 'coronal' | 'sagittal';
}

export interface AlignmentInput {
  cobb?: CobbInput[];
  lordosisDeg?: { angleDeg: number; upper: string; lower: string };
  kyphosisDeg?: { angleDeg: number; upper: string; lower: string };
  thresholds?: ThresholdInput[];
  caveats?: string[];
}

export interface BodyCompositionInput {
  level: string;
  muscleAreaCm2: number;
  muscleMeanHU: number;
  satAreaCm2?: number;
  vatAreaCm2?: number;
  imatAreaCm2?: number;
  /** Present only when the patient's height is known. */
  smiCm2PerM2?: number;
  /** HU windows used, e.g. { muscle: [-29, 150], sat: [-190, -30] }. */
  windowsHU?: Record<string, [number, number]>;
  caveats?: string[];
}

export interface MethodInput {
  id: string;
  name: string;
  description: string;
  thresholds?: ThresholdInput[];
  limits?: string[];
}

export interface ReportMeasurements {
  algorithm: AlgorithmId;
  vertebrae: VertebraMeasurementInput[];
  discs: DiscMeasurementInput[];
  boneDensity?: BoneDensityInput;
  alignment?: AlignmentInput;
  bodyComposition?: BodyCompositionInput;
  /** Why a study-level finding has no value (shown instead of a generic "not assessed"). */
  notAssessed?: Partial<Record<'bone-density' | 'fractures' | 'alignment' | 'body-composition', string>>;
  /** Overrides/additions to the default method descriptions (by id). */
  methods?: MethodInput[];
  warnings?: string[];
}

export interface KeyImageInput {
  id: string;
  title: string;
  caption: string;
  /** PNG bytes (RGB or RGBA). */
  png: Uint8Array;
}
