/**
 * Orders the frames of one series along the slice normal and derives LPS geometry,
 * reporting what makes a stack suspicious: gantry tilt, non-uniform spacing, missing
 * slices, duplicate positions, mixed orientation or pixel spacing.
 */
import { RachisError } from '../core/errors.js';
import type { Mat3, Vec3 } from '../core/volume.js';
import type { FileHeader, FrameHeader } from './header.js';

export interface SeriesFrame {
  header: FileHeader;
  frame: FrameHeader;
}

export interface StackGeometry {
  /** Frames in k order. */
  frames: SeriesFrame[];
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  warnings: string[];
}

export interface GeometryOptions {
  /** Accept missing slices (gap > 1.5× median) with a warning instead of failing. */
  allowIrregularSpacing?: boolean;
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const unit = (a: Vec3): Vec3 => {
  const n = norm(a);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const fmt = (x: number, d = 3): string => String(Number(x.toFixed(d)));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Positions closer than this along the normal are the same slice. */
const DUPLICATE_MM = 1e-3;
/** Spacing deviations above max(this, 1%) are reported as non-uniform. */
const UNIFORM_TOL_MM = 0.01;
/** In-plane drift of the stack above this is reported as gantry tilt / shear. */
const TILT_TOL_MM = 0.1;

function inconsistent(frames: readonly SeriesFrame[], what: string): never {
  throw new RachisError('INCONSISTENT_SERIES', what, { file: frames[0]?.header.file });
}

function checkSameGrid(frames: readonly SeriesFrame[]): void {
  const f0 = frames[0]!;
  for (const f of frames) {
    const a = f.header;
    const b = f0.header;
    if (a.rows !== b.rows || a.columns !== b.columns) inconsistent(frames, `mixed image sizes in one series: ${b.columns}×${b.rows} (${b.file}) and ${a.columns}×${a.rows} (${a.file})`);
    if (a.samplesPerPixel !== b.samplesPerPixel || a.bitsAllocated !== b.bitsAllocated || a.pixelRepresentation !== b.pixelRepresentation) {
      inconsistent(frames, `mixed pixel formats in one series (${b.file} vs ${a.file})`);
    }
    const oa = f.frame.orientation;
    const ob = f0.frame.orientation;
    if ((oa === undefined) !== (ob === undefined) || (oa && ob && oa.some((v, i) => Math.abs(v - ob[i]!) > 1e-3))) {
      inconsistent(frames, `mixed ImageOrientationPatient in one series (${b.file} vs ${a.file}): several stacks share this SeriesInstanceUID`);
    }
    const pa = f.frame.pixelSpacing;
    const pb = f0.frame.pixelSpacing;
    if (pa && pb && (Math.abs(pa[0] - pb[0]) > 1e-4 || Math.abs(pa[1] - pb[1]) > 1e-4)) inconsistent(frames, `mixed PixelSpacing in one series (${b.file} vs ${a.file})`);
  }
}

/** Geometry for stacks without usable positions (secondary captures, legacy multi-frame). */
function unknownGeometry(frames: SeriesFrame[]): StackGeometry {
  const sorted = [...frames].sort(
    (a, b) => (a.header.instanceNumber ?? 0) - (b.header.instanceNumber ?? 0) || a.header.file.localeCompare(b.header.file) || a.frame.frameIndex - b.frame.frameIndex,
  );
  const f0 = sorted[0]!;
  const ps = f0.frame.pixelSpacing;
  const sk = f0.header.spacingBetweenSlicesMm ?? f0.frame.sliceThicknessMm ?? 1;
  const o = f0.frame.orientation;
  const r: Vec3 = o ? unit([o[0], o[1], o[2]]) : [1, 0, 0];
  const c: Vec3 = o ? unit([o[3], o[4], o[5]]) : [0, 1, 0];
  const n = unit(cross(r, c));
  const warnings = [
    sorted.length > 1
      ? 'no ImagePositionPatient: slice positions unknown; slices ordered by InstanceNumber, spacing from SpacingBetweenSlices/SliceThickness'
      : 'no ImagePositionPatient: position of the image unknown',
  ];
  if (!o) warnings.push('no ImageOrientationPatient: orientation unknown, identity assumed');
  if (!ps) warnings.push('no PixelSpacing: 1 mm assumed');
  return {
    frames: sorted,
    spacing: [ps?.[1] ?? 1, ps?.[0] ?? 1, Math.abs(sk) || 1],
    origin: f0.frame.position ?? [0, 0, 0],
    direction: [r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]],
    warnings,
  };
}

export function stackGeometry(input: SeriesFrame[], options: GeometryOptions = {}): StackGeometry {
  if (input.length === 0) throw new RachisError('NO_SERIES', 'series has no image frames');
  checkSameGrid(input);
  const withPos = input.filter((f) => f.frame.position && f.frame.orientation).length;
  if (withPos === 0) return unknownGeometry(input);
  if (withPos !== input.length) inconsistent(input, `${input.length - withPos} of ${input.length} frames lack ImagePositionPatient/ImageOrientationPatient`);

  const warnings: string[] = [];
  const o = input[0]!.frame.orientation!;
  let r: Vec3 = [o[0], o[1], o[2]];
  let c: Vec3 = [o[3], o[4], o[5]];
  if (norm(r) < 1e-6 || norm(c) < 1e-6) throw new RachisError('MALFORMED', 'ImageOrientationPatient has a zero vector', { file: input[0]!.header.file });
  r = unit(r);
  c = unit(c);
  if (Math.abs(dot(r, c)) > 1e-3) warnings.push(`ImageOrientationPatient row/column cosines are not orthogonal (dot ${fmt(dot(r, c), 5)})`);
  const n = unit(cross(r, c));

  const keyed = input.map((f) => ({ f, d: dot(f.frame.position!, n) }));
  keyed.sort((a, b) => a.d - b.d || (a.f.header.instanceNumber ?? 0) - (b.f.header.instanceNumber ?? 0));

  // Duplicates: the same file twice (same SOP instance and frame) is dropped; anything else is an error.
  const kept: typeof keyed = [];
  let dropped = 0;
  for (const k of keyed) {
    const prev = kept.at(-1);
    if (prev && Math.abs(k.d - prev.d) < DUPLICATE_MM) {
      const same = prev.f.header.sopInstanceUID !== undefined && prev.f.header.sopInstanceUID === k.f.header.sopInstanceUID && prev.f.frame.frameIndex === k.f.frame.frameIndex;
      if (same) {
        dropped++;
        continue;
      }
      inconsistent(
        input,
        `duplicate slice position ${fmt(k.d)} mm along the normal (${prev.f.header.file} and ${k.f.header.file}): several acquisitions (e.g. phases or echoes) share this series; choose files of one acquisition`,
      );
    }
    kept.push(k);
  }
  if (dropped) warnings.push(`${dropped} duplicate file(s) of the same SOP instance ignored`);

  const f0 = kept[0]!;
  const ps = f0.f.frame.pixelSpacing;
  if (!ps) warnings.push('no PixelSpacing: 1 mm assumed');
  let sk: number;
  if (kept.length === 1) {
    sk = Math.abs(f0.f.header.spacingBetweenSlicesMm ?? f0.f.frame.sliceThicknessMm ?? 1) || 1;
  } else {
    const gaps = kept.slice(1).map((k, i) => k.d - kept[i]!.d);
    const med = median(gaps);
    sk = (kept.at(-1)!.d - f0.d) / (kept.length - 1);
    const big = gaps.findIndex((g) => g > 1.5 * med);
    if (big >= 0) {
      const msg = `missing slice(s): gap of ${fmt(gaps[big]!)} mm after slice ${big} (median spacing ${fmt(med)} mm)`;
      if (!options.allowIrregularSpacing) inconsistent(input, `${msg}; the stacked volume would be geometrically wrong`);
      warnings.push(`${msg}; spacing set to the mean ${fmt(sk)} mm`);
    } else {
      const lo = Math.min(...gaps);
      const hi = Math.max(...gaps);
      if (hi - lo > Math.max(UNIFORM_TOL_MM, 0.01 * med)) warnings.push(`non-uniform slice spacing ${fmt(lo)}–${fmt(hi)} mm; mean ${fmt(sk)} mm used`);
    }
    // Gantry tilt: the stack drifts in-plane, i.e. slice positions do not follow the normal.
    const along = sub(kept.at(-1)!.f.frame.position!, f0.f.frame.position!);
    const drift = sub(along, [n[0] * dot(along, n), n[1] * dot(along, n), n[2] * dot(along, n)]);
    if (norm(drift) > TILT_TOL_MM) {
      const deg = (Math.atan2(norm(drift), Math.abs(dot(along, n))) * 180) / Math.PI;
      warnings.push(
        `gantry tilt / sheared stack of ${fmt(deg, 2)}°: slice positions drift ${fmt(norm(drift), 2)} mm in-plane over the stack; the volume uses the orthogonal slice normal, so positions far from the first slice are off by up to that amount`,
      );
    }
  }
  return {
    frames: kept.map((k) => k.f),
    spacing: [ps?.[1] ?? 1, ps?.[0] ?? 1, sk],
    origin: f0.f.frame.position!,
    direction: [r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]],
    warnings,
  };
}
