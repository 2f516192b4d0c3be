/**
 * Key images for reports: sagittal + coronal spine views with coloured, named vertebrae,
 * and an axial slice with a tissue overlay (body composition at L3).
 */
import type { Geometry, LabelMap, Vec3, Volume, VoxelArray } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { indexToWorld } from '../ops/geometry.js';
import { curvedGrid, planeGrid, spacingAlong, worldBounds, type ReformatGrid } from './grid.js';
import { reformatLabels, sampleGrid, type Image2D } from './reformat.js';
import { composeView, encodePng, type LegendEntry, type RgbImage } from './compose.js';
import { autoWindow, WINDOWS, type CtWindow, type RGB } from './colours.js';

type Sampled = Geometry & { readonly data: VoxelArray };

/** LPS centroid (mm) of each non-zero label value (values are rounded to integers). */
export function labelCentroidsMm(mask: Sampled): Map<number, Vec3> {
  return new Map([...labelMoments(mask)].map(([v, m]) => [v, m.centroidMm]));
}

/** Centroid (LPS mm) and voxel count of each non-zero label value. */
function labelMoments(mask: Sampled): Map<number, { centroidMm: Vec3; count: number }> {
  const [nx, ny, nz] = mask.size;
  // Dense accumulators indexed by label value when the values are small integers (the usual case).
  const dense = mask.data instanceof Uint8Array || mask.data instanceof Uint16Array;
  const cap = mask.data instanceof Uint8Array ? 256 : 65536;
  const acc = dense ? new Float64Array(cap * 4) : new Float64Array(0);
  const sparse = new Map<number, [number, number, number, number]>();
  const data = mask.data;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const v = data[p]!;
        if (v === 0) continue;
        if (dense) {
          const b = v * 4;
          acc[b]! += i;
          acc[b + 1]! += j;
          acc[b + 2]! += k;
          acc[b + 3]! += 1;
        } else {
          const key = Math.round(v);
          if (key === 0 || !Number.isFinite(key)) continue;
          let a = sparse.get(key);
          if (!a) sparse.set(key, (a = [0, 0, 0, 0]));
          a[0] += i;
          a[1] += j;
          a[2] += k;
          a[3]++;
        }
      }
    }
  }
  if (dense) for (let v = 1; v < cap; v++) if (acc[v * 4 + 3]! > 0) sparse.set(v, [acc[v * 4]!, acc[v * 4 + 1]!, acc[v * 4 + 2]!, acc[v * 4 + 3]!]);
  const out = new Map<number, { centroidMm: Vec3; count: number }>();
  for (const [v, [si, sj, sk, n]] of sparse) out.set(v, { centroidMm: indexToWorld(mask, [si / n, sj / n, sk / n]), count: n });
  return out;
}

/** Output pixel size so that the longer side of the view is about `targetPx` pixels. */
function displayPixelMm(g: Geometry, plane: 'axial' | 'sagittal' | 'coronal', targetPx: number, colRangeMm?: readonly [number, number]): number {
  const { min, max } = worldBounds(g);
  const ext = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
  const inPlane = plane === 'axial' ? [ext[0]!, ext[1]!] : plane === 'sagittal' ? [ext[1]!, ext[2]!] : [ext[0]!, ext[2]!];
  if (colRangeMm) inPlane[0] = Math.min(inPlane[0]!, Math.abs(colRangeMm[1] - colRangeMm[0]));
  return Math.max(...inPlane) / Math.max(64, Math.min(4096, targetPx));
}

/**
 * Whether the values are CT Hounsfield units: said so by the metadata, or (when nothing is
 * recorded, as for NIfTI) the darkest values are air at about −1000.
 */
function isHounsfield(volume: Volume | Sampled): boolean {
  const meta = 'meta' in volume ? volume.meta : undefined;
  if (meta?.modality === 'CT' || meta?.unit === 'HU') return true;
  if (meta?.modality !== undefined) return false;
  const w = autoWindow(volume.data);
  return w.level - w.width / 2 < -500;
}

/** The window to use: the caller's, else a CT preset for HU data, else one from the view's own values. */
function resolveWindow(volume: Volume | Sampled, view: Float32Array, want: CtWindow | undefined, ctPreset: CtWindow): CtWindow {
  return want ?? (isHounsfield(volume) ? ctPreset : autoWindow(view));
}

