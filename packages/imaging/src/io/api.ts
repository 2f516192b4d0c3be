/**
 * PUBLIC API of the imaging I/O (names and signatures agreed between packages).
 * Implementations live in src/io/* and src/dicom/*.
 */
import type { LabelMap, Volume } from '../core/volume.js';
import type { ReadDicomOptions } from '../dicom/index.js';

export { listDicomSeries, readDicomSeries } from '../dicom/index.js';
export type { DicomSeriesInfo, ReadDicomOptions } from '../dicom/index.js';
export { readNifti, writeNifti } from './nifti.js';
export { readNrrd, writeNrrd } from './nrrd.js';
export { readLabelMap, volumeToLabelMap } from './label-map.js';

const todo = (name: string): never => {
  throw new Error(`${name}: not implemented yet`);
};

/** PNG/JPEG (e.g. an X-ray) as a single-slice volume. */
export async function readImage2D(_path: string): Promise<Volume> { return todo('readImage2D'); }

/** Dispatch on what `path` is: a DICOM folder/file, .nii(.gz), .nrrd, .png/.jpg. */
export async function readVolume(_path: string, _options?: ReadDicomOptions): Promise<Volume> { return todo('readVolume'); }
/** Dispatch on extension: .nii, .nii.gz, .nrrd. */
export async function writeVolume(_path: string, _img: Volume | LabelMap): Promise<void> { return todo('writeVolume'); }
