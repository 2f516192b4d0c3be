/**
 * The imaging core's central types. Every analysis stage takes and returns these.
 *
 * Conventions (fixed for the whole project):
 * - Voxel data is stored x-fastest: index = i + j*size[0] + k*size[0]*size[1].
 * - `spacing` is in mm along the i, j, k axes.
 * - `origin` is the LPS world position (mm) of the centre of voxel (0,0,0).
 * - `direction` is a row-major 3×3 matrix whose **columns** are the unit LPS
 *   directions of the i, j, k axes (ITK convention):
 *   world = origin + direction · diag(spacing) · [i, j, k]ᵀ.
 */

export type Vec3 = readonly [number, number, number];
/** Row-major 3×3: [m00, m01, m02, m10, m11, m12, m20, m21, m22]. Columns are the axis directions. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export type VoxelArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export interface Geometry {
  /** Number of voxels along i, j, k. */
  readonly size: Vec3;
  /** Voxel spacing in mm along i, j, k. */
  readonly spacing: Vec3;
  /** LPS position (mm) of the centre of voxel (0,0,0). */
  readonly origin: Vec3;
  /** Columns are the LPS unit vectors of the i, j, k axes. */
  readonly direction: Mat3;
}

export type Modality = 'CT' | 'MR' | 'CR' | 'DX' | 'PT' | 'US' | 'OT' | (string & {});

/** What we know about where the voxels came from. All optional: NIfTI carries almost none of it. */
export interface VolumeMetadata {
  modality?: Modality;
  /** True when the stored values are physical units (HU for CT) after RescaleSlope/Intercept. */
  rescaled?: boolean;
  /** Unit of the voxel values, e.g. 'HU' for CT. */
  unit?: string;
  patientId?: string;
  patientName?: string;
  patientSex?: string;
  patientAge?: string;
  patientBirthDate?: string;
  patientHeightM?: number;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  frameOfReferenceUID?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  accessionNumber?: string;
  bodyPartExamined?: string;
  manufacturer?: string;
  manufacturerModelName?: string;
  institutionName?: string;
  /** Peak kilovoltage (0018,0060). */
  kvp?: number;
  /** Contrast/Bolus Agent (0018,0010); empty/undefined when none was recorded. */
  contrastAgent?: string;
  convolutionKernel?: string;
  sliceThicknessMm?: number;
  /** SOP Instance UIDs of the source slices in k order (for DICOM outputs that reference them). */
  sourceSopInstanceUIDs?: string[];
  sourceSopClassUID?: string;
  /** Where the volume was read from (path or description). */
  source?: string;
  /** Non-fatal problems found while reading (tilt, non-uniform spacing, …). */
  warnings?: string[];
}

export interface Volume<T extends VoxelArray = VoxelArray> extends Geometry {
  readonly data: T;
  readonly meta: VolumeMetadata;
}

/**
 * A label map always carries the geometry of the image it was made on.
 * Label 0 is background. `labels` names the non-zero values that are used.
 */
export interface LabelMap extends Geometry {
  readonly data: Uint8Array | Uint16Array;
  readonly labels: ReadonlyMap<number, string>;
}

export const IDENTITY_DIRECTION: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function voxelCount(size: Vec3): number {
  return size[0] * size[1] * size[2];
}

/** Largest volume we agree to allocate (voxels). Guards against hostile headers. */
export const MAX_VOXELS = 2_000_000_000 / 4;