function windowText(w: CtWindow): string {
  const r = (x: number): string => String(Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3)));
  return `W\u00a0${r(w.width)} / L\u00a0${r(w.level)}`;
}

function checkVolume(v: Sampled, what: string): void {
  if (v.data.length !== v.size[0] * v.size[1] * v.size[2]) {
    throw new RachisError('GEOMETRY_MISMATCH', `${what}: voxel data length ${v.data.length} does not match size ${v.size.join('×')}`);
  }
}

function view(volume: Sampled, labels: Sampled | undefined, grid: ReformatGrid, slabMode: 'mip' | 'mean'): { img: Image2D; lab?: Float32Array } {
  const img: Image2D = { ...grid, data: sampleGrid(volume, grid, { slabMode, interpolation: 'linear' }) };
  return labels ? { img, lab: reformatLabels(labels, grid) } : { img };
}

/** Half-width (mm) of the spine key views around the column's extreme centroids. */
export const SPINE_FRAME_HALF_WIDTH_MM = { sagittal: 110, coronal: 130 } as const;

export interface SpineKeyImageOptions {
  /** Spine centreline (LPS mm); default: through the centroids of the labelled vertebrae. */
  centrelineMm?: readonly Vec3[];
  /** Key numbers, one line each, printed under the title. */
  annotations?: readonly string[];
  /** Default: spine window (W 1000 / L 300) for CT in HU, else 1st–99th percentile of the view. */
  window?: CtWindow;
  /** Approximate length (px) of the longer image side (default 900). */
  sizePx?: number;
  /** Slab thickness (mm) of the sagittal view (default 0 = thin curved plane). */
  sagittalSlabMm?: number;
  /** Slab thickness (mm) of the coronal view (default 0 = thin curved plane). */
  coronalSlabMm?: number;
  slabMode?: 'mip' | 'mean';
  colours?: ReadonlyMap<number, RGB>;
  /** Fill opacity of the vertebra colours (default 0.25); outlines stay fully coloured. */
  overlayAlpha?: number;
}

export interface SpineKeyViews {
  sagittal: RgbImage;
  coronal: RgbImage;
}

/**
 * Sagittal and coronal curved reformats along the spine with coloured, named vertebrae (RGB).
 * `labelNames` maps label values to the text drawn beside each vertebra (e.g. "L1" or
 * "L1 · 133 HU"); pass an empty map to use the label map's own names.
 */
export function renderSpineKeyViews(
  volume: Volume | Sampled,
  vertebraMask: LabelMap | Sampled,
  labelNames: ReadonlyMap<number, string>,
  opts: SpineKeyImageOptions = {},
): SpineKeyViews {
  checkVolume(volume, 'volume');
  checkVolume(vertebraMask, 'vertebra mask');
  // An empty name map means: use the names the label map carries (LabelMap.labels).
  if (labelNames.size === 0 && 'labels' in vertebraMask) labelNames = vertebraMask.labels;
  let centreline = opts.centrelineMm?.filter((p) => p.every(Number.isFinite)) ?? [];
  if (centreline.length === 0) {
    // Centroids of the named vertebrae; fragments (a level cut by the edge of the field of view,
    // under a fifth of the median size) would pull the curved plane sideways, so they are left out.
    const all = [...labelMoments(vertebraMask)];
    const named = all.filter(([v]) => labelNames.has(v));
    const m = named.length > 0 ? named : all;
    const counts = m.map(([, x]) => x.count).sort((a, b) => a - b);
    const median = counts[Math.floor(counts.length / 2)] ?? 0;
    centreline = m.filter(([, x]) => x.count >= 0.2 * median).map(([, x]) => x.centroidMm);
  }
  const sizePx = opts.sizePx ?? 900;
  const slabMode = opts.slabMode ?? 'mean';
  const annotations = opts.annotations ?? [];
  const frame = (plane: 'sagittal' | 'coronal'): readonly [number, number] | undefined => {
    // Frame the column, not the whole body: a thin stack of a wide abdomen would otherwise be a
    // strip too small to read. Half-widths cover body, posterior elements and paraspinal muscles
    // (sagittal) or transverse processes, ribs' heads and the psoas (coronal).
    if (centreline.length === 0) return undefined;
    const axis = plane === 'sagittal' ? 1 : 0;
    const half = plane === 'sagittal' ? SPINE_FRAME_HALF_WIDTH_MM.sagittal : SPINE_FRAME_HALF_WIDTH_MM.coronal;
    const c = centreline.map((p) => p[axis]);
    return [Math.min(...c) - half, Math.max(...c) + half];
  };
  const make = (plane: 'sagittal' | 'coronal', slabMm: number): RgbImage => {
    const how = centreline.length > 0 ? 'curved along the spine' : 'mid-plane';
    const slab = slabMm > 0 ? `, ${slabMm} mm ${slabMode === 'mip' ? 'MIP' : 'mean'} slab` : '';
    const name = plane === 'sagittal' ? 'Sagittal' : 'Coronal';
    return renderView(volume, plane, {
      labels: vertebraMask,
      labelNames,
      ...(opts.colours ? { colours: opts.colours } : {}),
      ...(opts.window ? { window: opts.window } : {}),
      ctPreset: WINDOWS.spine,
      ...(opts.overlayAlpha !== undefined ? { overlayAlpha: opts.overlayAlpha } : {}),
      sizePx,
      slabMm,
      slabMode,
      centrelineMm: centreline,
      ...(frame(plane) ? { colRangeMm: frame(plane)! } : {}),
      title: [`${name} (${how}${slab})`, ...annotations],
    });
  };
  return {
    sagittal: make('sagittal', opts.sagittalSlabMm ?? 0),
    coronal: make('coronal', opts.coronalSlabMm ?? 0),
  };
}

