/**
 * Plain 2-D images (PNG via pngjs, JPEG via jpeg-js), e.g. an exported X-ray, as a single-slice
 * Volume. Colour becomes luminance (Rec. 601); 16-bit PNG stays 16-bit. Such files carry no
 * patient geometry, so spacing is 1 mm and the volume says so in meta.warnings.
 */
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import type { Volume } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { readFileTyped } from './files.js';

/** Largest 2-D image we decode (pixels); RGBA decoding needs 4–8 bytes per pixel. */
export const MAX_2D_PIXELS = 100_000_000;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(buf: Uint8Array): boolean {
  return PNG_MAGIC.every((b, i) => buf[i] === b);
}

export function isJpeg(buf: Uint8Array): boolean {
  return buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

interface Rgba {
  width: number;
  height: number;
  /** RGBA interleaved, 8- or 16-bit. */
  data: ArrayLike<number>;
  sixteenBit: boolean;
}

function decodePng(buf: Buffer, file: string): Rgba {
  if (buf.length < 33) throw new RachisError('TRUNCATED', 'PNG too short for its header', { file });
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_2D_PIXELS) {
    throw new RachisError('ABSURD_DIMENSIONS', `PNG of ${width}×${height} pixels`, { file });
  }
  try {
    const png = pngjs.PNG.sync.read(buf, { skipRescale: true });
    return { width: png.width, height: png.height, data: png.data, sixteenBit: png.depth === 16 };
  } catch (e) {
    const msg = (e as Error).message;
    const code = /unexpected end|too short|premature|truncat/i.test(msg) ? 'TRUNCATED' : 'MALFORMED';
    throw new RachisError(code, `cannot decode PNG (${msg})`, { file, cause: e });
  }
}

function decodeJpeg(buf: Buffer, file: string): Rgba {
  try {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_2D_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { width: img.width, height: img.height, data: img.data, sixteenBit: false };
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const code = /maxResolutionInMP|maxMemoryUsage/i.test(msg) ? 'ABSURD_DIMENSIONS' : /end|eof|truncat|out of bound/i.test(msg) ? 'TRUNCATED' : 'MALFORMED';
    throw new RachisError(code, `cannot decode JPEG (${msg})`, { file, cause: e });
  }
}

/** PNG/JPEG (e.g. an X-ray) as a single-slice volume. */
export async function readImage2D(path: string): Promise<Volume> {
  const buf = await readFileTyped(path);
  const rgba = isPng(buf) ? decodePng(buf, path) : isJpeg(buf) ? decodeJpeg(buf, path) : undefined;
  if (!rgba) throw new RachisError('UNSUPPORTED_FORMAT', 'not a PNG or JPEG file', { file: path });
  const n = rgba.width * rgba.height;
  if (rgba.data.length < 4 * n) throw new RachisError('TRUNCATED', 'decoded image is shorter than its size', { file: path });
  const out = rgba.sixteenBit ? new Uint16Array(n) : new Uint8Array(n);
  let colour = false;
  for (let p = 0, q = 0; p < n; p++, q += 4) {
    const r = rgba.data[q]!;
    const g = rgba.data[q + 1]!;
    const b = rgba.data[q + 2]!;
    if (r === g && g === b) out[p] = r;
    else {
      colour = true;
      out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  const warnings = ['2-D image without patient geometry: spacing 1 mm and identity orientation assumed'];
  if (colour) warnings.push('colour image converted to luminance');
  return {
    size: [rgba.width, rgba.height, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data: out,
    meta: { source: path, warnings },
  };
}
