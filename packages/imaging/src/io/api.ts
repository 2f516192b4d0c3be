/**
 * PUBLIC API CONTRACT of the imaging I/O (agreed between packages).
 * Implementations land in src/io/* and src/dicom/*; this file will become re-exports.
 */
import type { LabelMap, Volume } from '../core/volume.js';

const todo = (name: string): never => {
  throw new Error(`${name}: not implemented yet`);
};

export interface DicomSeriesInfo {
  seriesInstanceUID: string;
  studyInstanceUID?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  modality?: string;
  files: string[];
  /** Slices / frames. */
  instanceCount: number;
  rows?: number;
  columns?: number;
  transferSyntaxUID?: string;
}

export interface ReadDicomOptions {
  /** Pick one series when the input holds several (UID, or a substring of the description). */
  series?: string;
}

/** Lists the DICOM series under a folder (recursive) or in a list of files. */
export async function listDicomSeries(_input: string | string[]): Promise<DicomSeriesInfo[]> { return todo('listDicomSeries'); }
/** Reads one series into a Volume (CT in HU, LPS geometry). Throws MULTIPLE_SERIES when ambiguous. */
export async function readDicomSeries(_input: string | string[], _options?: ReadDicomOptions): Promise<Volume> { return todo('readDicomSeries'); }

/** .nii / .nii.gz */
export async function readNifti(_path: string): Promise<Volume> { return todo('readNifti'); }
export async function writeNifti(_path: string, _img: Volume | LabelMap): Promise<void> { return todo('writeNifti'); }
/** .nrrd / .nhdr (+ raw/gz data) */
export async function readNrrd(_path: string): Promise<Volume> { return todo('readNrrd'); }
export async function writeNrrd(_path: string, _img: Volume | LabelMap): Promise<void> { return todo('writeNrrd'); }
/** PNG/JPEG (e.g. an X-ray) as a single-slice volume. */
export async function readImage2D(_path: string): Promise<Volume> { return todo('readImage2D'); }

/** Dispatch on what `path` is: a DICOM folder/file, .nii(.gz), .nrrd, .png/.jpg. */
export async function readVolume(_path: string, _options?: ReadDicomOptions): Promise<Volume> { return todo('readVolume'); }
/** Dispatch on extension: .nii, .nii.gz, .nrrd. */
export async function writeVolume(_path: string, _img: Volume | LabelMap): Promise<void> { return todo('writeVolume'); }
/** Read a label image (NIfTI/NRRD) as a LabelMap; `labels` names come from `names` when given. */
export async function readLabelMap(_path: string, _names?: ReadonlyMap<number, string>): Promise<LabelMap> { return todo('readLabelMap'); }
