/**
 * NIfTI-1/-2 header → what we need to read the voxels and place them in LPS space.
 * Field parsing is nifti-reader-js; the validation (hostile headers) and the choice of
 * transform (sform when sform_code > 0, else qform, else pixdim) are ours.
 */
import { NIFTI1, NIFTI2 } from 'nifti-reader-js';
import type { Vec3 } from '../core/volume.js';
import { MAX_VOXELS } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import type { Affine34, SpatialFrame } from './nifti-affine.js';
import { quaternToAffine, rasAffineToFrame } from './nifti-affine.js';
import type { ElementKind } from './voxels.js';

export type NiftiElement = ElementKind | 'rgb24' | 'rgba32';

const DATATYPES: Record<number, NiftiElement> = {
  2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 64: 'float64', 128: 'rgb24', 256: 'int8',
  512: 'uint16', 768: 'uint32', 1024: 'int64', 1280: 'uint64', 2304: 'rgba32',
};
const DATATYPE_NAMES: Record<number, string> = { 1: 'binary', 32: 'complex64', 1536: 'float128', 1792: 'complex128', 2048: 'complex256' };
const ELEMENT_BYTES: Record<NiftiElement, number> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8, int64: 8, uint64: 8, rgb24: 3, rgba32: 4,
};

export interface NiftiHeaderInfo {
  version: 1 | 2;
  littleEndian: boolean;
  size: Vec3;
  /** Number of 3-D volumes (product of dims 4..7). Only the first is read. */
  volumes: number;
  element: NiftiElement;
  bytesPerVoxel: number;
  voxOffset: number;
  slope: number;
  inter: number;
  frame: SpatialFrame;
  /** Which transform gave the geometry. */
  transform: 'sform' | 'qform' | 'pixdim';
  description: string;
  warnings: string[];
}

/** Number of header bytes to hand to `parseNiftiHeader` (NIfTI-2 is the larger). */
export const NIFTI_HEADER_BYTES = 540;

function framesAgree(a: SpatialFrame, b: SpatialFrame): boolean {
  for (let i = 0; i < 3; i++) {
    if (Math.abs(a.spacing[i]! - b.spacing[i]!) > 1e-3 || Math.abs(a.origin[i]! - b.origin[i]!) > 1e-2) return false;
  }
  for (let i = 0; i < 9; i++) if (Math.abs(a.direction[i]! - b.direction[i]!) > 1e-3) return false;
  return true;
}

