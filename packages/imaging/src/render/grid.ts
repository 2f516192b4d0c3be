/**
 * Reformat grids: where each pixel of a 2-D view lies in LPS world space.
 *
 * Display conventions (radiological):
 * - axial: viewed from the feet: patient left on image right, anterior up.
 * - sagittal: patient facing image left (anterior left), head up.
 * - coronal: viewed from the front: patient left on image right, head up.
 * Planes are aligned with the LPS world axes, whatever the volume's direction
 * matrix, so an oblique or permuted acquisition still displays upright.
 */
import type { Geometry, Vec3 } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { indexToWorld } from '../ops/geometry.js';

export type Plane = 'axial' | 'sagittal' | 'coronal';

export interface ReformatGrid {
  readonly plane: Plane;
  readonly width: number;
  readonly height: number;
  /** Square pixel size in mm. */
  readonly pixelMm: number;
  /** LPS centre of pixel (0,0) on the (uncurved) central plane. */
  readonly originMm: Vec3;
  /** LPS unit vector pointing to the image right (+column). */
  readonly colDir: Vec3;
  /** LPS unit vector pointing down the image (+row). */
  readonly rowDir: Vec3;
  /** LPS unit vector normal to the plane (through-slab direction). */
  readonly normal: Vec3;
  /** For curved reformats: offset (mm) along `normal` of each row from `originMm`'s plane. */
  readonly rowOffsetMm?: Float64Array;
  /** Slab sample offsets (mm) along `normal`, centre first. Length 1 for a thin plane. */
  readonly slabOffsetsMm: Float64Array;
  /** Patient-direction letters at the image edges. */
  readonly edges: { left: string; right: string; top: string; bottom: string };
}

const AXES: Record<Plane, { col: Vec3; row: Vec3; normal: Vec3 }> = {
  axial: { col: [1, 0, 0], row: [0, 1, 0], normal: [0, 0, 1] },
  sagittal: { col: [0, 1, 0], row: [0, 0, -1], normal: [1, 0, 0] },
  coronal: { col: [1, 0, 0], row: [0, 0, -1], normal: [0, 1, 0] },
};

/** The LPS letter a unit axis vector points to. */
function letter(v: Vec3): string {
  const a = v.map(Math.abs);
  const axis = a[0]! >= a[1]! && a[0]! >= a[2]! ? 0 : a[1]! >= a[2]! ? 1 : 2;
  const pos = v[axis]! > 0;
  return (['LR', 'PA', 'SI'][axis]!)[pos ? 0 : 1]!;
}
const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** World bounding box of the volume (outer voxel faces), per LPS axis. */
export function worldBounds(g: Geometry): { min: Vec3; max: Vec3 } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const w = indexToWorld(g, [c & 1 ? g.size[0] - 0.5 : -0.5, c & 2 ? g.size[1] - 0.5 : -0.5, c & 4 ? g.size[2] - 0.5 : -0.5]);
    for (let r = 0; r < 3; r++) {
      min[r] = Math.min(min[r]!, w[r]!);
      max[r] = Math.max(max[r]!, w[r]!);
    }
  }
  return { min: min as unknown as Vec3, max: max as unknown as Vec3 };
}

/** Voxel spacing seen along a world direction: spacing of the voxel axis best aligned with it. */
export function spacingAlong(g: Geometry, v: Vec3): number {
  let best = 0;
  let bestCos = -1;
  for (let q = 0; q < 3; q++) {
    const c = Math.abs(g.direction[q]! * v[0] + g.direction[3 + q]! * v[1] + g.direction[6 + q]! * v[2]);
    if (c > bestCos) {
      bestCos = c;
      best = q;
    }
  }
  return g.spacing[best]!;
}

