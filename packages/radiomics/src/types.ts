/**
 * Internal working representation of a region of interest after IBSI pre-processing.
 * Everything is cropped to a box around the ROI; voxel index = x + y*nx + z*nx*ny (k = z is the
 * slice axis used by the 2D / 2.5D aggregation methods).
 */
export interface Box {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Voxel spacing in mm along x, y, z. */
  readonly spacingMm: readonly [number, number, number];
}

export interface PreparedRoi extends Box {
  /** Interpolated (and possibly rounded) intensities of the whole box, ROI or not. */
  readonly intensities: Float64Array;
  /** Morphological mask: the interpolated ROI before re-segmentation (1 = inside). */
  readonly morphMask: Uint8Array;
  /** Intensity mask: the morphological mask after re-segmentation (1 = inside). */
  readonly intensityMask: Uint8Array;
}

/** A discretised ROI for texture analysis: levels 1..ng inside the intensity mask, 0 outside. */
export interface DiscreteRoi extends Box {
  readonly levels: Int32Array;
  /** Morphological mask in the same box (GLDZM measures distances to its edge). */
  readonly morph: Uint8Array;
  /** Number of grey levels Ng of the discretisation. */
  readonly ng: number;
}

/** IBSI texture aggregation methods. */
export type Aggregation =
  | '2D_avg' /** 2D: features per slice and direction, averaged */
  | '2D_comb' /** 2D slice-merged: directions merged per slice, features averaged over slices */
  | '2_5D_avg' /** 2.5D direction-merged: slices merged per direction, features averaged over directions */
  | '2_5D_comb' /** 2.5D merged: one matrix over all slices and directions */
  | '3D_avg' /** 3D averaged: one matrix per 3D direction, features averaged */
  | '3D_comb'; /** 3D merged: one matrix over all 3D directions */

/** Aggregation of families without directions (GLSZM, GLDZM, NGTDM, NGLDM): 2D per slice, 2.5D merged slices, 3D. */
export type ZoneAggregation = '2D' | '2_5D' | '3D';

export type FamilyId =
  | 'diagnostics'
  | 'morphology'
  | 'local_intensity'
  | 'statistics'
  | 'intensity_histogram'
  | 'ivh'
  | 'glcm'
  | 'glrlm'
  | 'glszm'
  | 'gldzm'
  | 'ngtdm'
  | 'ngldm';

/** One computed feature. */
export interface FeatureRow {
  readonly family: FamilyId;
  /** IBSI-style tag, e.g. `cm_joint_max_3D_avg` (aggregation suffix included for texture). */
  readonly tag: string;
  /** IBSI 4-letter identifier of the feature (empty for diagnostics). */
  readonly ibsiCode: string;
  /** IBSI feature name. */
  readonly ibsiName: string;
  /** Aggregation method, for texture families. */
  readonly aggregation?: Aggregation | ZoneAggregation;
  /** IBSI identifier of the aggregation method (e.g. ITBB = 3D averaged), for texture families. */
  readonly aggregationCode?: string;
  /** PyRadiomics name (`original_glcm_Contrast` style without the image-type prefix), where one exists. */
  readonly pyradiomicsName?: string;
  readonly value: number;
}

export type FeatureTable = FeatureRow[];
