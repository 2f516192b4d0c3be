/**
 * Runs Debian's dcm2niix on a DICOM folder and reads its NIfTI output with nifti-reader-js
 * (independently of Rachis' own NIfTI reader), converting the RAS affine to LPS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHeader, readImage } from 'nifti-reader-js';

export function hasDcm2niix(): boolean {
  return spawnSync('dcm2niix', ['-v'], { stdio: 'ignore' }).error === undefined;
}

export interface NiftiLps {
  size: [number, number, number];
  /** 4×4 row-major voxel → LPS mm. */
  affine: number[][];
  data: Float64Array;
}

export function readNiftiLps(file: string): NiftiLps {
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const hdr = readHeader(ab);
  const raw = readImage(hdr, ab);
  const views: Record<number, (b: ArrayBuffer) => ArrayLike<number>> = {
    2: (b) => new Uint8Array(b),
    4: (b) => new Int16Array(b),
    8: (b) => new Int32Array(b),
    16: (b) => new Float32Array(b),
    256: (b) => new Int8Array(b),
    512: (b) => new Uint16Array(b),
  };
  const view = views[hdr.datatypeCode];
  if (!view) throw new Error(`unexpected NIfTI datatype ${hdr.datatypeCode}`);
  const src = view(raw);
  const slope = hdr.scl_slope || 1;
  const inter = hdr.scl_slope ? hdr.scl_inter : 0;
  const data = Float64Array.from(src, (v) => v * slope + inter);
  const ras = hdr.sform_code > 0 ? hdr.affine : hdr.getQformMat();
  const affine = ras.map((row, r) => row.map((v) => (r < 2 ? -v : v)));
  return { size: [hdr.dims[1]!, hdr.dims[2]!, Math.max(1, hdr.dims[3]!)], affine, data };
}

/** dcm2niix → the NIfTI files it wrote (uncompressed, no BIDS sidecar), read as LPS. */
export function runDcm2niix(dicomDir: string): NiftiLps[] {
  const out = mkdtempSync(join(tmpdir(), 'rachis-dcm2niix-'));
  try {
    execFileSync('dcm2niix', ['-z', 'n', '-b', 'n', '-f', '%s_%p', '-o', out, dicomDir], { stdio: 'pipe' });
    return readdirSync(out)
      .filter((f) => f.endsWith('.nii'))
      .sort()
      .map((f) => readNiftiLps(join(out, f)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
