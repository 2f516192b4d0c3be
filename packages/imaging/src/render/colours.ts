/** Windowing and colour tables for rendered views. */

export type RGB = readonly [number, number, number];

/** CT window in HU. */
export interface CtWindow {
  readonly width: number;
  readonly level: number;
}

export const WINDOWS = {
  /** Bone window (W 1800 / L 400): cortex and trabecular bone distinguishable. */
  bone: { width: 1800, level: 400 },
  /**
   * Spine overview window (W 1000 / L 300): vertebral bodies stand out from the soft tissue even
   * when their marrow is low-density; the key views use it.
   */
  spine: { width: 1000, level: 300 },
  /** Soft-tissue window (W 400 / L 40). */
  softTissue: { width: 400, level: 40 },
} as const satisfies Record<string, CtWindow>;

/**
 * Window from the image itself (1st–99th percentile of the finite values), for images whose
 * values are not Hounsfield units (MR, unknown).
 */
export function autoWindow(data: ArrayLike<number>): CtWindow {
  const step = Math.max(1, Math.floor(data.length / 200_000));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) {
    const v = data[i]!;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return { width: 1, level: 0 };
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor((sample.length - 1) * 0.01)]!;
  const hi = sample[Math.floor((sample.length - 1) * 0.99)]!;
  return { width: Math.max(hi - lo, 1e-6), level: (hi + lo) / 2 };
}

/** Linear window to 0..255; NaN (outside the volume) → 0 (black). */
export function windowTo8bit(data: Float32Array, w: CtWindow): Uint8Array {
  if (!(w.width > 0) || !Number.isFinite(w.level)) throw new RangeError(`window width must be > 0 and level finite`);
  const lo = w.level - w.width / 2;
  const k = 255 / w.width;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) continue;
    const g = (v - lo) * k;
    out[i] = g <= 0 ? 0 : g >= 255 ? 255 : Math.round(g);
  }
  return out;
}

/**
 * A fixed table of 12 saturated colours that stay distinct from grey anatomy and from their
 * neighbours in the table (after Trubetskoy's "20 distinct colours", dark ones removed, purple lightened), so
 * consecutively numbered labels (adjacent vertebrae) always get different colours.
 */
const TABLE: readonly RGB[] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [67, 99, 216], [245, 130, 49], [170, 90, 240],
  [66, 212, 244], [240, 50, 230], [191, 239, 69], [250, 190, 212], [70, 153, 144], [220, 190, 255],
];

/** Colour of a label value (value 0 = background has none). */
export function labelColour(value: number): RGB {
  const n = TABLE.length;
  return TABLE[(((Math.round(value) - 1) % n) + n) % n]!;
}

/** A lighter tint of a colour, for text that must stay readable on dark anatomy. */
export function tint(c: RGB, towardWhite: number): RGB {
  const t = Math.min(1, Math.max(0, towardWhite));
  return [Math.round(c[0] + (255 - c[0]) * t), Math.round(c[1] + (255 - c[1]) * t), Math.round(c[2] + (255 - c[2]) * t)];
}

export function cssColour(c: RGB, alpha = 1): string {
  return alpha >= 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
}
