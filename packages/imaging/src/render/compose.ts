/**
 * Turns a reformatted view into a picture a radiologist can read: windowed grey image,
 * coloured label overlay (alpha blend + outline), structure names beside each label,
 * a header with title lines and legend, orientation letters and a scale bar.
 * Compositing and text use @napi-rs/canvas (Skia); the result is plain RGB.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import type { Image2D } from './reformat.js';
import { cssColour, labelColour, tint, windowTo8bit, WINDOWS, type CtWindow, type RGB } from './colours.js';
import { cleanText, ensureFont } from './font.js';

/** An 8-bit RGB picture, rows top to bottom, 3 bytes per pixel (ready for a DICOM Secondary Capture). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
  /** Size (mm) of one image pixel in the anatomy area. */
  readonly pixelMm: number;
  /** First row of the anatomy area (rows above it hold the header and the top letter). */
  readonly imageTop: number;
  /** Rows of the anatomy area. */
  readonly imageHeight: number;
}

export interface LegendEntry {
  readonly value: number;
  readonly name: string;
  readonly colour?: RGB;
}

export interface ComposeOptions {
  window?: CtWindow;
  /** Label values on the view's grid (same length as the image), 0 = none. */
  labels?: Float32Array;
  /** Names drawn beside labelled structures; a label without a name gets no text. */
  labelNames?: ReadonlyMap<number, string>;
  /** Colour per label value; default: the fixed label colour table. */
  colours?: ReadonlyMap<number, RGB>;
  /** Fill opacity of the overlay, 0..1 (default 0.25). */
  overlayAlpha?: number;
  /** Draw a 1-pixel outline in full colour around each label (default true). */
  outline?: boolean;
  /** Side of each structure its name goes on (default 'left'). */
  labelSide?: 'left' | 'right';
  /** Header lines; the first is drawn bold. */
  title?: readonly string[];
  legend?: readonly LegendEntry[];
}

function outlinedText(ctx: SKRSContext2D, text: string, x: number, y: number, fill: string): void {
  ctx.lineJoin = 'round';
  ctx.strokeStyle = 'rgba(0,0,0,0.9)';
  ctx.lineWidth = Math.max(2, Math.round(parseFloat(ctx.font.replace(/^\D*/, '')) / 5));
  ctx.strokeText(text, x, y);
  ctx.fillStyle = fill;
  ctx.fillText(text, x, y);
}

/** Truncate with an ellipsis until the text fits `maxPx`. */
function fit(ctx: SKRSContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let cps = Array.from(text);
  while (cps.length > 1 && ctx.measureText(cps.join('') + '…').width > maxPx) cps = cps.slice(0, Math.floor(cps.length * 0.9));
  return cps.join('') + '…';
}

interface Structure { value: number; count: number; col: number; row: number; minCol: number; maxCol: number }

function structures(labels: Float32Array, width: number): Structure[] {
  const by = new Map<number, Structure>();
  for (let p = 0; p < labels.length; p++) {
    const v = labels[p]!;
    if (!(v > 0)) continue;
    const c = p % width;
    const r = (p - c) / width;
    let s = by.get(v);
    if (!s) by.set(v, (s = { value: v, count: 0, col: 0, row: 0, minCol: c, maxCol: c }));
    s.count++;
    s.col += c;
    s.row += r;
    if (c < s.minCol) s.minCol = c;
    if (c > s.maxCol) s.maxCol = c;
  }
  return [...by.values()].map((s) => ({ ...s, col: s.col / s.count, row: s.row / s.count }));
}

