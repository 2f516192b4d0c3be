/** DICOM reading (series → Volume). Stubs until the reader lands; signatures are the contract. */
import type { Volume } from '../core/volume.js';

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
