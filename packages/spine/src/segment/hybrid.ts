/**
 * Two body detections, each right where the other fails. The plain one (3-D filled bone ≥ 150 HU)
 * separates bodies at every disc, even a tilted one, but loses low-density bodies whose marrow is
 * below the bone threshold: their hollow shells break up or fuse across a thin disc. The
 * ring-filled one counts marrow enclosed by the axial cortical ring, so low-density bodies come
 * out whole, but a tilted disc (L5/S1) is enclosed by the rings of the bodies above and below it
 * and the two bodies fuse. Here the ring bodies are kept and any ring body about two bodies tall
 * that holds the cores of two or more plain bodies at different levels is divided between them
 * (nearest core through the ring body), so the disc that the plain detection saw is honoured.
 * First, though, such a body is cut at its darkest plane (`splitAtDiscPlane`), which finds a
 * tilted disc that the plain detection also bridged.
 */
import { quantile } from './stats.js';
import type { WorkGrid } from './grid.js';
import type { Vec3 } from '@rachis/imaging';
import { bodyFromVoxels, bodyWidthMm, columnHeight } from './bodies.js';
import type { Body } from './bodies.js';

/** What the body cuts read of the work grid (tests pass a bare grid). */
type Grid = Pick<WorkGrid, 'nx' | 'ny' | 'nz' | 'sp' | 'hu'>;

/** Height along the column over left-right width above which a body may be two fused bodies. */
const FUSED_HEIGHT_PER_WIDTH = 0.9;

/** Sagittal (about the left axis) and coronal tilts searched for a disc plane, degrees. */
const SAGITTAL_TILTS = [-50, -45, -40, -35, -30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
const CORONAL_TILTS = [-15, -10, -5, 0, 5, 10, 15];
/** Only the central part of the body (± mm left-right of its centroid) decides: sacral alae and
 * transverse processes are not disc. */
const CENTRAL_MM = 15;

/**
 * Cut a body about two bodies tall at its disc: the plane (sagittal tilt ±50°, coronal ±15°)
 * through the body that is darkest relative to the brighter of the layers 2–6 mm on either side
 * (a disc lies between two endplates; low-density marrow at mid-body does not), with at least a
 * third of the body on each side. (The ring fill put disc voxels between the two shells, so the
 * disc is inside the body.)
 * Returns the two parts, or undefined when no plane is clearly darker than the body.
 */
export function splitAtDiscPlane(b: Body, g: Grid): [Int32Array, Int32Array] | undefined {
  const { nx, ny, sp, hu } = g;
  const nxy = nx * ny;
  const n = b.voxels.length;
  const xs = new Float32Array(n * 3);
  let meanAll = 0;
  b.voxels.forEach((p, v) => {
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / nxy);
    xs[v * 3] = i * sp - b.centroid[0];
    xs[v * 3 + 1] = j * sp - b.centroid[1];
    xs[v * 3 + 2] = k * sp - b.centroid[2];
    meanAll += hu[p]!;
  });
  meanAll /= n;
  let best: { cost: number; dark: number; normal: Vec3; cut: number } | undefined;
  for (const th of SAGITTAL_TILTS) {
    for (const ph of CORONAL_TILTS) {
      const ct = Math.cos((th * Math.PI) / 180);
      const st = Math.sin((th * Math.PI) / 180);
      const cp = Math.cos((ph * Math.PI) / 180);
      const spn = Math.sin((ph * Math.PI) / 180);
      // Tilted from the patient's caudal axis (not the traced column, whose frame wanders where
      // the canal bends into the sacrum): sagittal about left-right, then coronal.
      const normal: Vec3 = [spn, st * cp, -ct * cp];
      // 1-voxel bins along the normal: HU sum and count.
      const h = new Float32Array(n);
      let lo = Infinity;
      let hi = -Infinity;
      for (let v = 0; v < n; v++) {
        const d = xs[v * 3]! * normal[0] + xs[v * 3 + 1]! * normal[1] + xs[v * 3 + 2]! * normal[2];
        h[v] = d;
        if (d < lo) lo = d;
        if (d > hi) hi = d;
      }
      const bins = Math.floor((hi - lo) / sp) + 1;
      const sum = new Float64Array(bins);
      const cnt = new Float64Array(bins);
      for (let v = 0; v < n; v++) {
        if (Math.abs(xs[v * 3]!) > CENTRAL_MM) continue;
        const bi = Math.floor((h[v]! - lo) / sp);
        sum[bi]! += hu[b.voxels[v]!]!;
        cnt[bi]! += 1;
      }
      const maxCnt = Math.max(...cnt);
      const total = cnt.reduce((a, x) => a + x, 0);
      let before = 0;
      for (let bi = 0; bi < bins; bi++) {
        before += cnt[bi]!;
        if (before - cnt[bi]! < total / 3 || before > (2 * total) / 3) continue;
        // Two bins wide, so a disc between two bins is not missed; a plane that only grazes the
        // body is not a disc.
        const c2 = cnt[bi]! + (cnt[bi + 1] ?? 0);
        if (c2 < 0.6 * maxCnt) continue;
        const dark = (sum[bi]! + (sum[bi + 1] ?? 0)) / c2;
        // A disc lies between two endplates a few mm away; marrow at mid-body does not.
        const m = (x: number): number => ((cnt[x] ?? 0) > 0.3 * maxCnt ? sum[x]! / cnt[x]! : -Infinity);
        const bright = Math.min(Math.max(m(bi - 1), m(bi - 2)), Math.max(m(bi + 2), m(bi + 3)));
        if (bright === -Infinity) continue;
        const cost = dark - bright;
        if (!best || cost < best.cost) best = { cost, dark, normal, cut: lo + (bi + 1) * sp };
      }
    }
  }
  // The disc must be darker than the body as a whole.
  if (!best || best.dark > meanAll - 15 || best.cost > -30) return undefined;
  const a: number[] = [];
  const c: number[] = [];
  const { normal, cut } = best;
  b.voxels.forEach((p, v) => {
    const d = xs[v * 3]! * normal[0] + xs[v * 3 + 1]! * normal[1] + xs[v * 3 + 2]! * normal[2];
    // normal points caudally (t): smaller d is the cranial part
    (d < cut ? a : c).push(p);
  });
  return [Int32Array.from(a), Int32Array.from(c)];
}

