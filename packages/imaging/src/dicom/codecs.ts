/**
 * Compressed-frame decoding through dcmjs-codecs (one WebAssembly module with libjpeg-turbo,
 * CharLS, OpenJPEG, OpenJPH and an RLE codec). The module is loaded lazily, once.
 */
import dcmjsCodecs from 'dcmjs-codecs';
import { RachisError } from '../core/errors.js';
import type { PixelCodec } from './transfer-syntax.js';

const { NativeCodecs, Context } = dcmjsCodecs;

let ready: Promise<void> | undefined;

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

/**
 * Decodes one compressed frame to native little-endian samples (interleaved when RGB).
 * Colour JPEG/J2K comes back as RGB. Must be called after initCodecs() resolved.
 */
export function decodeFrame(codec: PixelCodec, encoded: Uint8Array, fmt: FrameFormat, file: string): Uint8Array {
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
  const expected = fmt.rows * fmt.columns * fmt.samplesPerPixel * (fmt.bitsAllocated / 8);
  if (!decoded || decoded.length < expected) {
    throw new RachisError('MALFORMED', `${codec} frame decoded to ${decoded?.length ?? 0} bytes, expected ${expected}`, { file });
  }
  return decoded.length === expected ? decoded : decoded.subarray(0, expected);
}
