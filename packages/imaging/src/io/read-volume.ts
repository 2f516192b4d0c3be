/** One entry point for every supported input: DICOM folder/file, NIfTI, NRRD, PNG/JPEG. */
import { open } from 'node:fs/promises';
import type { LabelMap, Volume } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { ReadDicomOptions } from '../dicom/index.js';
import { readDicomSeries } from '../dicom/index.js';
import { pathKind } from './files.js';
import { readImage2D } from './image2d.js';
import { readNifti, writeNifti } from './nifti.js';
import { readNrrd, writeNrrd } from './nrrd.js';

/** True when the file has the DICOM Part 10 "DICM" marker at byte 128. */
async function hasDicmMagic(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 128);
    return bytesRead === 4 && b.toString('latin1') === 'DICM';
  } finally {
    await fh.close();
  }
}

/** Dispatch on what `path` is: a DICOM folder/file, .nii(.gz), .nrrd/.nhdr, .png/.jpg. */
export async function readVolume(path: string, options?: ReadDicomOptions): Promise<Volume> {
  const kind = await pathKind(path);
  if (!kind) throw new RachisError('NOT_FOUND', 'no such file or folder', { file: path });
  if (kind === 'dir') return readDicomSeries(path, options);
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return readNifti(path);
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) return readNrrd(path);
  if (/\.(png|jpe?g)$/.test(lower)) return readImage2D(path);
  if (lower.endsWith('.dcm') || (await hasDicmMagic(path))) return readDicomSeries([path], options);
  throw new RachisError('UNSUPPORTED_FORMAT', 'unknown format: expected a DICOM folder/file, .nii, .nii.gz, .nrrd, .nhdr, .png or .jpg', { file: path });
}

/** Dispatch on extension: .nii, .nii.gz, .nrrd, .nhdr. */
export async function writeVolume(path: string, img: Volume | LabelMap): Promise<void> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return writeNifti(path, img);
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) return writeNrrd(path, img);
  throw new RachisError('UNSUPPORTED_FORMAT', 'can only write .nii, .nii.gz, .nrrd or .nhdr', { file: path });
}
