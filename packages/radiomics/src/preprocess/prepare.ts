/**
 * IBSI-1 image processing chain up to (not including) discretisation:
 * ROI selection → crop with margin → interpolation (IBSI grid) → rounding →
 * morphological mask → re-segmentation (range, outlier) → intensity mask.
 */
import { RachisError } from '@rachis/imaging';
import type { Image } from '@rachis/imaging';
import type { RadiomicsSettings } from '../settings.js';
import type { PreparedRoi } from '../types.js';
import { bsplineCoefficients, ibsiGridSize, ibsiPosition, resampleSeparable } from './resample.js';

export interface RoiDiagnostics {
  readonly initialSize: readonly [number, number, number];
  readonly initialSpacingMm: readonly [number, number, number];
  readonly interpolatedSize: readonly [number, number, number];
  readonly interpolatedSpacingMm: readonly [number, number, number];
  /** Per stage: voxel count, bounding box, mean/min/max intensity of the intensity mask. */
  readonly initialRoi: MaskSummary;
  readonly interpolatedRoi: MaskSummary;
  readonly resegmentedRoi: MaskSummary;
}

export interface MaskSummary {
  readonly voxels: number;
  readonly bbox: readonly [number, number, number];
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

function summarise(values: ArrayLike<number>, mask: Uint8Array, nx: number, ny: number): MaskSummary {
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  const lo = [Infinity, Infinity, Infinity], hi = [-1, -1, -1];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const v = values[i]!;
    n++; sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
    const c = [x, y, z];
    for (let a = 0; a < 3; a++) {
      if (c[a]! < lo[a]!) lo[a] = c[a]!;
      if (c[a]! > hi[a]!) hi[a] = c[a]!;
    }
  }
  const bbox: [number, number, number] = n ? [hi[0]! - lo[0]! + 1, hi[1]! - lo[1]! + 1, hi[2]! - lo[2]! + 1] : [0, 0, 0];
  return { voxels: n, bbox, mean: n ? sum / n : NaN, min, max };
}

/** Binary ROI from a label image (label undefined → any non-zero). */
function roiFromLabel(mask: Image, label: number | undefined): Uint8Array {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = mask.data[i]!;
    out[i] = (label === undefined ? v !== 0 : Math.round(v) === label) ? 1 : 0;
  }
  return out;
}

function checkGeometry(image: Image, mask: Image): void {
  for (let a = 0; a < 3; a++) {
    if (image.size[a] !== mask.size[a]) {
      throw new RachisError('GEOMETRY_MISMATCH', `mask size ${mask.size.join('×')} differs from image size ${image.size.join('×')}`);
    }
    if (Math.abs(image.spacing[a]! - mask.spacing[a]!) > 1e-3 * image.spacing[a]!) {
      throw new RachisError('GEOMETRY_MISMATCH', `mask spacing ${mask.spacing.join('×')} differs from image spacing ${image.spacing.join('×')}`);
    }
  }
  // origin/direction: a mask must sit on the grid of the image it was drawn on (0.01 voxel slack)
  for (let a = 0; a < 3; a++) {
    if (Math.abs(image.origin[a]! - mask.origin[a]!) > 0.01 * image.spacing[a]! + 1e-6) {
      throw new RachisError('GEOMETRY_MISMATCH', `mask origin ${mask.origin.join(', ')} differs from image origin ${image.origin.join(', ')}`);
    }
  }
  for (let k = 0; k < 9; k++) {
    if (Math.abs(image.direction[k]! - mask.direction[k]!) > 1e-4) {
      throw new RachisError('GEOMETRY_MISMATCH', 'mask direction cosines differ from the image');
    }
  }
  if (image.data.length !== image.size[0] * image.size[1] * image.size[2]) {
    throw new RachisError('INVALID_ARGUMENT', 'image data length does not match its size');
  }
}

