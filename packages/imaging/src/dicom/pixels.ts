/**
 * Moves each frame's samples into its k-slot of the volume buffer. Uncompressed little/big
 * endian frames are read straight from the file into place; deflated, encapsulated and
 * colour frames go through a full parse and, when compressed, the codecs.
 */
import { open, readFile } from 'node:fs/promises';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { RachisError } from '../core/errors.js';
import { checkCodestreamSize, decodeFrame, initCodecs, type FrameFormat } from './codecs.js';
import type { DecodePool } from './decode-pool.js';
import type { FileHeader } from './header.js';
import { parseDicomBytes, PIXEL_DATA_TAG } from './parse.js';
import { fsError } from './scan.js';
import { transferSyntaxInfo, type TransferSyntaxInfo } from './transfer-syntax.js';

/** One frame of a file and the k-slot it goes to. */
export interface FramePlacement {
  frameIndex: number;
  k: number;
}

/** Target buffer: one scalar per voxel, `bytesPerSample` bytes each, slices of `sliceVoxels`. */
export interface PixelTarget {
  bytes: Uint8Array;
  bytesPerSample: number;
  sliceVoxels: number;
  /** Decode compressed frames in worker threads (large series); main thread when absent. */
  pool?: DecodePool;
}

export function requireSyntax(h: FileHeader): TransferSyntaxInfo {
  const info = transferSyntaxInfo(h.transferSyntaxUID);
  if (!info) throw new RachisError('UNSUPPORTED_TRANSFER_SYNTAX', `transfer syntax ${h.transferSyntaxUID} is not supported`, { file: h.file });
  return info;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 2) {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const t = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = t;
    }
  } else if (width === 4) {
    for (let i = 0; i + 3 < bytes.length; i += 4) {
      const a = bytes[i]!;
      const b = bytes[i + 1]!;
      bytes[i] = bytes[i + 3]!;
      bytes[i + 1] = bytes[i + 2]!;
      bytes[i + 2] = b;
      bytes[i + 3] = a;
    }
  }
}

/** Fast path: uncompressed grey frames are read from the file directly into the volume. */
async function placeNative(h: FileHeader, info: TransferSyntaxInfo, frames: readonly FramePlacement[], target: PixelTarget): Promise<void> {
  const frameBytes = target.sliceVoxels * target.bytesPerSample;
  const fh = await open(h.file, 'r');
  try {
    for (const { frameIndex, k } of frames) {
      const dest = target.bytes.subarray(k * frameBytes, (k + 1) * frameBytes);
      const { bytesRead } = await fh.read(dest, 0, frameBytes, h.pixelDataOffset + frameIndex * frameBytes);
      if (bytesRead !== frameBytes) throw new RachisError('TRUNCATED', `frame ${frameIndex} ends after ${bytesRead} of ${frameBytes} bytes`, { file: h.file });
      if (info.bigEndian) swapBytes(dest, target.bytesPerSample);
    }
  } finally {
    await fh.close();
  }
}

function encapsulatedFrame(ds: DataSet, el: Element, h: FileHeader, frameIndex: number, codec: string): Uint8Array {
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new RachisError('NO_PIXEL_DATA', 'encapsulated PixelData has no fragments', { file: h.file });
  if (h.numberOfFrames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length) as Uint8Array;
  if (el.basicOffsetTable && el.basicOffsetTable.length === h.numberOfFrames) return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex) as Uint8Array;
  if (fragments.length === h.numberOfFrames) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, frameIndex, 1) as Uint8Array;
  if (codec === 'jpeg') {
    const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex, table) as Uint8Array;
  }
  throw new RachisError('MALFORMED', `cannot locate frame ${frameIndex}: ${fragments.length} fragments, no offset table`, { file: h.file });
}

/** RGB (interleaved or planar) or YBR to one luminance byte per pixel. */
function toLuminance(src: Uint8Array, h: FileHeader, compressed: boolean, dest: Uint8Array): void {
  const n = dest.length;
  const planar = !compressed && h.planarConfiguration === 1;
  if (!compressed && h.photometric.startsWith('YBR')) {
    for (let i = 0; i < n; i++) dest[i] = planar ? src[i]! : src[3 * i]!;
    return;
  }
  for (let i = 0; i < n; i++) {
    const r = planar ? src[i]! : src[3 * i]!;
    const g = planar ? src[n + i]! : src[3 * i + 1]!;
    const b = planar ? src[2 * n + i]! : src[3 * i + 2]!;
    dest[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
}

/** General path: full parse, optional decode, optional colour → luminance. */
async function placeParsed(h: FileHeader, info: TransferSyntaxInfo, frames: readonly FramePlacement[], target: PixelTarget): Promise<void> {
  const buf = await readFile(h.file);
  const parsed = parseDicomBytes(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), h.file, false);
  const ds = parsed.dataSet;
  const el = ds.elements[PIXEL_DATA_TAG];
  if (!el) throw new RachisError('NO_PIXEL_DATA', 'no PixelData', { file: h.file });
  const fmt: FrameFormat = h;
  const nativeFrameBytes = target.sliceVoxels * h.samplesPerPixel * (h.bitsAllocated / 8);
  const compressed = info.codec !== 'native';
  if (compressed && !target.pool) await initCodecs();
  for (const { frameIndex, k } of frames) {
    let samples: Uint8Array;
    if (compressed) {
      const encoded = encapsulatedFrame(ds, el, h, frameIndex, info.codec);
      checkCodestreamSize(info.codec, encoded, fmt, h.file);
      samples = target.pool ? await target.pool.decode(info.codec, encoded, fmt, h.file) : decodeFrame(info.codec, encoded, fmt, h.file);
      const expected = target.sliceVoxels * h.samplesPerPixel * (h.bitsAllocated / 8);
      if (samples.length !== expected) throw new RachisError('MALFORMED', `${info.codec} frame decoded to ${samples.length} bytes, but Rows/Columns/BitsAllocated imply ${expected}`, { file: h.file });
    } else {
      const start = el.dataOffset + frameIndex * nativeFrameBytes;
      if (start + nativeFrameBytes > ds.byteArray.length) throw new RachisError('TRUNCATED', `frame ${frameIndex} extends beyond the data`, { file: h.file });
      samples = ds.byteArray.subarray(start, start + nativeFrameBytes);
    }
    const sliceBytes = target.sliceVoxels * target.bytesPerSample;
    const dest = target.bytes.subarray(k * sliceBytes, (k + 1) * sliceBytes);
    if (h.samplesPerPixel === 3) toLuminance(samples, h, compressed, dest);
    else {
      dest.set(samples.subarray(0, sliceBytes));
      if (info.bigEndian && !compressed) swapBytes(dest, target.bytesPerSample);
    }
  }
}

/** Reads the given frames of one file into the target. */
export async function placeFileFrames(h: FileHeader, frames: readonly FramePlacement[], target: PixelTarget): Promise<void> {
  const info = requireSyntax(h);
  if (h.samplesPerPixel === 3 && h.bitsAllocated !== 8) throw new RachisError('UNSUPPORTED_FORMAT', `colour images with ${h.bitsAllocated} bits per sample are not supported`, { file: h.file });
  try {
    if (info.codec === 'native' && !info.deflated && h.samplesPerPixel === 1) await placeNative(h, info, frames, target);
    else await placeParsed(h, info, frames, target);
  } catch (e) {
    throw fsError(e, h.file); // RachisErrors pass through; a file that vanished or became unreadable is typed
  }
}
