import type { LabelMap, Vec3, Volume } from '@rachis/imaging';
import type { VertebraName } from '../types.js';

export type DeformityShape = 'wedge' | 'biconcave' | 'crush';

export interface SpinePhantomParams {
  /** PRNG seed: same params + seed → bit-identical phantom. Default 1. */
  seed?: number;
  /** Voxel spacing (mm) along i, j, k. Default [2, 2, 2]. */
  spacingMm?: Vec3;
  /**
   * Grid size in voxels. Default: in-plane covers the body with a margin, k covers the field of view.
   * When given, the grid is centred (in z) on the field of view's centre.
   */
  size?: Vec3;
  /** Visible levels (body centres of `from`..`to` inside the grid, plus `marginMm` beyond). Default T11..S1. */
  fov?: { from: VertebraName; to: VertebraName; marginMm?: number };
  /** 12 (default) or 13 thoracic vertebrae. */
  thoracicCount?: 12 | 13;
  /** 5 (default) or 6 lumbar vertebrae. */
  lumbarCount?: 5 | 6;
  /** Rib pairs on T1…; default = thoracicCount (11 → the lowest thoracic vertebra has no ribs). */
  ribPairs?: 11 | 12 | 13;
  /** Coronal curve; amplitude = lateral displacement (mm) of the apex. */
  scoliosis?: { amplitudeMm: number; from?: VertebraName; to?: VertebraName; shape?: 'C' | 'S' };
  /** Thoracic kyphosis T4–T12 (deg, default 40) and lumbar lordosis L1–S1 (deg, default 50). */
  kyphosisDeg?: number;
  lordosisDeg?: number;
  deformities?: Array<{ level: VertebraName; shape: DeformityShape; heightLossPct: number }>;
  /** Trabecular HU: one number for all levels, or per level (others default to 200 thoracic / 180 lumbar). */
  trabecularHU?: number | Partial<Record<VertebraName, number>>;
  /** Gaussian noise SD in HU. Default 12. */
  noiseSdHU?: number;
  /** Contrast phase: raises the aorta (and organs a little). Default 'none'. */
  contrast?: 'none' | 'portal' | 'arterial';
}

/** Tissue classes in `SpinePhantom.tissue`. */
export const TISSUE = {
  air: 0, subcutaneousFat: 1, visceralFat: 2, muscle: 3, imat: 4, organ: 5, lung: 6, csf: 7, disc: 8,
  cortical: 9, trabecular: 10, cancellous: 11, vessel: 12, bowelGas: 13,
} as const;

/** Part labels in `SpinePhantom.parts` (1–3 match SpineSegmentation.partMask). */
export const PART = { body: 1, posterior: 2, canal: 3, disc: 4, rib: 5, pelvis: 6 } as const;

export interface VertebraTruth {
  name: VertebraName;
  /** Label value in `labels` (VERTEBRA_LABEL_VALUE). */
  labelValue: number;
  /** True when any voxel of it is inside the grid; `truncated` when it is cut by the grid. */
  visible: boolean;
  truncated: boolean;
  /** Centroid of the rasterised vertebra (visible voxels), LPS mm; undefined when not visible. */
  centroidMm: Vec3 | undefined;
  /** Geometric centre of the vertebral body, LPS mm. */
  bodyCentreMm: Vec3;
  /** Unit vectors (LPS) of the vertebra's own axes: cranial, anterior, left. */
  axes: { cranial: Vec3; anterior: Vec3; left: Vec3 };
  /** Body heights at the anterior edge, centre and posterior edge of the mid-sagittal plane, mm. */
  anteriorHeightMm: number;
  middleHeightMm: number;
  posteriorHeightMm: number;
  /** Height the body would have without deformity, mm. */
  normalHeightMm: number;
  /** Body half-width (left-right) and half-depth (antero-posterior), mm. */
  bodyHalfWidthMm: number;
  bodyHalfDepthMm: number;
  trabecularHU: number;
  shape: 'normal' | DeformityShape;
  /** Height loss (%) per Genant: worst of anterior/middle vs posterior, or vs normal for crush. */
  heightLossPct: number;
  genantGrade: 0 | 1 | 2 | 3;
  /** Coronal tilt of the endplates (deg, + = left side higher). */
  coronalTiltDeg: number;
  /** Sagittal tilt of the superior / inferior endplate (deg, + = anterior edge higher). */
  superiorEndplateSagittalDeg: number;
  inferiorEndplateSagittalDeg: number;
  hasRibs: boolean;
}

export interface BodyCompositionTruth {
  /** Axial slice index (k) and its z (mm) nearest to the L3 body centre. */
  sliceIndex: number;
  zMm: number;
  muscleCm2: number;
  imatCm2: number;
  visceralFatCm2: number;
  subcutaneousFatCm2: number;
}

export interface SpinePhantomTruth {
  params: SpinePhantomParams;
  /** All levels of the phantom's spine, cranial → caudal (visible or not). */
  vertebrae: VertebraTruth[];
  /** Largest coronal Cobb angle among visible T1–L6 vertebrae (max − min coronal tilt), deg. */
  cobbDeg: number;
  /** T4 superior to T12 (lowest thoracic) inferior endplate, deg; undefined when not both visible. */
  kyphosisDeg: number | undefined;
  /** L1 superior to S1 superior endplate, deg; undefined when not both visible. */
  lordosisDeg: number | undefined;
  /** Undefined when L3 is not visible. */
  l3BodyComposition: BodyCompositionTruth | undefined;
}

export interface SpinePhantom {
  /** HU, Int16, LPS geometry (identity direction: i → left, j → posterior, k → superior). */
  volume: Volume<Int16Array>;
  /** Vertebra labels (VERTEBRA_LABEL_VALUE; S1 and sacrum = 25). Ribs and pelvis are 0. */
  labels: LabelMap;
  /** PART values. */
  parts: LabelMap;
  /** TISSUE values. */
  tissue: LabelMap;
  truth: SpinePhantomTruth;
}
