/**
 * Result types of @rachis/measure. Every number carries how it was obtained (method), from what
 * (inputs) and what may be wrong with it (caveats), so a report can show it transparently.
 */
import type { LabelMap, Vec3 } from '@rachis/imaging';
import type { VertebraName } from '@rachis/spine';
import type { GenantResult, SpinalDeformityIndex } from './genant.js';

export interface Provenance {
  /** One sentence: how the value was computed. */
  method: string;
  /** What it was computed from (masks, labels, slices, options). */
  inputs: string[];
  /** What may make it wrong (contrast, truncation, uncertain labels, …). Empty when none known. */
  caveats: string[];
}

/** A value, or the reason there is none. */
export type Measured<T> = Provenance & ({ status: 'measured'; value: T } | { status: 'not-measured'; reason: string });

export function measured<T>(value: T, p: Provenance): Measured<T> {
  return { status: 'measured', value, ...p };
}
export function notMeasured<T>(reason: string, p: Provenance): Measured<T> {
  return { status: 'not-measured', reason, ...p };
}

// ---- morphometry ----

/** Orthonormal frame of one vertebral body, LPS. */
export interface VertebraFrame {
  /** Body centroid (mm). */
  centreMm: Vec3;
  /** Column axis, pointing cranial. */
  superior: Vec3;
  /** In the mid-sagittal plane, perpendicular to `superior`, pointing anterior. */
  anterior: Vec3;
  /** superior × anterior: the normal of the mid-sagittal plane. */
  lateral: Vec3;
  /** How the column axis was found: the chord between neighbouring body centroids, or the image S axis. */
  axisSource: 'neighbours' | 'image-superior';
}

export interface HeightColumn {
  heightMm: number;
  /** Endplate points (median plane) on the superior and inferior surfaces, LPS mm. */
  superiorPointMm: Vec3;
  inferiorPointMm: Vec3;
  /** Sagittal planes that gave a height (the median is over these). */
  planes: number;
}

export interface MorphometryValue {
  anterior: HeightColumn;
  middle: HeightColumn;
  posterior: HeightColumn;
  /** Anterior–posterior depth of the body at mid-height (mm). */
  depthMm: number;
  frame: VertebraFrame;
  /** ± uncertainty of each height (mm): one voxel of endplate position (morphometry.ts heightUncertaintyMm). */
  heightUncertaintyMm?: number;
}

export interface VertebraMorphometry {
  label: VertebraName;
  instance: number;
  heights: Measured<MorphometryValue>;
  /** Genant grade from the heights (with the neighbour comparison), or why it was not graded. */
  genant: Measured<GenantResult>;
}

// ---- bone density ----

export type PickhardtCategory = 'osteoporosis-likely' | 'low-density-possible' | 'osteoporosis-unlikely' | 'normal-likely';

export interface RoiStatistics {
  meanHU: number;
  medianHU: number;
  sdHU: number;
  count: number;
  volumeMm3: number;
}

export interface VertebraDensity {
  label: VertebraName;
  instance: number;
  trabecular: Measured<RoiStatistics>;
}

export interface OpportunisticBmd {
  /** The level used (L1, or a fallback). */
  level: VertebraName;
  meanHU: number;
  category: PickhardtCategory;
  /** Plain-language meaning of the category with its source. */
  meaning: string;
  contrast: 'none-recorded' | 'contrast-agent-recorded';
  kvp: number | undefined;
}

// ---- alignment ----

export interface EndplateTilts {
  label: VertebraName;
  /** The vertebra touches the edge of the field of view: one endplate may be the edge itself. */
  truncated: boolean;
  /** Coronal tilt (degrees) of the superior / inferior endplate: atan of ΔS over ΔL (patient left up = +). */
  coronalSuperiorDeg: number;
  coronalInferiorDeg: number;
  /** Sagittal tilt (degrees): atan of ΔS over ΔP (posterior up = +). */
  sagittalSuperiorDeg: number;
  sagittalInferiorDeg: number;
}

export interface CobbValue {
  angleDeg: number;
  upperEnd: VertebraName;
  lowerEnd: VertebraName;
  apex: VertebraName;
  /** Convex side of the curve (patient's left → levoscoliosis). */
  convexity: 'left' | 'right';
  /** ≥ 10°: the usual definition of scoliosis (SRS, clinical-reference §6, ⚠ secondary source). */
  scoliosis: boolean;
}

export interface AlignmentResults {
  endplates: EndplateTilts[];
  coronalCobb: Measured<CobbValue>;
  /** T4 superior to T12 inferior endplate, degrees; positive = kyphosis. */
  thoracicKyphosisDeg: Measured<number>;
  /** L1 superior to S1 superior endplate, degrees; positive = lordosis. */
  lumbarLordosisDeg: Measured<number>;
}

// ---- body composition ----

export interface TissueArea {
  areaCm2: number;
  meanHU: number;
  /** HU window used, inclusive. */
  windowHU: [number, number];
}

export interface BodyCompositionValue {
  level: VertebraName;
  /** Axial slice index (k) used, and its LPS S coordinate. */
  sliceIndex: number;
  sliceSMm: number;
  skeletalMuscle: TissueArea;
  intermuscularFat: TissueArea;
  visceralFat: TissueArea;
  subcutaneousFat: TissueArea;
  /** SMI = muscle area / height² (cm²/m²), when the height is known. */
  skeletalMuscleIndex: number | undefined;
  /** Cut-off flags from clinical-reference §7 (Martin 2013); undefined when sex/BMI/height unknown. */
  lowMuscleIndex: boolean | undefined;
  myosteatosis: boolean | undefined;
  /**
   * Tissue classes of the measured slice on the CT grid, when asked for (withTissueMask) (size [nx, ny, 1], origin of slice k):
   * 1 skeletal muscle, 2 intermuscular fat, 3 visceral fat, 4 subcutaneous fat (TISSUE_LABELS).
   */
  tissueMask?: LabelMap;
}

export interface MeasurementResults {
  morphometry: VertebraMorphometry[];
  spinalDeformityIndex: Measured<SpinalDeformityIndex>;
  density: VertebraDensity[];
  opportunisticBmd: Measured<OpportunisticBmd>;
  alignment: AlignmentResults;
  bodyComposition: Measured<BodyCompositionValue>;
  /** Notes that apply to the whole study (contrast, kVp, uncertain labels). */
  warnings: string[];
}
