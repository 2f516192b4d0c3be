/** Label images (NIfTI/NRRD) read as LabelMaps: integer labels ≥ 0 stored as Uint8/Uint16. */
import type { LabelMap, Volume } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { readNifti } from './nifti.js';
import { readNrrd } from './nrrd.js';

/** Converts a volume of integer labels to a LabelMap; throws MALFORMED on fractional/negative/huge values. */
export function volumeToLabelMap(vol: Volume, names?: ReadonlyMap<number, string>, file?: string): LabelMap {
  const src = vol.data;
  const n = src.length;
  let max = 0;
  const seen = new Uint8Array(65536);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    if (!(v >= 0 && v <= 65535 && Number.isInteger(v))) {
      throw new RachisError('MALFORMED', `not a label image: voxel ${i} has value ${v} (labels must be integers 0..65535)`, { file });
    }
    seen[v] = 1;
    if (v > max) max = v;
  }
  let data: Uint8Array | Uint16Array;
  if (max <= 255) data = src instanceof Uint8Array ? src : Uint8Array.from(src);
  else data = src instanceof Uint16Array ? src : Uint16Array.from(src);
  const labels = new Map<number, string>();
  for (let v = 1; v <= max; v++) if (seen[v]) labels.set(v, names?.get(v) ?? `label ${v}`);
  return { size: vol.size, spacing: vol.spacing, origin: vol.origin, direction: vol.direction, data, labels };
}

/** Read a label image (NIfTI/NRRD) as a LabelMap; `labels` names come from `names` when given. */
export async function readLabelMap(path: string, names?: ReadonlyMap<number, string>): Promise<LabelMap> {
  const lower = path.toLowerCase();
  let vol: Volume;
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) vol = await readNifti(path);
  else if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) vol = await readNrrd(path);
  else throw new RachisError('UNSUPPORTED_FORMAT', 'label maps are read from .nii, .nii.gz, .nrrd or .nhdr', { file: path });
  return volumeToLabelMap(vol, names, path);
}