/**
 * `splitAtDiscPlane` as two bodies, accepted only when they are stacked along the column (centres
 * ≥ 0.4 of the height apart) and each holds ≥ 25 % of the voxels: a steep plane that halves one
 * low-density body front to back or side to side is not a disc.
 */
function cutAtDisc(b: Body, g: Grid, columnPos: (p: number) => number): [Body, Body] | undefined {
  const cut = splitAtDiscPlane(b, g);
  if (!cut) return undefined;
  const n = b.voxels.length;
  if (Math.min(cut[0].length, cut[1].length) < 0.25 * n) return undefined;
  const [a, c] = [bodyFromVoxels(cut[0], g, columnPos), bodyFromVoxels(cut[1], g, columnPos)];
  if (Math.abs(a.s0 + a.s1 - c.s0 - c.s1) / 2 < 0.4 * (columnHeight(b))) return undefined;
  return [a, c];
}

/**
 * Divide ring bodies that hold two or more plain bodies at different levels. `columnPos` gives a
 * voxel's position along the column (same units as Body.s0/s1). Plain bodies not inside any ring
 * body are kept as they are. Output sorted cranial → caudal.
 */
export function combineDetections(ring: readonly Body[], plain: readonly Body[], g: Grid, columnPos: (p: number) => number): Body[] {
  const owner = new Map<number, number>();
  ring.forEach((b, ri) => {
    for (const p of b.voxels) owner.set(p, ri);
  });
  const median = (v: number[]): number => quantile(v, 0.5) ?? 10;
  const medianHeight = median(plain.filter((b) => !b.truncated).map((b) => columnHeight(b)));
  // A typical body height: the smaller of the two detections' medians (fused pairs inflate the
  // ring median when many levels fused, vessels the plain one).
  const ringHeight = Math.min(medianHeight, median(ring.filter((b) => !b.truncated).map((b) => columnHeight(b))));
  // Plain bodies grouped by the ring body that holds most of them.
  const held: number[][] = ring.map(() => []);
  const orphans: Body[] = [];
  plain.forEach((b, pi) => {
    const votes = new Map<number, number>();
    for (const p of b.voxels) {
      const r = owner.get(p);
      if (r !== undefined) votes.set(r, (votes.get(r) ?? 0) + 1);
    }
    let best = -1;
    let bestN = 0;
    for (const [r, n] of votes) if (n > bestN) [best, bestN] = [r, n];
    if (best >= 0 && bestN >= 0.5 * b.voxels.length) held[best]!.push(pi);
    else if (bestN === 0) orphans.push(b);
  });
  const out: Body[] = [];
  ring.forEach((rb, ri) => {
    // A core stands for one level only if it is about one body tall: a long plain component is a
    // fused run or an enhanced vessel along the column, not a level.
    const cores = held[ri]!.map((pi) => plain[pi]!).filter((c) => columnHeight(c) <= 1.4 * medianHeight).sort((a, b) => a.s0 + a.s1 - (b.s0 + b.s1));
    // Cores at one level (side-by-side pieces) count once: centres along the column must differ by half a body.
    const levels: Body[][] = [];
    for (const c of cores) {
      const last = levels.at(-1);
      const centre = (b: Body): number => (b.s0 + b.s1) / 2;
      if (last && Math.abs(centre(c) - centre(last[0]!)) < 0.5 * medianHeight) last.push(c);
      else levels.push([c]);
    }
    // Only a ring body about as tall as two bodies is a fused pair; a plain detection that broke
    // one hollow body into its two endplates must not cut it. At the edge of the field of view a
    // pair can be short: a sliver of the next vertebra (its own plain core cut by the edge) fused
    // to a whole body.
    const edgeSliver = rb.truncated && levels.length >= 2 && levels.some((lv) => lv.every((c) => c.truncated)) &&
      levels.some((lv) => lv.some((c) => !c.truncated && columnHeight(c) >= 0.6 * medianHeight));
    // Bodies grow from about 15 mm (upper thoracic) to 30 mm (lumbar): a fused thoracic pair is
    // as tall as one lumbar body, so the typical height is also taken locally (two neighbours on
    // either side). And a body is about 0.6 times as tall as it is wide at every level of the
    // spine, so a pair is at least about as tall as wide; one hollow body broken into its
    // endplates is not.
    const near = ring.filter((b, i) => i !== ri && Math.abs(i - ri) <= 2 && !b.truncated).map(columnHeight);
    const expected = near.length >= 2 ? Math.min(ringHeight, median(near)) : ringHeight;
    const pairLike = (b: Body): boolean => columnHeight(b) >= 1.5 * expected && columnHeight(b) * g.sp >= FUSED_HEIGHT_PER_WIDTH * bodyWidthMm(b, g, 0.25);
    if (!pairLike(rb) && !edgeSliver) {
      out.push(rb);
      return;
    }
    // A body cut by the field of view (a long sacrum at the bottom, say) has no measured far end:
    // it is not cut at a dark plane, only between plain cores. A run of three or more fused bodies
    // is cut again while a part is still a pair.
    const fused = (b: Body): boolean => !b.truncated && pairLike(b);
    const cutAll = (b: Body, depth: number): Body[] | undefined => {
      const parts = cutAtDisc(b, g, columnPos);
      if (!parts) return undefined;
      return parts.flatMap((x) => (depth < 2 && fused(x) ? cutAll(x, depth + 1) ?? [x] : [x]));
    };
    // With three or more plain levels inside, the plain detection saw the discs: one plane cannot.
    if (!rb.truncated && levels.length < 3) {
      const parts = cutAll(rb, 0);
      if (parts) {
        out.push(...parts);
        return;
      }
    }
    if (levels.length < 2) {
      out.push(rb);
      return;
    }
    for (const part of divideBetweenCores(rb, levels, g)) {
      if (part.length === 0) continue;
      const b = bodyFromVoxels(Int32Array.from(part), g, columnPos);
      // A core that was itself a fused pair (the plain detection also missed a disc) is cut too.
      out.push(...(fused(b) ? cutAll(b, 1) ?? [b] : [b]));
    }
  });
  for (const o of orphans) out.push(o);
  return out.sort((a, b) => b.centroid[2] - a.centroid[2]);
}

