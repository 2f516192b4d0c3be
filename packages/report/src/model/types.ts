/**
 * Rachis report model, version 1. Every writer (JSON, HTML, PDF, DICOM SEG/SR/SC, FHIR)
 * renders this one object, so a number appears with the same value everywhere.
 * The JSON Schema in packages/report/schema/report-v1.schema.json describes the same shape;
 * a test validates built reports against it. Bump REPORT_MODEL_VERSION on any breaking change.
 */

export const REPORT_MODEL_VERSION = '1.0.0';
export const REPORT_SCHEMA_ID = 'urn:rachis:schema:report:v1';

/** Coding scheme designators as in DICOM (0008,0102). '99RACHIS' = Rachis-local codes (see codes.ts). */
export type CodingScheme = 'SCT' | 'LN' | 'DCM' | 'UCUM' | '99RACHIS';

export interface Code {
  scheme: CodingScheme;
  value: string;
  meaning: string;
}

/** A unit of measure: UCUM code plus how it is written for people. */
export interface Unit {
  ucum: string;
  display: string;
}

export type Comparator = '<' | '<=' | '>' | '>=';

export interface Threshold {
  /** What crossing it means, e.g. "osteoporosis likely". */
  meaning: string;
  comparator: Comparator;
  value: number;
  unit: Unit;
  /** Literature source, e.g. "Pickhardt, Ann Intern Med 2013". */
  source: string;
}

/** One number. `value` is already rounded to `decimals`: writers must print it, never recompute it. */
export interface Measurement {
  /** Unique within a report, e.g. "L1/trabecular-attenuation". */
  key: string;
  name: string;
  concept: Code;
  /** e.g. SCT 373098007 "Mean" for a mean attenuation. */
  derivation?: Code;
  value: number;
  decimals: number;
  unit: Unit;
  /** Id of an entry in `report.methods`. */
  method: string;
  /** 0..1 when the producing stage gave one. */
  confidence?: number;
  caveats: string[];
}

/** One categorical result (a grade, a category). */
export interface Evaluation {
  key: string;
  name: string;
  concept: Code;
  value: Code;
  /** The sentence a reader sees, e.g. "Genant grade 2 (moderate), wedge". */
  text: string;
  method: string;
  confidence?: number;
  caveats: string[];
}

export type LevelKind = 'vertebra' | 'disc';

export interface LevelReport {
  kind: LevelKind;
  /** 'L1', 'L4-L5'. */
  name: string;
  /** SNOMED CT code of the structure (CID 7603/7604), or a local code when none exists. */
  site: Code;
  /** Vertebrae only: segment number in the DICOM SEG (1-based). */
  segmentNumber?: number;
  /** Vertebrae only: value of this vertebra in the label map (`SpineSegmentation.vertebraMask`). */
  labelValue?: number;
  /** Vertebrae only: instance id in `SpineSegmentation.instanceMask`. */
  instance?: number;
  /** 0..1 confidence in the anatomical label. */
  labelConfidence?: number;
  /** Partially imaged (touches the edge of the field of view). */
  truncated?: boolean;
  centroidMm?: [number, number, number];
  voxelCount?: number;
  measurements: Measurement[];
  evaluations: Evaluation[];
  caveats: string[];
}

export type FindingKey = 'bone-density' | 'fractures' | 'alignment' | 'body-composition';

export interface StudyFinding {
  key: FindingKey;
  title: string;
  status: 'assessed' | 'not-assessed';
  /** One sentence shown in tables and the impression. */
  summary: string;
  site?: Code;
  measurements: Measurement[];
  evaluations: Evaluation[];
  caveats: string[];
}

export interface Method {
  id: string;
  name: string;
  description: string;
  algorithm: { name: string; version: string };
  thresholds: Threshold[];
  limits: string[];
}

export interface KeyImageRef {
  id: string;
  title: string;
  caption: string;
  /** File name in the bundle, e.g. "key-sagittal.png". */
  file: string;
}

/** UIDs of the DICOM objects written for this report (decided once, used by every writer). */
export interface DicomOutputPlan {
  uidRoot: string;
  studyInstanceUID: string;
  frameOfReferenceUID: string;
  seg: { seriesInstanceUID: string; sopInstanceUID: string; seriesNumber: number };
  sr: { seriesInstanceUID: string; sopInstanceUID: string; seriesNumber: number };
  sc: { seriesInstanceUID: string; seriesNumber: number; sopInstanceUIDs: string[] };
}

export interface ReportV1 {
  model: 'rachis.report';
  version: typeof REPORT_MODEL_VERSION;
  reportId: string;
  /** ISO 8601 date-time. */
  createdAt: string;
  generator: { name: string; version: string; components: { name: string; version: string }[] };
  patient: { id?: string; name?: string; sex?: string; age?: string; birthDate?: string };
  study: { studyInstanceUID?: string; date?: string; description?: string; accessionNumber?: string };
  series: {
    seriesInstanceUID?: string;
    seriesNumber?: number;
    description?: string;
    modality?: string;
    frameOfReferenceUID?: string;
    /** True when the input was DICOM with per-slice SOP Instance UIDs (outputs reference them). */
    fromDicom: boolean;
    sourceInstanceCount: number;
    sizeVoxels: [number, number, number];
    spacingMm: [number, number, number];
    kvp?: number;
    contrastAgent?: string;
    sliceThicknessMm?: number;
  };
  labelling: {
    state: 'confident' | 'uncertain';
    anchors: string[];
    alternatives: { labels: string[]; probability: number; reason: string }[];
    override?: { instance: number; label: string };
  };
  levels: LevelReport[];
  findings: StudyFinding[];
  impression: string[];
  methods: Method[];
  /** "Method and limits" section: general limits of the analysis as a whole. */
  limits: string[];
  /** Study-wide caveats (contrast, kVp, labelling uncertainty, reader warnings). */
  caveats: string[];
  disclaimer: string;
  keyImages: KeyImageRef[];
  dicom: DicomOutputPlan;
}