export interface GridOptions {
  /** A point the plane passes through (LPS mm). Default: the centre of the volume. */
  centreMm?: Vec3;
  /** Square output pixel size (mm). Default: the finest in-plane voxel spacing. */
  pixelMm?: number;
  /** Slab thickness (mm) for MIP/mean; 0 or undefined = a thin plane. */
  slabMm?: number;
  /**
   * Frame only this range of the column (horizontal) coordinate, in mm along the plane's column
   * axis (LPS y for sagittal, x for coronal and axial), clipped to the volume: e.g. to frame the spine.
   */
  colRangeMm?: readonly [number, number];
}

/** Pixels are capped so a hostile header cannot make us allocate gigabytes. */
const MAX_PIXELS = 16_000_000;

export function planeGrid(g: Geometry, plane: Plane, opts: GridOptions = {}): ReformatGrid {
  const ax = AXES[plane];
  if (!ax) throw new RachisError('INVALID_ARGUMENT', `unknown plane '${String(plane)}'`);
  const { min, max } = worldBounds(g);
  if (![...min, ...max].every(Number.isFinite)) {
    throw new RachisError('INVALID_ARGUMENT', 'image geometry is not finite (origin, spacing or direction)');
  }
  const pixelMm = opts.pixelMm ?? Math.min(spacingAlong(g, ax.col), spacingAlong(g, ax.row));
  if (!(pixelMm > 0) || !Number.isFinite(pixelMm)) {
    throw new RachisError('INVALID_ARGUMENT', `pixelMm must be a positive number, got ${pixelMm}`);
  }
  const extent = (v: Vec3): number => Math.abs(dot(max, v) - dot(min, v));
  let colLo = Math.min(dot(min, ax.col), dot(max, ax.col));
  let colHi = Math.max(dot(min, ax.col), dot(max, ax.col));
  if (opts.colRangeMm) {
    const [r0, r1] = opts.colRangeMm;
    if (!Number.isFinite(r0) || !Number.isFinite(r1)) throw new RachisError('INVALID_ARGUMENT', 'colRangeMm must be finite');
    colLo = Math.max(colLo, Math.min(r0, r1));
    colHi = Math.min(colHi, Math.max(r0, r1));
    if (!(colHi > colLo)) throw new RachisError('INVALID_ARGUMENT', 'colRangeMm does not overlap the image');
  }
  const width = Math.max(1, Math.round((colHi - colLo) / pixelMm));
  const height = Math.max(1, Math.round(extent(ax.row) / pixelMm));
  if (width * height > MAX_PIXELS) {
    throw new RachisError('INVALID_ARGUMENT', `reformat of ${width}×${height} pixels is too large; raise pixelMm`);
  }
  // Start each in-plane axis at the bounding-box face it points away from.
  const start = (v: Vec3): number => {
    const lo = Math.min(dot(min, v), dot(max, v));
    return lo + pixelMm / 2;
  };
  const centre: Vec3 = opts.centreMm ?? [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  if (!centre.every(Number.isFinite)) throw new RachisError('INVALID_ARGUMENT', 'centreMm must be finite');
  const a = colLo + pixelMm / 2;
  const b = start(ax.row);
  const c = dot(centre, ax.normal);
  // The axes are signed unit LPS vectors, so a point = a·col + b·row + c·normal.
  const originMm: Vec3 = [0, 1, 2].map((r) => a * ax.col[r]! + b * ax.row[r]! + c * ax.normal[r]!) as unknown as Vec3;
  return {
    plane,
    width,
    height,
    pixelMm,
    originMm,
    colDir: ax.col,
    rowDir: ax.row,
    normal: ax.normal,
    slabOffsetsMm: slabOffsets(opts.slabMm ?? 0, spacingAlong(g, ax.normal)),
    edges: { left: letter(neg(ax.col)), right: letter(ax.col), top: letter(neg(ax.row)), bottom: letter(ax.row) },
  };
}

/** Offsets across a slab, sampled at the through-plane voxel spacing (at most 1 mm apart), centre first. */
export function slabOffsets(slabMm: number, throughSpacingMm: number): Float64Array {
  if (!(slabMm > 0) || !Number.isFinite(slabMm)) return Float64Array.of(0);
  const step = Math.min(throughSpacingMm, 1, slabMm);
  const n = Math.max(1, Math.min(1001, Math.round(slabMm / step) + 1));
  const out: number[] = [];
  for (let s = 0; s < n; s++) out.push(n === 1 ? 0 : -slabMm / 2 + (s * slabMm) / (n - 1));
  out.sort((p, q) => Math.abs(p) - Math.abs(q));
  return Float64Array.from(out);
}

/** LPS world point of a pixel centre (on the curved surface for curved grids, slab centre). */
export function pixelToWorld(grid: ReformatGrid, col: number, row: number): Vec3 {
  const off = grid.rowOffsetMm?.[Math.min(grid.height - 1, Math.max(0, Math.round(row)))] ?? 0;
  const p = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    p[r] = grid.originMm[r]! + col * grid.pixelMm * grid.colDir[r]! + row * grid.pixelMm * grid.rowDir[r]! + off * grid.normal[r]!;
  }
  return p as unknown as Vec3;
}