/** Grey image with the label overlay blended in, as RGBA for the canvas. */
function blend(img: Image2D, opts: ComposeOptions, colourOf: (v: number) => RGB): Uint8ClampedArray {
  const { width: w, height: h } = img;
  const grey = windowTo8bit(img.data, opts.window ?? WINDOWS.bone);
  const rgba = new Uint8ClampedArray(w * h * 4);
  const labels = opts.labels;
  const alpha = Math.min(1, Math.max(0, opts.overlayAlpha ?? 0.25));
  const outline = opts.outline ?? true;
  for (let p = 0; p < w * h; p++) {
    const g = grey[p]!;
    let r = g, gg = g, b = g;
    const v = labels ? labels[p]! : 0;
    if (v > 0) {
      const c = colourOf(v);
      const col = p % w;
      const edge =
        outline &&
        ((col > 0 && labels![p - 1] !== v) || (col < w - 1 && labels![p + 1] !== v) ||
          (p >= w && labels![p - w] !== v) || (p + w < w * h && labels![p + w] !== v));
      const a = edge ? 1 : alpha;
      r = g + (c[0] - g) * a;
      gg = g + (c[1] - g) * a;
      b = g + (c[2] - g) * a;
    }
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = gg;
    rgba[p * 4 + 2] = b;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** Spread label y positions so they are at least `gap` apart and inside [lo, hi]. */
function spread(ys: number[], gap: number, lo: number, hi: number): number[] {
  const out = ys.map((y) => Math.min(hi, Math.max(lo, y)));
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]! + gap);
  for (let i = out.length - 1; i >= 0; i--) {
    const limit = i === out.length - 1 ? hi : out[i + 1]! - gap;
    out[i] = Math.min(out[i]!, limit);
  }
  return out;
}