/** Multi-source BFS restricted to `rb`: each voxel goes to the level whose core reaches it first. */
function divideBetweenCores(rb: Body, levels: readonly Body[][], g: Grid): number[][] {
  const { nx, ny, nz } = g;
  const nxy = nx * ny;
  const inBody = new Set<number>(rb.voxels);
  const lab = new Map<number, number>();
  let front: number[] = [];
  levels.forEach((lv, li) => {
    for (const c of lv) {
      for (const p of c.voxels) {
        if (inBody.has(p) && !lab.has(p)) {
          lab.set(p, li);
          front.push(p);
        }
      }
    }
  });
  const offs = [1, -1, nx, -nx, nxy, -nxy];
  while (front.length > 0) {
    const next: number[] = [];
    for (const p of front) {
      const l = lab.get(p)!;
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = Math.floor(p / nxy);
      for (let d = 0; d < 6; d++) {
        if ((d === 0 && i === nx - 1) || (d === 1 && i === 0) || (d === 2 && j === ny - 1) || (d === 3 && j === 0) || (d === 4 && k === nz - 1) || (d === 5 && k === 0)) continue;
        const q = p + offs[d]!;
        if (!inBody.has(q) || lab.has(q)) continue;
        lab.set(q, l);
        next.push(q);
      }
    }
    front = next;
  }
  const parts: number[][] = levels.map(() => []);
  for (const [p, l] of lab) parts[l]!.push(p);
  return parts;
}

