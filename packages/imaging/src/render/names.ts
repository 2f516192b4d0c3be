/**
 * Structure names (e.g. vertebra levels) beside each labelled structure in a view, spread
 * vertically so they never overlap, with a leader line back to the structure.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { cssColour, tint, type RGB } from './colours.js';
import { cleanText, fit, outlinedText } from './font.js';

export interface NameLayout {
  /** Image area size and its first row on the canvas. */
  width: number;
  height: number;
  top: number;
  pixelMm: number;
  /** Font size, line height and padding (px). */
  fs: number;
  lineH: number;
  pad: number;
  side: 'left' | 'right';
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

/** Draws with the context's current font. Structures under ~15 mm² in this view are not named. */
export function drawStructureNames(
  ctx: SKRSContext2D,
  labels: Float32Array,
  names: ReadonlyMap<number, string>,
  colourOf: (v: number) => RGB,
  lay: NameLayout,
): void {
  const { width: w, height: h, top, fs, lineH, pad } = lay;
  const minCount = Math.max(4, 15 / (lay.pixelMm * lay.pixelMm));
  const items = structures(labels, w)
    .filter((s) => s.count >= minCount && names.has(s.value))
    .sort((a, b) => a.row - b.row);
  const ys = spread(items.map((s) => s.row + top), lineH * 0.95, top + lineH / 2, top + h - lineH / 2);
  items.forEach((s, i) => {
    const gap = fs * 1.2;
    const room = { left: s.minCol - gap - pad, right: w - pad - s.maxCol - gap };
    const full = cleanText(names.get(s.value) ?? '', 60);
    const fullW = ctx.measureText(full).width;
    // Preferred side if the name fits there, else the side with more room; truncate only if neither fits.
    let left = lay.side === 'left';
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
    ctx.strokeStyle = cssColour(colourOf(s.value));
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(left ? tx + pad / 2 : tx - pad / 2, ty);
    ctx.lineTo(left ? s.minCol : s.maxCol, s.row + top);
    ctx.stroke();
    ctx.textAlign = left ? 'right' : 'left';
    outlinedText(ctx, text, tx, ty, textColour);
  });
}
