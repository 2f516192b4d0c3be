/**
 * Compressed-frame decoding through dcmjs-codecs (one WebAssembly module with libjpeg-turbo,
 * CharLS, OpenJPEG, OpenJPH and an RLE codec). The module is loaded lazily, once.
 */
import dcmjsCodecs from 'dcmjs-codecs';
import { RachisError } from '../core/errors.js';
import type { PixelCodec } from './transfer-syntax.js';

const { NativeCodecs, Context } = dcmjsCodecs;

let ready: Promise<void> | undefined;

/** Main-thread decode counters (frames, milliseconds), read by bench:io to say where J2K time goes. */
export const decodeTimings = { frames: 0, ms: 0 };

/** Loads the codec WebAssembly the first time it is needed. */
export function initCodecs(): Promise<void> {
  ready ??= NativeCodecs.isInitialized() ? Promise.resolve() : NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
  return ready;
}

export interface FrameFormat {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  samplesPerPixel: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  photometric: string;
}

const u16 = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u32 = (b: Uint8Array, i: number): number => u16(b, i) * 65536 + u16(b, i + 2);
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

/** Image size declared inside a JPEG / JPEG-LS / JPEG 2000 codestream, when it can be found. */
export function codestreamSize(codec: PixelCodec, b: Uint8Array): { width: number; height: number } | undefined {
  if (codec === 'j2k' || codec === 'htj2k') {
    const limit = Math.min(b.length - 20, 4096); // raw codestream, or after a few JP2 boxes
    for (let i = 0; i < limit; i++) {
      if (b[i] === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51) {
        const siz = i + 4;
        return { width: u32(b, siz + 4) - u32(b, siz + 12), height: u32(b, siz + 8) - u32(b, siz + 16) };
      }
    }
    return undefined;
  }
  if (codec === 'jpeg' || codec === 'jpegls') {
    let i = 2; // after SOI
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (JPEG_SOF.has(marker)) {
        const height = u16(b, i + 5);
        return height === 0 ? undefined : { width: u16(b, i + 7), height };
      }
      i += 2 + u16(b, i + 2);
    }
  }
  return undefined;
}

/** Rejects a codestream whose own size disagrees with Rows/Columns (decoders would trust the header and shear the image). */
export function checkCodestreamSize(codec: PixelCodec, encoded: Uint8Array, fmt: FrameFormat, file: string): void {
  const size = codestreamSize(codec, encoded);
  if (size && (size.width !== fmt.columns || size.height !== fmt.rows)) {
    throw new RachisError('MALFORMED', `${codec} codestream is ${size.width}×${size.height} but Columns×Rows imply ${fmt.columns}×${fmt.rows}`, { file });
  }
}

/**
 * Decodes one compressed frame to native little-endian samples (interleaved when RGB).
 * Colour JPEG/J2K comes back as RGB. Must be called after initCodecs() resolved.
 */
export function decodeFrame(codec: PixelCodec, encoded: Uint8Array, fmt: FrameFormat, file: string): Uint8Array {
  checkCodestreamSize(codec, encoded, fmt, file);
  const ctx = new Context({
    width: fmt.columns,
    height: fmt.rows,
    bitsAllocated: fmt.bitsAllocated,
    bitsStored: fmt.bitsStored,
    samplesPerPixel: fmt.samplesPerPixel,
    pixelRepresentation: fmt.pixelRepresentation,
    planarConfiguration: fmt.planarConfiguration,
    photometricInterpretation: fmt.photometric,
    encodedBuffer: encoded,
  });
  let out: InstanceType<typeof Context>;
  const t0 = performance.now();
  try {
    switch (codec) {
      case 'rle':
        out = NativeCodecs.decodeRle(ctx, {});
        break;
      case 'jpeg':
        out = NativeCodecs.decodeJpeg(ctx, { convertColorspaceToRgb: true });
        break;
      case 'jpegls':
        out = NativeCodecs.decodeJpegLs(ctx, {});
        break;
      case 'j2k':
        out = NativeCodecs.decodeJpeg2000(ctx, {});
        break;
      case 'htj2k':
        out = NativeCodecs.decodeHtJpeg2000(ctx, {});
        break;
      case 'native':
        return encoded;
    }
  } catch (cause) {
    throw new RachisError('MALFORMED', `${codec} frame could not be decoded (${String(cause instanceof Error ? cause.message : cause)})`, { file, cause });
  }
  const decoded = out.getDecodedBuffer();
  decodeTimings.frames++;
  decodeTimings.ms += performance.now() - t0;
  const expected = fmt.rows * fmt.columns * fmt.samplesPerPixel * (fmt.bitsAllocated / 8);
  // A codestream whose own dimensions disagree with Rows/Columns would silently shear the image.
  if (!decoded || decoded.length !== expected) {
    throw new RachisError('MALFORMED', `${codec} frame decoded to ${decoded?.length ?? 0} bytes, but Rows/Columns/BitsAllocated imply ${expected}`, { file });
  }
  return decoded;
}
