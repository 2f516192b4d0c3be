/**
 * Long fused runs: thoracic discs are thin (3–5 mm), and on a 2 mm grid several thoracic bodies
 * can come out as one column of bone, in both detections, with no plain cores to divide it and,
 * when the run is cut by the field of view, no far end to test a single cut against. Such a run
 * is cut at every disc along its own column profile (the mean HU of its central voxels per
 * column step; `discPositions`).
 */
import { bodyFromVoxels, columnHeight } from './bodies.js';
import type { Body } from './bodies.js';
import { quantile } from './stats.js';
import type { WorkGrid } from './grid.js';

/** What the body cuts read of the work grid (tests pass a bare grid). */
type Grid = Pick<WorkGrid, 'nx' | 'ny' | 'nz' | 'sp' | 'hu'>;

/** A body at least this many typical heights tall is a run of fused bodies. */
const RUN_HEIGHTS = 2.2;
/** Only voxels within this many mm of the run's local left-right centre decide (not the ribs' heads). */
const CENTRAL_MM = 12;
/** A disc is this much (HU) darker than the brighter endplate layer on each side, and darker than the run. */
const DISC_CONTRAST_HU = 30;
const DISC_BELOW_MEAN_HU = 15;
/** Height of a typical adult thoracolumbar vertebral body (mm), the scale when the scan shows no whole body. */
const TYPICAL_BODY_MM = 25;
/** An unresolved thin disc: the blurred endplate pair stands this much (HU) above the marrow on both sides. */
const ENDPLATE_BAND_HU = 40;

/**
 * Cut every body at least `RUN_HEIGHTS` typical heights tall (typical = median column height of
 * the bodies not cut by the field of view) at its discs, spaced at least 0.45 typical
 * heights apart. The caudal-most body is left alone: a tall body at the bottom is usually the
 * sacrum, whose fused segments are one bone. Bodies sorted cranial → caudal in and out.
 */
export function splitLongRuns(bodies: Body[], g: Grid, columnPos: (p: number) => number): Body[] {
  const typical = quantile(bodies.filter((b) => !b.truncated).map(columnHeight), 0.5);
  if (typical === undefined) return splitLoneBody(bodies, g, columnPos);
  const out: Body[] = [];
  bodies.forEach((b, bi) => {
    const parts = bi < bodies.length - 1 && columnHeight(b) >= RUN_HEIGHTS * typical ? cutRun(b, typical, g, columnPos) : undefined;
    out.push(...(parts ?? [b]));
  });
  return out.sort((a, b) => b.centroid[2] - a.centroid[2]);
}

/**
 * The caudal-most body, which `splitLongRuns` leaves whole, cut at its discs once the vertebra
 * instances show that it is not the sacrum (no alae, no ilium reached): then it is a run of
 * lumbar bodies whose discs the bone threshold did not resolve. Cut by the bottom of the scan it
 * needs only 1.4 typical heights (as `splitLoneBody`): its visible part may be any fraction of
 * the last level. Returns the new list (cranial → caudal), or undefined when nothing is cut.
 */
export function splitCaudalRun(bodies: Body[], g: Grid, columnPos: (p: number) => number): Body[] | undefined {
  const last = bodies.at(-1);
  const typical = quantile(bodies.filter((b) => !b.truncated).map(columnHeight), 0.5);
  if (!last || typical === undefined) return undefined;
  const cutAtBottom = last.truncated && last.k0 <= 0;
  if (columnHeight(last) < (cutAtBottom ? 1.4 : RUN_HEIGHTS) * typical) return undefined;
  const parts = cutRun(last, typical, g, columnPos);
  return parts && [...bodies.slice(0, -1), ...parts.sort((a, b) => b.centroid[2] - a.centroid[2])];
}

/**
 * A scan shorter than about two vertebrae shows no whole body to take a height from, and its one
 * body spans the whole scan. If that body is at least 1.4 typical adult thoracolumbar body
 * heights (25 mm) tall, it may hold a disc, and is cut where its profile shows one.
 */
function splitLoneBody(bodies: Body[], g: Grid, columnPos: (p: number) => number): Body[] {
  const b = bodies[0];
  if (bodies.length !== 1 || !b || b.k0 > 0 || b.k1 < g.nz - 1) return bodies;
  const typical = TYPICAL_BODY_MM / g.sp;
  if (columnHeight(b) < 1.4 * typical) return bodies;
  return (cutRun(b, typical, g, columnPos) ?? [b]).sort((x, y) => y.centroid[2] - x.centroid[2]);
}

/**
 * The disc positions (column steps) of one run's profile. A disc wider than about two grid steps
 * is resolved: a minimum clearly darker than the endplate layers on both sides. A thin
 * (thoracic) disc is not: its two endplates blur into one bright band between the darker
 * marrow of the two bodies, so a peak that stands clearly above the marrow on both sides also
 * marks a disc. Both kinds are ranked together by how far they stand out (a minimum's depth below
 * its endplates, a band's height above the marrow), and cuts stay at least 0.45 typical heights
 * apart: beside a thin disc's band the marrow often dips, and that dip, ranked first, would cut
 * the body in its middle and hide the disc next to it.
 */
