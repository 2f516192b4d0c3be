/**
 * Text for rendered views is drawn by @napi-rs/canvas (Skia) with DejaVu Sans loaded from the
 * dejavu-fonts-ttf npm package, so the pictures look the same on every machine whether or not
 * the system has fonts installed.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FAMILY = 'Rachis DejaVu Sans';
let registered = false;

export function ensureFont(): string {
  if (registered) return FONT_FAMILY;
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  GlobalFonts.registerFromPath(join(dir, 'DejaVuSans.ttf'), FONT_FAMILY);
  GlobalFonts.registerFromPath(join(dir, 'DejaVuSans-Bold.ttf'), FONT_FAMILY);
  registered = true;
  return FONT_FAMILY;
}

/** Text safe to draw: no control characters, at most `max` code points. */
export function cleanText(s: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const flat = String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const cps = Array.from(flat);
  return cps.length > max ? cps.slice(0, max - 1).join('') + '…' : flat;
}
