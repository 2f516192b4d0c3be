/**
 * DICOM reading (folder/files → series → Volume in LPS, CT in HU) and a series writer
 * for tests, benchmarks and the demo.
 */
import { readDicomSeries as readSeries, scanDicom, type DicomSeriesInfo, type ReadDicomOptions } from './read.js';
import type { Volume } from '../core/volume.js';

export type { DicomSeriesInfo, ReadDicomOptions, DicomScan } from './read.js';
export type { SkippedFile } from './scan.js';
export { scanDicom } from './read.js';
export { TS as TransferSyntax } from './transfer-syntax.js';
export { writeDicomSeries, withTransferSyntaxUID, formatDS } from './write.js';
export type { WriteDicomOptions, WrittenSeries } from './write.js';

/** Lists the DICOM series under a folder (recursive) or in a list of files. */
export async function listDicomSeries(input: string | string[]): Promise<DicomSeriesInfo[]> {
  return (await scanDicom(input)).series;
}
/** Reads one series into a Volume (CT in HU, LPS geometry). Throws MULTIPLE_SERIES when ambiguous. */
export async function readDicomSeries(input: string | string[], options?: ReadDicomOptions): Promise<Volume> {
  return readSeries(input, options);
}