export function discPositions(raw: Float64Array, typical: number): number[] {
  const n = raw.length;
  let sum = 0;
  let cnt = 0;
  for (const v of raw) {
    if (Number.isNaN(v)) continue;
    sum += v;
    cnt++;
  }
  const mean = cnt ? sum / cnt : NaN;
  // A resolved disc can be one step thin: minima are read unsmoothed. The blurred endplate band
  // is read smoothed over three steps, so that one bright step of noise is not a band.
  const smooth = Float64Array.from(raw, (v, s) => {
    const a = raw[s - 1] ?? NaN;
    const c = raw[s + 1] ?? NaN;
    return Number.isNaN(a) || Number.isNaN(c) || Number.isNaN(v) ? v : (a + 2 * v + c) / 4;
  });
  const at = (p: Float64Array, s: number): number => (s >= 0 && s < n ? p[s]! : NaN);
  const extreme = (p: Float64Array, from: number, to: number, sign: 1 | -1): number => {
    let m = -Infinity;
    for (let s = from; s <= to; s++) if (!Number.isNaN(at(p, s))) m = Math.max(m, sign * at(p, s));
    return sign * m;
  };
  const reach = Math.max(2, Math.round(0.2 * typical));
  const margin = Math.max(2, Math.round(0.35 * typical));
  const half = Math.max(3, Math.round(0.4 * typical));
  const minima: { s: number; score: number }[] = [];
  const peaks: { s: number; score: number }[] = [];
  for (let s = margin; s < n - margin; s++) {
    const v = at(raw, s);
    if (!Number.isNaN(v) && v <= mean - DISC_BELOW_MEAN_HU && !(at(raw, s - 1) < v) && !(at(raw, s + 1) < v)) {
      // Endplates lie one to four steps away on both sides.
      const depth = Math.min(extreme(raw, s - 4, s - 1, 1), extreme(raw, s + 1, s + 4, 1)) - v;
      if (depth >= DISC_CONTRAST_HU) minima.push({ s, score: depth });
    }
    const w = at(smooth, s);
    let isMax = !Number.isNaN(w);
    for (let d = 1; d <= reach && isMax; d++) if (at(smooth, s - d) > w || at(smooth, s + d) > w) isMax = false;
    // An unresolved disc shows marrow on both sides: near the end of the run that cannot be seen,
    // and a bright band there may be the last body's own endplate at the edge of the scan.
    if (isMax && s - half >= 0 && s + half < n) {
      const prominence = w - Math.max(extreme(smooth, s - half, s - 1, -1), extreme(smooth, s + 1, s + half, -1));
      if (prominence >= ENDPLATE_BAND_HU) peaks.push({ s, score: prominence });
    }
  }
  const chosen: number[] = [];
  const ranked = [...minima, ...peaks].sort((x, y) => y.score - x.score);
  for (const c of ranked) if (chosen.every((x) => Math.abs(x - c.s) >= 0.45 * typical)) chosen.push(c.s);
  return chosen.sort((x, y) => x - y);
}

function cutRun(b: Body, typical: number, g: Grid, columnPos: (p: number) => number): Body[] | undefined {
  const { nx, sp, hu } = g;
  const len = b.s1 - b.s0 + 1;
  // Left-right centre per column step (the run may bend), then the central voxels' mean HU.
  const sx = new Float64Array(len);
  const cx = new Float64Array(len);
  const pos = new Int32Array(b.voxels.length);
  b.voxels.forEach((p, v) => {
    const s = columnPos(p) - b.s0;
    pos[v] = s;
    sx[s]! += p % nx;
    cx[s]! += 1;
  });
  const sum = new Float64Array(len);
  const cnt = new Float64Array(len);
  b.voxels.forEach((p, v) => {
    const s = pos[v]!;
    if (Math.abs((p % nx) - sx[s]! / cx[s]!) * sp > CENTRAL_MM) return;
    sum[s]! += hu[p]!;
    cnt[s]! += 1;
  });
  const maxCnt = Math.max(...cnt);
  // Steps that graze the run (a few voxels) are not a cross-section.
  const raw = Float64Array.from(sum, (x, s) => (cnt[s]! >= 0.3 * maxCnt ? x / cnt[s]! : NaN));
  const cuts = discPositions(raw, typical);
  if (cuts.length === 0) return undefined;
  const groups: number[][] = cuts.map(() => []);
  groups.push([]);
  b.voxels.forEach((p, v) => {
    const s = pos[v]!;
    // The disc step itself belongs to neither body.
    if (cuts.includes(s)) return;
    let gi = 0;
    while (gi < cuts.length && s > cuts[gi]!) gi++;
    groups[gi]!.push(p);
  });
  const parts = groups.filter((x) => x.length > 0).map((x) => bodyFromVoxels(Int32Array.from(x), g, columnPos));
  return parts.length > 1 ? parts : undefined;
}