/**
 * A body much shorter or smaller than its neighbours that touches one of them along the column (no disc
 * between) is a piece of a body cut in the wrong place, typically a low-density body broken at
 * mid-height whose lower half joined the next body. The two are joined and, when together about
 * two bodies tall, cut again at their darkest plane (the disc). Bodies sorted cranial → caudal.
 */
export function repairFragments(bodies: Body[], g: Grid, columnPos: (p: number) => number): Body[] {
  const inView = bodies.filter((b) => !b.truncated);
  const median = quantile(inView.map(columnHeight), 0.5);
  const medianVolume = quantile(inView.map((b) => b.voxels.length), 0.5) ?? 0;
  if (median === undefined || bodies.length < 3) return bodies;
  const out = [...bodies];
  for (let i = 0; i < out.length; i++) {
    const b = out[i]!;
    // Short, or small (a low-density sacrum comes out as several small pieces of normal height).
    // A piece cut by the field of view counts only when small, and then joins only another piece.
    const small = b.voxels.length < 0.4 * medianVolume;
    if (b.truncated ? !small : columnHeight(b) >= 0.6 * median && !small) continue;
    // Join with whichever touching neighbour gives the most body-like pieces after re-cutting.
    let best: { j: number; parts: Body[]; cost: number } | undefined;
    for (const j of [i - 1, i + 1]) {
      const other = out[j];
      if (!other) continue;
      const gap = j < i ? b.s0 - other.s1 : other.s0 - b.s1;
      if (gap > 2) continue;
      const voxels = new Int32Array(b.voxels.length + other.voxels.length);
      voxels.set(b.voxels);
      voxels.set(other.voxels, b.voxels.length);
      const joined = bodyFromVoxels(voxels, g, columnPos);
      const parts = (columnHeight(joined) >= 1.3 * median ? cutAtDisc(joined, g, columnPos) : undefined) ?? [joined];
      // Pouring a fragment into a neighbour that is already a whole body, without a cut, hides a
      // disc between them: penalised.
      const whole = columnHeight(other) >= 0.8 * median && other.voxels.length >= 0.6 * medianVolume;
      // A piece cut by the field of view never joins a body of full height (small thoracic
      // bodies fall below the volume test, which is set by the larger lumbar ones).
      if (b.truncated && (whole || columnHeight(other) >= 0.8 * median)) continue;
      const cost = parts.reduce((acc, x) => acc + Math.abs(columnHeight(x) - median), 0) + (parts.length === 1 && whole ? median : 0);
      if (!best || cost < best.cost) best = { j, parts, cost };
    }
    if (!best) continue;
    const first = Math.min(i, best.j);
    out.splice(first, 2, ...best.parts);
    i = first + best.parts.length - 1;
  }
  return out.sort((a, b) => b.centroid[2] - a.centroid[2]);
}

