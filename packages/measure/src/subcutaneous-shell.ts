/**
 * Subcutaneous fat as a shell under the skin: cut the parts of a skin-grown fat region that leaked
 * through gaps in the abdominal wall. Rays are cast from the body's centroid; on each ray the shell
 * thickness is the distance from the skin to the first run of muscle-window tissue at least `wallRunMm`
 * long after the ray has entered fat (the wall). A gap lets a few rays run deep, so the thickness is
 * replaced by its median over ±`smoothDeg` of angle, and fat deeper than that (+ one pixel) is dropped.
 * Written by hand: no maintained JS package does polar profiling of a 2-D mask.
 */
import type { Image, Mask } from '@rachis/imaging';

export interface ShellOptions {
  /** Angular bins over 360°. */
  bins?: number;
  smoothDeg?: number;
  wallRunMm?: number;
}

/**
 * @param sat skin-grown fat (one slice, size [nx, ny, 1])
 * @param body body mask, fat / soft the fat- and muscle-window masks, barrier = bone (stops a ray)
 * @returns sat without the pixels deeper than the smoothed shell thickness
 */
export function limitToShell(sat: Mask, body: Mask, fat: Mask, soft: Mask, barrier: Image, o: ShellOptions = {}): Mask {
  const [nx, ny] = body.size;
  const sx = body.spacing[0], sy = body.spacing[1];
  const bins = o.bins ?? 360;
  const wallRunMm = o.wallRunMm ?? 4;
  let cx = 0, cy = 0, n = 0;
  body.data.forEach((b, i) => {
    if (!b) return;
    cx += (i % nx) * sx;
    cy += Math.floor(i / nx) * sy;
    n++;
  });
  if (n === 0) return sat;
  cx /= n;
  cy /= n;
  const rMax = Math.hypot(nx * sx, ny * sy);
  const step = Math.min(sx, sy) / 2;
  const at = (r: number, a: number): number => {
    const i = Math.round((cx + r * Math.cos(a)) / sx), j = Math.round((cy + r * Math.sin(a)) / sy);
    return i < 0 || j < 0 || i >= nx || j >= ny ? -1 : j * nx + i;
  };
  const skinR = new Float64Array(bins);
  const thickness = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const a = (2 * Math.PI * (b + 0.5)) / bins;
    let entry = -1, inFat = false, runStart = -1, t = 0;
    for (let r = rMax; r >= 0; r -= step) {
      const p = at(r, a);
      if (p < 0) continue;
      if (entry < 0) {
        if (body.data[p]) entry = r;
        else continue;
      }
      if (barrier.data[p]) break;
      if (fat.data[p]) {
        inFat = true;
        runStart = -1;
        t = entry - r;
      } else if (inFat && soft.data[p]) {
        if (runStart < 0) runStart = r;
        if (runStart - r >= wallRunMm) break;
      } else runStart = -1;
    }
    skinR[b] = entry;
    thickness[b] = t;
  }
  const half = Math.round(((o.smoothDeg ?? 20) / 360) * bins);
  const smooth = Float64Array.from(thickness, (_, b) => {
    const w: number[] = [];
    for (let d = -half; d <= half; d++) w.push(thickness[(b + d + bins) % bins]!);
    w.sort((x, y) => x - y);
    return w[w.length >> 1]!;
  });
  const tol = Math.max(sx, sy);
  return {
    ...sat,
    data: sat.data.map((s, i) => {
      if (!s) return 0;
      const dx = (i % nx) * sx - cx, dy = Math.floor(i / nx) * sy - cy;
      const b = Math.floor(((Math.atan2(dy, dx) + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI) * bins) % bins;
      return skinR[b]! - Math.hypot(dx, dy) <= smooth[b]! + tol ? 1 : 0;
    }),
  };
}