/** PNG versions of renderSpineKeyViews. */
export function renderSpineKeyImages(
  volume: Volume | Sampled,
  vertebraMask: LabelMap | Sampled,
  labelNames: ReadonlyMap<number, string>,
  opts: SpineKeyImageOptions = {},
): { sagittal: Buffer; coronal: Buffer } {
  const v = renderSpineKeyViews(volume, vertebraMask, labelNames, opts);
  return { sagittal: encodePng(v.sagittal), coronal: encodePng(v.coronal) };
}

/** Which axial slice: an LPS height (mm, S positive) or the centre of voxel slice k. */
export type AxialPosition = { zMm: number } | { sliceIndex: number };

export interface AxialOverlayOptions {
  /** Default: soft-tissue window (W 400 / L 40) for CT in HU, else 1st–99th percentile of the view. */
  window?: CtWindow;
  /** Key numbers printed under the title. */
  annotations?: readonly string[];
  /** Approximate length (px) of the longer image side (default 768). */
  sizePx?: number;
  /** Fill opacity of the overlay (default 0.45). */
  overlayAlpha?: number;
  outline?: boolean;
  /** Title (default: "Axial at z = … mm"). */
  title?: string;
}

export function renderAxialOverlayRgb(
  volume: Volume | Sampled,
  position: AxialPosition | number,
  overlay: LabelMap | Sampled,
  legend: readonly LegendEntry[],
  opts: AxialOverlayOptions = {},
): RgbImage {
  checkVolume(volume, 'volume');
  checkVolume(overlay, 'overlay');
  const pos: AxialPosition = typeof position === 'number' ? { zMm: position } : position;
  let zMm: number;
  if ('zMm' in pos) zMm = pos.zMm;
  else {
    const k = pos.sliceIndex;
    if (!Number.isInteger(k) || k < 0 || k >= volume.size[2]) {
      throw new RachisError('INVALID_ARGUMENT', `slice index ${k} is outside 0..${volume.size[2] - 1}`);
    }
    zMm = indexToWorld(volume, [(volume.size[0] - 1) / 2, (volume.size[1] - 1) / 2, k])[2];
  }
  if (!Number.isFinite(zMm)) throw new RachisError('INVALID_ARGUMENT', 'axial position must be finite');
  const { min, max } = worldBounds(volume);
  const grid = planeGrid(volume, 'axial', {
    centreMm: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, zMm],
    pixelMm: Math.min(spacingAlong(volume, [1, 0, 0]), displayPixelMm(volume, 'axial', opts.sizePx ?? 768)),
  });
  const { img, lab } = view(volume, overlay, grid, 'mean');
  // Only the classes in the legend are coloured: an unexplained colour is worse than none.
  const shown = new Set(legend.map((e) => e.value));
  if (lab) for (let p = 0; p < lab.length; p++) if (!shown.has(lab[p]!)) lab[p] = 0;
  const window = resolveWindow(volume, img.data, opts.window, WINDOWS.softTissue);
  const colours = new Map<number, RGB>();
  for (const e of legend) if (e.colour) colours.set(e.value, e.colour);
  return composeView(img, {
    window,
    labels: lab,
    colours,
    overlayAlpha: opts.overlayAlpha ?? 0.45,
    outline: opts.outline ?? false,
    title: [`${opts.title ?? `Axial at z\u00a0=\u00a0${zMm.toFixed(1)}\u00a0mm`} · ${windowText(window)}`, ...(opts.annotations ?? [])],
    legend,
  });
}

