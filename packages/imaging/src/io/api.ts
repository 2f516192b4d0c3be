/**
 * PUBLIC API CONTRACT of the imaging I/O (agreed between packages).
 * Implementations land in src/io/* and src/dicom/*; this file will become re-exports.
 */
import type { LabelMap, Volume } from '../core/volume.js';

const todo = (name: string): never => {
  throw new Error(`${name}: not implemented yet`);
};

import type { ReadDicomOptions } from '../dicom/index.js';
export { listDicomSeries, readDicomSeries } from '../dicom/index.js';
export type { DicomSeriesInfo, ReadDicomOptions } from '../dicom/index.js';

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
