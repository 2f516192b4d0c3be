import type { LabelMap, Vec3, Volume } from '@rachis/imaging';

/** Vertebra names in cranio-caudal order, including transitional variants. */
export const VERTEBRA_NAMES = [
  'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7',
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'T13',
  'L1', 'L2', 'L3', 'L4', 'L5', 'L6',
  'S1', 'sacrum',
] as const;
export type VertebraName = (typeof VERTEBRA_NAMES)[number];

/**
 * Label values in `SpineSegmentation.vertebraMask` (and on disk). Fixed so that files are
 * comparable across versions: 1..7 = C1..C7, 8..19 = T1..T12, 20..24 = L1..L5, 25 = S1/sacrum,
 * 26 = T13, 27 = L6 (the transitional extras go at the end so the common ones keep
 * TotalSegmentator-like ordering).
 */
export const VERTEBRA_LABEL_VALUE: Readonly<Record<VertebraName, number>> = {
  C1: 1, C2: 2, C3: 3, C4: 4, C5: 5, C6: 6, C7: 7,
  T1: 8, T2: 9, T3: 10, T4: 11, T5: 12, T6: 13, T7: 14, T8: 15, T9: 16, T10: 17, T11: 18, T12: 19,
  L1: 20, L2: 21, L3: 22, L4: 23, L5: 24, S1: 25, sacrum: 25, T13: 26, L6: 27,
};

export interface LabelHypothesis {
  /** Label of the most cranial detected vertebra under this hypothesis; the rest follow in order. */
  labels: VertebraName[];
  /** 0..1. */
  probability: number;
  /** Why this hypothesis exists, e.g. "12 rib pairs, lowest rib on vertebra #5". */
  reason: string;
}

export interface VertebraResult {
  /** Instance index in the segmentation (1-based, cranial → caudal). Stable under relabelling. */
  instance: number;
  label: VertebraName;
  /** Centroid of the whole vertebra in LPS mm. */
  centroidMm: Vec3;
  /** Centroid of the vertebral body in LPS mm. */
  bodyCentroidMm: Vec3;
  /** 0..1 confidence in the label. */
  confidence: number;
  /** True when the vertebra touches the edge of the field of view (partially imaged). */
  truncated: boolean;
  /** Anatomical evidence that supports the label (e.g. "rib-bearing", "lowest lumbar above sacrum"). */
  evidence: string[];
  /** Voxel count of the instance mask. */
  voxelCount: number;
}

export interface DiscResult {
  /** e.g. "L4-L5". */
  name: string;
  centreMm: Vec3;
  /** Unit vector (LPS) of the column axis at the disc, pointing caudal. */
  axis: Vec3;
}

export type LabellingState = 'confident' | 'uncertain';

export interface SpineSegmentation {
  /** Per-vertebra instance masks: value = `instance` of a VertebraResult. Geometry of the input. */
  instanceMask: LabelMap;
  /** Anatomical labels: value from VERTEBRA_LABEL_VALUE. Geometry of the input. */
  vertebraMask: LabelMap;
  /** 1 = vertebral body, 2 = posterior elements, 3 = spinal canal. Geometry of the input. */
  partMask: LabelMap;
  /** Canal / column centreline, cranial → caudal, LPS mm. */
  centrelineMm: Vec3[];
  vertebrae: VertebraResult[];
  discs: DiscResult[];
  labelling: {
    state: LabellingState;
    /** Competing hypotheses, best first (one entry when confident). */
    hypotheses: LabelHypothesis[];
    /** Anchors found: 'sacrum', 'lowest-rib', 'dens', 'C1' … */
    anchors: string[];
    /** Present when a user override produced the labels. */
    override?: LabelOverride;
  };
  /** Non-fatal notes: contrast phase unknown, coarse spacing, … */
  warnings: string[];
  /** Seconds per stage, for benchmarks. */
  timings: Record<string, number>;
  algorithm: { name: string; version: string };
}

/** "the lowest lumbar vertebra is L5" → { instance: <lowest lumbar instance>, label: 'L5' }. */
export interface LabelOverride {
  instance: number;
  label: VertebraName;
}

export interface SegmentSpineOptions {
  /** Relabel without re-segmenting. */
  override?: LabelOverride;
  /** Working resolution in mm (isotropic) for the detection stages. */
  workingSpacingMm?: number;
}

export type SegmentSpineCT = (volume: Volume, options?: SegmentSpineOptions) => Promise<SpineSegmentation>;
