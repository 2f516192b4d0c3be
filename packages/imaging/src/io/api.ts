/**
 * PUBLIC API of the imaging I/O (names and signatures agreed between packages).
 * Implementations live in src/io/* and src/dicom/*; this file only re-exports.
 */
export { listDicomSeries, readDicomSeries } from '../dicom/index.js';
export type { DicomSeriesInfo, ReadDicomOptions } from '../dicom/index.js';
export { readNifti, writeNifti } from './nifti.js';
export { readNrrd, writeNrrd } from './nrrd.js';
export type { WriteNrrdOptions } from './nrrd.js';
export { readLabelMap, volumeToLabelMap } from './label-map.js';
export { readImage2D } from './image2d.js';
export { readVolume, writeVolume } from './read-volume.js';