/** Continuous pixel position (col, row) of an LPS point projected onto the view. */
export function worldToPixel(grid: ReformatGrid, p: Vec3): [number, number] {
  const d: Vec3 = [p[0] - grid.originMm[0], p[1] - grid.originMm[1], p[2] - grid.originMm[2]];
  return [dot(d, grid.colDir) / grid.pixelMm, dot(d, grid.rowDir) / grid.pixelMm];
}

/**
 * A curved planar reformat: the plane follows the centreline row by row, shifted along
 * its normal (left-right for sagittal, antero-posterior for coronal), so a scoliotic or
 * kyphotic spine stays in view. Rows outside the centreline's extent keep the nearest end's offset.
 */
export function curvedGrid(g: Geometry, plane: 'sagittal' | 'coronal', centrelineMm: readonly Vec3[], opts: GridOptions = {}): ReformatGrid {
  const pts = centrelineMm.filter((p) => p.length === 3 && p.every(Number.isFinite));
  if (pts.length === 0) throw new RachisError('INVALID_ARGUMENT', 'centreline has no finite points');
  const mean: Vec3 = [0, 1, 2].map((r) => pts.reduce((s, p) => s + p[r]!, 0) / pts.length) as unknown as Vec3;
  const base = planeGrid(g, plane, { ...opts, centreMm: opts.centreMm ?? mean });
  const baseN = dot(base.originMm, base.normal);
  // (row coordinate, normal offset) pairs, sorted by row, merged when closer than half a pixel.
  const pairs = pts
    .map((p) => [worldToPixel(base, p)[1], dot(p, base.normal) - baseN] as [number, number])
    .sort((p, q) => p[0] - q[0]);
  const merged: [number, number, number][] = [];
  for (const [r, o] of pairs) {
    const last = merged[merged.length - 1];
    if (last && r - last[0] / last[2] < 0.5) {
      last[0] += r;
      last[1] += o;
      last[2] += 1;
    } else merged.push([r, o, 1]);
  }
  const knots = merged.map(([r, o, n]) => [r / n, o / n] as const);
  const rowOffsetMm = new Float64Array(base.height);
  let k = 0;
  for (let row = 0; row < base.height; row++) {
    while (k < knots.length - 2 && knots[k + 1]![0] < row) k++;
    const p = knots[k]!;
    const q = knots[Math.min(k + 1, knots.length - 1)]!;
    if (row <= knots[0]![0]) rowOffsetMm[row] = knots[0]![1];
    else if (row >= knots[knots.length - 1]![0]) rowOffsetMm[row] = knots[knots.length - 1]![1];
    else rowOffsetMm[row] = q[0] === p[0] ? p[1] : p[1] + ((q[1] - p[1]) * (row - p[0])) / (q[0] - p[0]);
  }
  return { ...base, rowOffsetMm };
}