/** Break text into lines of at most `maxPx` at spaces; at most `maxLines`, the last one truncated. */
function wrap(ctx: SKRSContext2D, text: string, maxPx: number, maxLines: number): string[] {
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

/**
 * Layout, top to bottom: header (title lines, legend), a band with the top orientation
 * letter, the image, a band with the bottom letter and the scale bar. Only the structure
 * names and the left/right letters are drawn over the anatomy.
 */
export function composeView(img: Image2D, opts: ComposeOptions = {}): RgbImage {
  const family = ensureFont();
  const colourOf = (v: number): RGB => opts.colours?.get(v) ?? labelColour(v);
  const { width: w, height: h } = img;
  const fs = Math.max(12, Math.min(22, Math.round(Math.max(w, 360) / 40)));
  const font = (bold: boolean, size = fs): string => `${bold ? 'bold ' : ''}${size}px "${family}"`;
  const lineH = Math.round(fs * 1.35);
  const pad = Math.round(fs * 0.5);

  // Header layout: wrapped title lines (first bold), then legend entries flowing in rows.
  const measure = createCanvas(8, 8).getContext('2d');
  const titleLines: { text: string; bold: boolean }[] = [];
  (opts.title ?? []).map((t) => cleanText(t, 300)).filter((t) => t.length > 0).forEach((t, i) => {
    measure.font = font(i === 0);
    for (const line of wrap(measure, t, w - 2 * pad, 3)) titleLines.push({ text: line, bold: i === 0 });
  });
  const legendItems = (opts.legend ?? []).map((e) => ({ ...e, name: cleanText(e.name, 60) }));
  measure.font = font(false);
  const legendRows: { x: number; e: (typeof legendItems)[number]; text: string }[][] = [];
  let x = pad;
  for (const e of legendItems) {
    const text = fit(measure, e.name, w - 3 * pad - fs);
    const itemW = fs + pad / 2 + measure.measureText(text).width + pad * 1.5;
    if (legendRows.length === 0 || x + itemW > w) {
      legendRows.push([]);
      x = pad;
    }
    legendRows[legendRows.length - 1]!.push({ x, e, text });
    x += itemW;
  }
  const headerLines = titleLines.length + legendRows.length;
  const headerH = headerLines > 0 ? headerLines * lineH + pad : 0;
  const band = lineH;
  const top = headerH + band;
  const totalH = top + h + band;

  const canvas = createCanvas(w, totalH);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, w, totalH);
  const pixels = ctx.createImageData(w, h);
  pixels.data.set(blend(img, opts, colourOf));
  ctx.putImageData(pixels, 0, top);
  ctx.textBaseline = 'middle';

  // Header.
  ctx.textAlign = 'left';
  titleLines.forEach((t, i) => {
    ctx.font = font(t.bold);
    ctx.fillStyle = t.bold ? 'white' : 'rgb(220,220,220)';
    ctx.fillText(t.text, pad, pad / 2 + lineH * (i + 0.5));
  });
  ctx.font = font(false);
  legendRows.forEach((row, ri) => {
    const y = pad / 2 + lineH * (titleLines.length + ri + 0.5);
    for (const { x: lx, e, text } of row) {
      ctx.fillStyle = cssColour(e.colour ?? colourOf(e.value));
      ctx.fillRect(lx, y - fs / 2, fs, fs);
      ctx.fillStyle = 'white';
      ctx.textAlign = 'left';
      ctx.fillText(text, lx + fs + pad / 2, y);
    }
  });

  // Structure names beside each labelled structure, with leader lines to it.
  if (opts.labels && opts.labelNames && opts.labelNames.size > 0) {
    const names = opts.labelNames;
    const minCount = Math.max(4, 15 / (img.pixelMm * img.pixelMm));
    const items = structures(opts.labels, w)
      .filter((s) => s.count >= minCount && names.has(s.value))
      .sort((a, b) => a.row - b.row);
    ctx.font = font(true);
    const ys = spread(items.map((s) => s.row + top), lineH * 0.95, top + lineH / 2, top + h - lineH / 2);
    items.forEach((s, i) => {
      const gap = fs * 1.2;
      const room = { left: s.minCol - gap - pad, right: w - pad - s.maxCol - gap };
      const full = cleanText(names.get(s.value) ?? '', 60);
      const fullW = ctx.measureText(full).width;
      // Preferred side if the name fits there, else the side with more room; truncate only if neither fits.
      let left = (opts.labelSide ?? 'left') === 'left';
      if (fullW > (left ? room.left : room.right)) left = room.left >= room.right;
      const ty = ys[i]!;
      const textColour = cssColour(tint(colourOf(s.value), 0.4));
      if (Math.max(room.left, room.right) < Math.min(fullW, w / 4)) {
        // A structure spanning the image (ribs, body outline): name it on itself, no leader.
        ctx.textAlign = 'center';
        outlinedText(ctx, fit(ctx, full, w / 2), Math.min(w - pad - w / 4, Math.max(pad + w / 4, s.col)), ty, textColour);
        return;
      }
      const text = fit(ctx, full, Math.max(w / 4, left ? room.left : room.right));
      const tw = ctx.measureText(text).width;
      const tx = left ? Math.max(pad + tw, s.minCol - gap) : Math.min(w - pad - tw, s.maxCol + gap);
      const colour = cssColour(colourOf(s.value));
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(left ? tx + pad / 2 : tx - pad / 2, ty);
      ctx.lineTo(left ? s.minCol : s.maxCol, s.row + top);
      ctx.stroke();
      ctx.textAlign = left ? 'right' : 'left';
      outlinedText(ctx, text, tx, ty, textColour);
    });
  }

  // Orientation letters: left/right at mid-height on the image, top/bottom in the bands.
  ctx.font = font(true);
  const e = img.edges;
  ctx.textAlign = 'left';
  outlinedText(ctx, e.left, pad, top + h / 2, 'white');
  ctx.textAlign = 'right';
  outlinedText(ctx, e.right, w - pad, top + h / 2, 'white');
  ctx.textAlign = 'center';
  ctx.fillStyle = 'white';
  ctx.fillText(e.top, w / 2, headerH + band / 2);
  ctx.fillText(e.bottom, w / 2, top + h + band / 2);

  // Scale bar in the bottom band: a round length close to a fifth of the width.
  const target = (w * img.pixelMm) / 5;
  const nice = [1, 2, 5, 10, 20, 50, 100, 200, 500].filter((n) => n <= target).pop() ?? 1;
  const barPx = nice / img.pixelMm;
  const by = top + h + band / 2 + fs / 4;
  ctx.strokeStyle = 'white';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(pad, by - fs / 2);
  ctx.lineTo(pad, by);
  ctx.lineTo(pad + barPx, by);
  ctx.lineTo(pad + barPx, by - fs / 2);
  ctx.stroke();
  ctx.font = font(false, Math.round(fs * 0.85));
  ctx.textAlign = 'left';
  ctx.fillText(`${nice} mm`, pad + barPx + pad / 2, by - fs / 4);

  const rgba = ctx.getImageData(0, 0, w, totalH).data;
  const rgb = new Uint8Array(w * totalH * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p]!;
    rgb[q + 1] = rgba[p + 1]!;
    rgb[q + 2] = rgba[p + 2]!;
  }
  return { width: w, height: totalH, rgb, pixelMm: img.pixelMm, imageTop: top, imageHeight: h };
}

/** Encode an RGB image as an 8-bit RGB PNG. */
export function encodePng(img: Pick<RgbImage, 'width' | 'height' | 'rgb'>): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength);
  // A fixed Paeth filter: same size as pngjs's adaptive choice here, several times faster.
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 4 });
}
