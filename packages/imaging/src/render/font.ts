/**
 * Text for rendered views is drawn by @napi-rs/canvas (Skia) with DejaVu Sans loaded from the
 * dejavu-fonts-ttf npm package, so the pictures look the same on every machine whether or not
 * the system has fonts installed.
 */
import { GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
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

/** Text with a dark outline, readable on any anatomy. */
export function outlinedText(ctx: SKRSContext2D, text: string, x: number, y: number, fill: string): void {
  ctx.lineJoin = 'round';
  ctx.strokeStyle = 'rgba(0,0,0,0.9)';
  ctx.lineWidth = Math.max(2, Math.round(parseFloat(ctx.font.replace(/^\D*/, '')) / 5));
  ctx.strokeText(text, x, y);
  ctx.fillStyle = fill;
  ctx.fillText(text, x, y);
}

/** Truncate with an ellipsis until the text fits `maxPx`. */
export function fit(ctx: SKRSContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let cps = Array.from(text);
  while (cps.length > 1 && ctx.measureText(cps.join('') + '…').width > maxPx) cps = cps.slice(0, Math.floor(cps.length * 0.9));
  return cps.join('') + '…';
}

/** Break text into lines of at most `maxPx` at spaces; at most `maxLines`, the last one truncated. */
export function wrap(ctx: SKRSContext2D, text: string, maxPx: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > 0 && lines.length < maxLines) {
    if (ctx.measureText(rest).width <= maxPx || lines.length === maxLines - 1) {
      lines.push(fit(ctx, rest, maxPx));
      break;
    }
    const words = rest.split(' ');
    let n = 1;
    while (n < words.length && ctx.measureText(words.slice(0, n + 1).join(' ')).width <= maxPx) n++;
    const line = words.slice(0, n).join(' ');
    lines.push(fit(ctx, line, maxPx));
    rest = words.slice(n).join(' ').trim();
  }
  return lines;
}
