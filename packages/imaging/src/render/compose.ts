/**
 * Turns a reformatted view into a picture a radiologist can read: windowed grey image,
 * coloured label overlay (alpha blend + outline), structure names beside each label,
 * a header with title lines and legend, orientation letters and a scale bar.
 * Compositing and text use @napi-rs/canvas (Skia); the result is plain RGB.
 */
import { createCanvas } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import type { Image2D } from './reformat.js';
import { cssColour, labelColour, windowTo8bit, WINDOWS, type CtWindow, type RGB } from './colours.js';
import { cleanText, ensureFont, fit, outlinedText, wrap } from './font.js';
import { drawStructureNames } from './names.js';

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
    ctx.font = font(true);
    drawStructureNames(ctx, opts.labels, opts.labelNames, colourOf, {
      width: w, height: h, top, pixelMm: img.pixelMm, fs, lineH, pad, side: opts.labelSide ?? 'left',
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
