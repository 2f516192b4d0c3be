import { statSync } from 'node:fs';

const VOLUME_EXTENSIONS = ['.nii', '.nii.gz', '.nrrd', '.nhdr', '.png', '.jpg', '.jpeg'];

/** A folder, or a file without a known image extension, is treated as DICOM. */
export function isDicomInput(path: string): boolean {
  if (statSync(path).isDirectory()) return true;
  const lower = path.toLowerCase();
  return !VOLUME_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