/** PNG of renderAxialOverlayRgb (e.g. body composition on the L3 slice). */
export function renderAxialOverlay(
  volume: Volume | Sampled,
  position: AxialPosition | number,
  overlay: LabelMap | Sampled,
  legend: readonly LegendEntry[],
  opts: AxialOverlayOptions = {},
): Buffer {
  return encodePng(renderAxialOverlayRgb(volume, position, overlay, legend, opts));
}

export interface ViewOptions {
  /** Label map to overlay (any geometry: sampled in world space). */
  labels?: LabelMap | Sampled;
  labelNames?: ReadonlyMap<number, string>;
  colours?: ReadonlyMap<number, RGB>;
  /** Default: bone window (W 1800 / L 400) for CT in HU, else 1st–99th percentile of the view. */
  window?: CtWindow;
  centreMm?: Vec3;
  /** Default: so the longer side is about `sizePx` pixels, never coarser than needed to show every voxel. */
  pixelMm?: number;
  sizePx?: number;
  slabMm?: number;
  slabMode?: 'mip' | 'mean';
  /** Follow this centreline (sagittal/coronal only). */
  centrelineMm?: readonly Vec3[];
  /** Horizontal framing: range of the column coordinate in mm (see GridOptions.colRangeMm). */
  colRangeMm?: readonly [number, number];
  /** Header lines; the window used is appended to the first. */
  title?: readonly string[];
  legend?: readonly LegendEntry[];
  /** Fill opacity of the overlay (default 0.25) and whether to outline each label (default true). */
  overlayAlpha?: number;
  outline?: boolean;
  /** Window for CT in HU when `window` is not given (default: bone window). */
  ctPreset?: CtWindow;
}

/** One annotated view of any plane: the general form behind the key images. */
export function renderView(volume: Volume | Sampled, plane: 'axial' | 'sagittal' | 'coronal', opts: ViewOptions = {}): RgbImage {
  checkVolume(volume, 'volume');
  if (opts.labels) checkVolume(opts.labels, 'labels');
  const gridOpts = {
    pixelMm: opts.pixelMm ?? displayPixelMm(volume, plane, opts.sizePx ?? 900, opts.colRangeMm),
    ...(opts.centreMm ? { centreMm: opts.centreMm } : {}),
    ...(opts.colRangeMm ? { colRangeMm: opts.colRangeMm } : {}),
    ...(opts.slabMm ? { slabMm: opts.slabMm } : {}),
  };
  const grid =
    opts.centrelineMm && opts.centrelineMm.length > 0 && plane !== 'axial'
      ? curvedGrid(volume, plane, opts.centrelineMm, gridOpts)
      : planeGrid(volume, plane, gridOpts);
  const { img, lab } = view(volume, opts.labels, grid, opts.slabMode ?? 'mean');
  const window = resolveWindow(volume, img.data, opts.window, opts.ctPreset ?? WINDOWS.bone);
  const [first, ...rest] = opts.title ?? [];
  return composeView(img, {
    window,
    labels: lab,
    labelNames: opts.labelNames,
    colours: opts.colours,
    title: first !== undefined ? [`${first} · ${windowText(window)}`, ...rest] : [],
    legend: opts.legend,
    overlayAlpha: opts.overlayAlpha,
    outline: opts.outline,
  });
}