/** Crop a typed array box [lo, hi] (inclusive) of a 3D array. */
function cropBox(data: ArrayLike<number>, dims: readonly number[], lo: readonly number[], hi: readonly number[]): Float64Array {
  const [nx, ny] = dims as [number, number, number];
  const sx = hi[0]! - lo[0]! + 1, sy = hi[1]! - lo[1]! + 1, sz = hi[2]! - lo[2]! + 1;
  const out = new Float64Array(sx * sy * sz);
  let o = 0;
  for (let z = lo[2]!; z <= hi[2]!; z++)
    for (let y = lo[1]!; y <= hi[1]!; y++) {
      const base = (z * ny + y) * nx;
      for (let x = lo[0]!; x <= hi[0]!; x++) out[o++] = data[base + x]!;
    }
  return out;
}

export function prepareRoi(image: Image, mask: Image, s: RadiomicsSettings): { roi: PreparedRoi; diagnostics: RoiDiagnostics } {
  checkGeometry(image, mask);
  const size = image.size;
  const [nx0, ny0] = size;
  const spacing0 = image.spacing;
  const roi0 = roiFromLabel(mask, s.label);
  const initialRoi = summarise(image.data, roi0, nx0, ny0);
  if (initialRoi.voxels > 0 && !Number.isFinite(initialRoi.mean)) {
    throw new RachisError('INVALID_ARGUMENT', 'the image has non-finite values (NaN/Inf) inside the ROI');
  }
  if (initialRoi.voxels === 0) {
    throw new RachisError('INVALID_ARGUMENT', `the mask has no voxel with ${s.label === undefined ? 'a non-zero value' : `label ${s.label}`}`);
  }
  // ROI bounding box in the original grid
  const lo = [Infinity, Infinity, Infinity], hi = [-1, -1, -1];
  for (let i = 0; i < roi0.length; i++) {
    if (!roi0[i]) continue;
    const c = [i % nx0, Math.floor(i / nx0) % ny0, Math.floor(i / (nx0 * ny0))];
    for (let a = 0; a < 3; a++) { lo[a] = Math.min(lo[a]!, c[a]!); hi[a] = Math.max(hi[a]!, c[a]!); }
  }
  const interp = s.interpolation;
  const newSpacing: [number, number, number] = interp
    ? [interp.spacingMm[0], interp.spacingMm[1], interp.mode === '2d' ? spacing0[2] : interp.spacingMm[2]]
    : [spacing0[0], spacing0[1], spacing0[2]];
  const newSize: [number, number, number] = interp
    ? [0, 1, 2].map((a) => ibsiGridSize(size[a]!, spacing0[a]!, newSpacing[a]!)) as [number, number, number]
    : [size[0], size[1], size[2]];
  // Margin (mm) kept around the ROI: local-intensity sphere + interpolation support.
  const marginMm = s.localIntensityRadiusMm + 2 * Math.max(...newSpacing);
  // New-grid index range covering the ROI bbox ± margin.
  const kLo: number[] = [], kHi: number[] = [];
  for (let a = 0; a < 3; a++) {
    const toK = (x: number): number => (x - (size[a]! - 1) / 2) * (spacing0[a]! / newSpacing[a]!) + (newSize[a]! - 1) / 2;
    const mA = marginMm / spacing0[a]!;
    kLo[a] = Math.max(0, Math.floor(toK(lo[a]! - mA)));
    kHi[a] = Math.min(newSize[a]! - 1, Math.ceil(toK(hi[a]! + mA)));
  }
  const outDims: [number, number, number] = [kHi[0]! - kLo[0]! + 1, kHi[1]! - kLo[1]! + 1, kHi[2]! - kLo[2]! + 1];
  let intensities: Float64Array;
  let morph: Uint8Array;
  let interpolatedRoi: MaskSummary;
  if (!interp) {
    intensities = cropBox(image.data, size, kLo, kHi);
    const m = cropBox(roi0, size, kLo, kHi);
    morph = Uint8Array.from(m);
    interpolatedRoi = initialRoi;
  } else {
    // Source positions of the output box, then a source crop that supports them (+ spline margin).
    const pos = [0, 1, 2].map((a) => {
      const p = new Float64Array(outDims[a]!);
      for (let k = 0; k < p.length; k++) p[k] = ibsiPosition(kLo[a]! + k, size[a]!, spacing0[a]!, newSize[a]!, newSpacing[a]!);
      return p;
    });
    const splineMargin = interp.image === 'cubic-spline' ? 24 : 2;
    const sLo = [0, 1, 2].map((a) => Math.max(0, Math.floor(pos[a]![0]!) - splineMargin));
    const sHi = [0, 1, 2].map((a) => Math.min(size[a]! - 1, Math.ceil(pos[a]![pos[a]!.length - 1]!) + splineMargin));
    const srcDims: [number, number, number] = [sHi[0]! - sLo[0]! + 1, sHi[1]! - sLo[1]! + 1, sHi[2]! - sLo[2]! + 1];
    const local = pos.map((p, a) => p.map((v) => v - sLo[a]!)) as unknown as [Float64Array, Float64Array, Float64Array];
    const srcImg = cropBox(image.data, size, sLo, sHi);
    const coeff = interp.image === 'cubic-spline' ? bsplineCoefficients(srcImg, srcDims) : srcImg;
    intensities = resampleSeparable(coeff, srcDims, local, interp.image).data;
    const srcMask = cropBox(roi0, size, sLo, sHi);
    const m = resampleSeparable(srcMask, srcDims, local, interp.mask).data;
    morph = new Uint8Array(m.length);
    // small tolerance: separable sums of exact 0/1 data can land at 0.4999999999
    for (let i = 0; i < m.length; i++) morph[i] = m[i]! >= interp.maskThreshold - 1e-9 ? 1 : 0;
    interpolatedRoi = summarise(intensities, morph, outDims[0], outDims[1]);
  }
  if (s.roundIntensities) for (let i = 0; i < intensities.length; i++) intensities[i] = Math.round(intensities[i]!);
  if (interp) interpolatedRoi = summarise(intensities, morph, outDims[0], outDims[1]);
  const intensityMask = resegment(intensities, morph, s.resegmentation);
  const resegmentedRoi = summarise(intensities, intensityMask, outDims[0], outDims[1]);
  if (resegmentedRoi.voxels === 0) throw new RachisError('INVALID_ARGUMENT', 'no ROI voxel is left after interpolation and re-segmentation');
  return {
    roi: { nx: outDims[0], ny: outDims[1], nz: outDims[2], spacingMm: newSpacing, intensities, morphMask: morph, intensityMask },
    diagnostics: {
      initialSize: [size[0], size[1], size[2]],
      initialSpacingMm: [spacing0[0], spacing0[1], spacing0[2]],
      interpolatedSize: newSize,
      interpolatedSpacingMm: newSpacing,
      initialRoi,
      interpolatedRoi,
      resegmentedRoi,
    },
  };
}

/** IBSI 2.5: range re-segmentation, then outlier (mean ± k·sd of what remains). */
export function resegment(values: Float64Array, morph: Uint8Array, r: RadiomicsSettings['resegmentation']): Uint8Array {
  const out = Uint8Array.from(morph);
  if (r.range) {
    const lo = r.range[0] ?? -Infinity, hi = r.range[1] ?? Infinity;
    for (let i = 0; i < out.length; i++) if (out[i] && !(values[i]! >= lo && values[i]! <= hi)) out[i] = 0;
  }
  if (r.outlierSigma !== null) {
    let n = 0, sum = 0, sq = 0;
    for (let i = 0; i < out.length; i++) if (out[i]) { n++; sum += values[i]!; }
    const mean = sum / n;
    for (let i = 0; i < out.length; i++) if (out[i]) sq += (values[i]! - mean) ** 2;
    const sd = Math.sqrt(sq / n);
    const lo = mean - r.outlierSigma * sd, hi = mean + r.outlierSigma * sd;
    for (let i = 0; i < out.length; i++) if (out[i] && !(values[i]! >= lo && values[i]! <= hi)) out[i] = 0;
  }
  return out;
}
