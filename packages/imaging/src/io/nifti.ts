/**
 * NIfTI-1 (.nii / .nii.gz) read and write, in LPS.
 * Reading: header via nifti-header.ts, voxels with scl_slope/inter applied.
 * Writing is by hand: no npm package writes NIfTI except itk-wasm (27 MB of wasm, a devDependency
 * here for cross-checks only). We write a single-file NIfTI-1 with sform and qform describing the
 * same grid (qform omitted when the direction is not orthonormal), code 1 (scanner anatomical).
 */
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { LabelMap, Mat3, Volume, VoxelArray } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { readFileTyped } from './files.js';
import { gunzipPrefix, isGzip } from './gzip.js';
import { frameToRasAffine, rotationToQuatern } from './nifti-affine.js';
import { NIFTI_HEADER_BYTES, parseNiftiHeader } from './nifti-header.js';
import type { NiftiHeaderInfo } from './nifti-header.js';
import { applyScaling, decodeVoxels, elementKindOf, littleEndianBytes } from './voxels.js';
import type { ElementKind } from './voxels.js';

const gzipAsync = promisify(gzip);

export async function readNifti(path: string): Promise<Volume> {
  const file = await readFileTyped(path);
  const gz = isGzip(file);
  const head = gz ? (await gunzipPrefix(file, NIFTI_HEADER_BYTES, path)).data : file;
  const hdr = parseNiftiHeader(head, path);
  const n = hdr.size[0] * hdr.size[1] * hdr.size[2];
  const need = hdr.voxOffset + n * hdr.bytesPerVoxel;
  const body = gz ? (await gunzipPrefix(file, need, path)).data : file;
  if (body.length < need) {
    throw new RachisError('TRUNCATED', `voxel data ends after ${body.length} of ${need} bytes`, { file: path });
  }
  const data = decodeNiftiVoxels(body.subarray(hdr.voxOffset, need), hdr, n);
  const warnings = [...hdr.warnings];
  const meta: Volume['meta'] = { source: path };
  if (hdr.slope !== 1 || hdr.inter !== 0) meta.rescaled = true;
  if (hdr.description) meta.seriesDescription = hdr.description;
  if (warnings.length) meta.warnings = warnings;
  const { spacing, origin, direction } = hdr.frame;
  return { size: hdr.size, spacing, origin, direction, data, meta };
}

function decodeNiftiVoxels(bytes: Uint8Array, hdr: NiftiHeaderInfo, n: number): VoxelArray {
  let raw: VoxelArray;
  if (hdr.element === 'rgb24' || hdr.element === 'rgba32') {
    const stride = hdr.bytesPerVoxel;
    const out = new Float32Array(n);
    for (let i = 0, p = 0; i < n; i++, p += stride) out[i] = 0.299 * bytes[p]! + 0.587 * bytes[p + 1]! + 0.114 * bytes[p + 2]!;
    raw = out;
  } else {
    raw = decodeVoxels(bytes, hdr.element, n, hdr.littleEndian);
  }
  return hdr.slope !== 1 || hdr.inter !== 0 ? applyScaling(raw, hdr.slope, hdr.inter) : raw;
}

const NIFTI_CODE: Record<ElementKind, number> = {
  uint8: 2, int16: 4, int32: 8, float32: 16, float64: 64, int8: 256, uint16: 512, uint32: 768, int64: 1024, uint64: 1280,
};

function isOrthonormal(d: Mat3): boolean {
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const dot = d[a]! * d[b]! + d[3 + a]! * d[3 + b]! + d[6 + a]! * d[6 + b]!;
      if (Math.abs(dot - (a === b ? 1 : 0)) > 1e-6) return false;
    }
  }
  return true;
}

/** The 352-byte header (348 + empty extension flag) for `img`. */
export function niftiHeaderBytes(img: Volume | LabelMap): Uint8Array {
  const buf = new ArrayBuffer(352);
  const v = new DataView(buf);
  const u8 = new Uint8Array(buf);
  const kind = elementKindOf(img.data);
  const ascii = (offset: number, s: string, max: number): void => {
    for (let i = 0; i < Math.min(s.length, max - 1); i++) u8[offset + i] = s.charCodeAt(i) & 0x7f;
  };
  v.setInt32(0, 348, true);
  u8[38] = 'r'.charCodeAt(0);
  const dims = [3, img.size[0], img.size[1], img.size[2], 1, 1, 1, 1];
  dims.forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(70, NIFTI_CODE[kind], true);
  v.setInt16(72, img.data.BYTES_PER_ELEMENT * 8, true);

  const rasDir = [...img.direction] as number[];
  for (let c = 0; c < 6; c++) rasDir[c] = -rasDir[c]!; // rows x and y negated: LPS → RAS
  const orthonormal = isOrthonormal(img.direction);
  const q = orthonormal ? rotationToQuatern(rasDir as unknown as Mat3) : undefined;
  const pixdim = [q?.qfac ?? 1, img.spacing[0], img.spacing[1], img.spacing[2], 1, 1, 1, 1];
  pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, 352, true); // vox_offset
  v.setFloat32(112, 1, true); // scl_slope
  v.setFloat32(116, 0, true); // scl_inter
  u8[123] = 2; // xyzt_units: mm
  ascii(148, 'Rachis', 80);
  const affine = frameToRasAffine(img.spacing, img.origin, img.direction);
  v.setInt16(252, q ? 1 : 0, true); // qform_code
  v.setInt16(254, 1, true); // sform_code
  if (q) {
    v.setFloat32(256, q.b, true);
    v.setFloat32(260, q.c, true);
    v.setFloat32(264, q.d, true);
  }
  v.setFloat32(268, affine[3]!, true);
  v.setFloat32(272, affine[7]!, true);
  v.setFloat32(276, affine[11]!, true);
  affine.forEach((a, i) => v.setFloat32(280 + 4 * i, a, true));
  ascii(344, 'n+1', 4);
  return u8;
}

/** Writes .nii, or gzip-compressed .nii.gz when the path ends in .gz. */
export async function writeNifti(path: string, img: Volume | LabelMap, options: { gzipLevel?: number } = {}): Promise<void> {
  const n = img.size[0] * img.size[1] * img.size[2];
  if (img.data.length !== n) {
    throw new RachisError('INVALID_ARGUMENT', `data length ${img.data.length} ≠ ${img.size.join('×')}`, { file: path });
  }
  const header = niftiHeaderBytes(img);
  const body = littleEndianBytes(img.data);
  const whole = Buffer.concat([header, body]);
  const out = path.toLowerCase().endsWith('.gz') ? await gzipAsync(whole, { level: options.gzipLevel ?? 6 }) : whole;
  await writeFile(path, out);
}