/**
 * Two neighbouring pieces that touch along the column, each shorter than 0.75 of a typical body
 * along its own axis (`height`), with no disc between them, are one low-density body broken at
 * mid-height (its cortex fell below the bone threshold in a few slices). `repairFragments` misses
 * this at a bent column (L5): column positions stretch there, so each half spans a normal body's
 * range. A disc shows on the line between the two centroids as a dip of at least
 * `DISC_DIP_HU` below the brightest point (endplate) on each side of it; two crushed bodies keep
 * their endplates and disc, and are not joined. Bodies sorted cranial → caudal.
 */
export function joinHalves(bodies: Body[], g: Grid, columnPos: (p: number) => number, height: (b: Body) => number): Body[] {
  const median = quantile(bodies.filter((b) => !b.truncated).map(height), 0.5);
  if (median === undefined) return bodies;
  const out = [...bodies];
  const short = (b: Body): boolean => !b.truncated && height(b) < 0.75 * median;
  for (let i = 0; i + 1 < out.length; i++) {
    const [a, b] = [out[i]!, out[i + 1]!];
    if (!short(a) || !short(b) || b.s0 - a.s1 > 2 || discBetween(a.centroid, b.centroid, g)) continue;
    const voxels = new Int32Array(a.voxels.length + b.voxels.length);
    voxels.set(a.voxels);
    voxels.set(b.voxels, a.voxels.length);
    out.splice(i, 2, bodyFromVoxels(voxels, g, columnPos));
  }
  return out;
}

/** A disc between two endplates: this much darker (HU) than the brightest point on each side. */
const DISC_DIP_HU = 30;

/** Whether the HU profile from centroid `a` to `b` (grid mm; mean of 3×3 voxels across it) dips like a disc. */
export function discBetween(a: Vec3, b: Vec3, g: Grid): boolean {
  const { nx, ny, nz, sp, hu } = g;
  const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  const steps = Math.max(2, Math.ceil(len / (sp / 2)));
  const prof: number[] = [];
  for (let t = 0; t <= steps; t++) {
    const x = (a[0] + ((b[0] - a[0]) * t) / steps) / sp;
    const y = (a[1] + ((b[1] - a[1]) * t) / steps) / sp;
    const z = Math.round((a[2] + ((b[2] - a[2]) * t) / steps) / sp);
    let sum = 0;
    let cnt = 0;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const i = Math.round(x) + di;
        const j = Math.round(y) + dj;
        if (i < 0 || j < 0 || i >= nx || j >= ny || z < 0 || z >= nz) continue;
        sum += hu[i + j * nx + z * nx * ny]!;
        cnt++;
      }
    }
    if (cnt) prof.push(sum / cnt);
  }
  // Brightest point before and after each one.
  const n = prof.length;
  const maxBefore = new Float64Array(n).fill(-Infinity);
  const maxAfter = new Float64Array(n).fill(-Infinity);
  for (let t = 1; t < n; t++) maxBefore[t] = Math.max(maxBefore[t - 1]!, prof[t - 1]!);
  for (let t = n - 2; t >= 0; t--) maxAfter[t] = Math.max(maxAfter[t + 1]!, prof[t + 1]!);
  for (let t = 1; t + 1 < n; t++) if (Math.min(maxBefore[t]!, maxAfter[t]!) - prof[t]! >= DISC_DIP_HU) return true;
  return false;
}