export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeaderInfo {
  if (bytes.length < 348) throw new RachisError('TRUNCATED', `file too short for a NIfTI header (${bytes.length} bytes)`, { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, true);
  const be = view.getInt32(0, false);
  const version = le === 348 || be === 348 ? 1 : le === 540 || be === 540 ? 2 : 0;
  if (version === 0) throw new RachisError('MALFORMED', 'not a NIfTI file (sizeof_hdr is neither 348 nor 540)', { file });
  if (version === 2 && bytes.length < 540) throw new RachisError('TRUNCATED', 'file too short for a NIfTI-2 header', { file });
  const headerLen = version === 1 ? 348 : 540;
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + headerLen) as ArrayBuffer;
  const h = version === 1 ? new NIFTI1() : new NIFTI2();
  try {
    h.readHeader(ab);
  } catch (e) {
    throw new RachisError('MALFORMED', `unreadable NIfTI header (${(e as Error).message})`, { file, cause: e });
  }
  const magic = h.magic.replace(/\0/g, '');
  if (magic === 'ni1' || magic === 'ni2') {
    throw new RachisError('UNSUPPORTED_FORMAT', 'NIfTI .hdr/.img pairs are not supported; convert to a single .nii', { file });
  }
  if (magic !== 'n+1' && magic !== 'n+2') throw new RachisError('MALFORMED', `bad NIfTI magic "${magic}"`, { file });
  const warnings: string[] = [];

  const dims = h.dims.map(Number);
  const ndim = dims[0]!;
  if (!(ndim >= 1 && ndim <= 7)) throw new RachisError('MALFORMED', `dim[0]=${ndim} is not in 1..7`, { file });
  const dim = (i: number): number => (i <= ndim ? dims[i]! : 1);
  for (let i = 1; i <= ndim; i++) {
    if (!Number.isInteger(dim(i)) || dim(i) < 1) throw new RachisError('MALFORMED', `dim[${i}]=${dim(i)} is not a positive size`, { file });
  }
  const size: Vec3 = [dim(1), dim(2), dim(3)];
  let volumes = 1;
  for (let i = 4; i <= ndim; i++) volumes *= dim(i);
  const voxels = size[0] * size[1] * size[2];
  if (voxels > MAX_VOXELS) {
    throw new RachisError('ABSURD_DIMENSIONS', `${size.join('×')} = ${voxels} voxels exceeds the limit of ${MAX_VOXELS}`, { file });
  }
  if (volumes > 1) warnings.push(`${ndim}-D NIfTI with ${volumes} volumes: only the first 3-D volume was read`);

  const element = DATATYPES[h.datatypeCode];
  if (!element) {
    const name = DATATYPE_NAMES[h.datatypeCode] ?? `code ${h.datatypeCode}`;
    throw new RachisError('UNSUPPORTED_FORMAT', `NIfTI datatype ${name} is not supported`, { file });
  }
  if (element === 'int64' || element === 'uint64') warnings.push(`${element} voxels converted to float64 (exact only up to 2^53)`);
  if (element === 'rgb24' || element === 'rgba32') warnings.push('colour NIfTI converted to luminance');

  const voxOffset = Number(h.vox_offset);
  if (!Number.isFinite(voxOffset) || voxOffset < headerLen || voxOffset > 1 << 30) {
    throw new RachisError('MALFORMED', `vox_offset ${voxOffset} is outside the file layout`, { file });
  }

  let slope = Number(h.scl_slope);
  let inter = Number(h.scl_inter);
  if (!Number.isFinite(slope) || slope === 0) {
    slope = 1;
    inter = 0;
  }
  if (!Number.isFinite(inter)) inter = 0;

  // Spatial units: metres and microns are scaled to mm.
  const unitCode = h.xyzt_units & 7;
  const unitScale = unitCode === 1 ? 1000 : unitCode === 3 ? 0.001 : 1;
  const pix: Vec3 = [Math.abs(h.pixDims[1] ?? 1), Math.abs(h.pixDims[2] ?? 1), Math.abs(h.pixDims[3] ?? 1)];
  const little = h.littleEndian;
  const srowBase = version === 1 ? 280 : 400;
  const readSrow = (): Affine34 => {
    const out: number[] = [];
    for (let i = 0; i < 12; i++) {
      out.push(version === 1 ? view.getFloat32(srowBase + 4 * i, little) : view.getFloat64(srowBase + 8 * i, little));
    }
    return out;
  };
  const scale = (a: Affine34): Affine34 => a.map((v) => v * unitScale);

  let frame: SpatialFrame | undefined;
  let transform: NiftiHeaderInfo['transform'] = 'pixdim';
  if (h.sform_code > 0) {
    frame = rasAffineToFrame(scale(readSrow()));
    if (frame) transform = 'sform';
    else warnings.push('sform is degenerate; falling back to qform/pixdim');
  }
  if (h.qform_code > 0) {
    const qfac = (h.pixDims[0] ?? 1) < 0 ? -1 : 1;
    const affine = quaternToAffine(h.quatern_b, h.quatern_c, h.quatern_d, [h.qoffset_x, h.qoffset_y, h.qoffset_z], pix, qfac);
    const qframe = rasAffineToFrame(scale(affine));
    if (!frame) {
      frame = qframe;
      if (frame) transform = 'qform';
      else warnings.push('qform is degenerate; falling back to pixdim');
    } else if (qframe && !framesAgree(frame, qframe)) {
      // Tools differ on which one wins (ITK may pick the qform); say so instead of guessing silently.
      warnings.push('sform and qform describe different geometries; the sform was used');
    }
  }
  if (!frame) {
    // Method 0 of nifti1.h, read (as ITK does) as a RAS grid; no real-world placement is known.
    const p = pix.map((v) => (v > 0 && Number.isFinite(v) ? v : 1));
    frame = rasAffineToFrame(scale([p[0]!, 0, 0, 0, 0, p[1]!, 0, 0, 0, 0, p[2]!, 0]))!;
    warnings.push('NIfTI has no sform/qform: geometry from pixdim only (no patient position)');
  }
  if (frame.sheared) warnings.push(`${transform} is sheared: direction columns are not orthogonal`);

  return {
    version,
    littleEndian: little,
    size,
    volumes,
    element,
    bytesPerVoxel: ELEMENT_BYTES[element],
    voxOffset,
    slope,
    inter,
    frame,
    transform,
    description: h.description.replace(/\0/g, '').trim(),
    warnings,
  };
}
