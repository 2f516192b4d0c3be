/** readDicomSeries / listDicomSeries: scan → choose series → order frames → read pixels → rescale. */
import { RachisError } from '../core/errors.js';
import { MAX_VOXELS, type Volume, type VolumeMetadata } from '../core/volume.js';
import type { FileHeader } from './header.js';
import { stackGeometry, type GeometryOptions, type SeriesFrame } from './geometry.js';
import { decodePool, defaultDecodeThreads } from './decode-pool.js';
import { placeFileFrames, requireSyntax, type FramePlacement, type PixelTarget } from './pixels.js';
import { applyRescale, storedView } from './rescale.js';
import { collectFiles, groupBySeries, IO_CONCURRENCY, mapLimit, NO_SERIES_UID, scanHeaders, type SkippedFile } from './scan.js';

export interface DicomSeriesInfo {
  seriesInstanceUID: string;
  studyInstanceUID?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  modality?: string;
  files: string[];
  /** Slices / frames. */
  instanceCount: number;
  rows?: number;
  columns?: number;
  transferSyntaxUID?: string;
}

export interface ReadDicomOptions extends GeometryOptions {
  /** Pick one series when the input holds several (UID, or a substring of the description). */
  series?: string;
  /**
   * Worker threads for decoding compressed frames; 0 decodes on the main thread. Default: one
   * per core for series with at least 16 compressed frames, else 0.
   */
  decodeThreads?: number;
}

/** Below this many compressed frames, starting workers costs more than it saves. */
const PARALLEL_DECODE_MIN_FRAMES = 16;

export interface DicomScan {
  series: DicomSeriesInfo[];
  /** Files that were not read as DICOM images, with the reason (not DICOM, truncated, no pixel data…). */
  skipped: SkippedFile[];
}

function describe(uid: string, files: readonly FileHeader[]): DicomSeriesInfo {
  const h = files[0]!;
  return {
    seriesInstanceUID: uid,
    ...(h.studyInstanceUID !== undefined && { studyInstanceUID: h.studyInstanceUID }),
    ...(h.seriesDescription !== undefined && { seriesDescription: h.seriesDescription }),
    ...(h.seriesNumber !== undefined && { seriesNumber: h.seriesNumber }),
    ...(h.modality !== undefined && { modality: h.modality }),
    files: files.map((f) => f.file),
    instanceCount: files.reduce((n, f) => n + f.numberOfFrames, 0),
    rows: h.rows,
    columns: h.columns,
    transferSyntaxUID: h.transferSyntaxUID,
  };
}

/** Lists series and the files skipped on the way (recursive for folders). */
export async function scanDicom(input: string | readonly string[]): Promise<DicomScan> {
  const { headers, skipped } = await scanHeaders(await collectFiles(input));
  const good = headers.filter((h) => !h.problem);
  for (const h of headers) if (h.problem) skipped.push({ file: h.file, code: h.problem.code, reason: `${h.file}: ${h.problem.message}` });
  return { series: [...groupBySeries(good)].map(([uid, files]) => describe(uid, files)), skipped };
}

const label = (s: DicomSeriesInfo): string => `${s.seriesInstanceUID} "${s.seriesDescription ?? ''}" (${s.modality ?? '?'}, ${s.instanceCount} images)`;

function chooseSeries(groups: Map<string, FileHeader[]>, choice: string | undefined, where: string): [string, FileHeader[]] {
  const all = [...groups];
  const infos = all.map(([uid, f]) => describe(uid, f));
  if (choice !== undefined) {
    const exact = all.filter(([uid]) => uid === choice);
    const byDesc = all.filter(([, f]) => (f[0]!.seriesDescription ?? '').toLowerCase().includes(choice.toLowerCase()));
    const hits = exact.length ? exact : byDesc;
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) throw new RachisError('NO_SERIES', `no series matches "${choice}"; available: ${infos.map(label).join('; ')}`, { file: where });
    throw new RachisError('MULTIPLE_SERIES', `"${choice}" matches ${hits.length} series: ${hits.map(([u, f]) => label(describe(u, f))).join('; ')}`, { file: where });
  }
  if (all.length === 1) return all[0]!;
  throw new RachisError('MULTIPLE_SERIES', `${all.length} series found, choose one by UID or description: ${infos.map(label).join('; ')}`, { file: where });
}

function metadata(frames: readonly SeriesFrame[], rescaled: boolean, source: string): VolumeMetadata {
  const h = frames[0]!.header;
  const meta: VolumeMetadata = {};
  const set = <K extends keyof VolumeMetadata>(k: K, v: VolumeMetadata[K] | undefined): void => {
    if (v !== undefined && v !== '') meta[k] = v;
  };
  set('modality', h.modality);
  set('rescaled', rescaled);
  if (h.modality === 'CT' && rescaled) meta.unit = 'HU';
  for (const [k, v] of Object.entries(h.info)) set(k as keyof VolumeMetadata, v as never);
  set('studyInstanceUID', h.studyInstanceUID);
  set('seriesInstanceUID', h.seriesInstanceUID);
  set('frameOfReferenceUID', h.frameOfReferenceUID);
  set('seriesDescription', h.seriesDescription);
  set('seriesNumber', h.seriesNumber);
  set('sliceThicknessMm', frames[0]!.frame.sliceThicknessMm);
  const sops = frames.map((f) => f.header.sopInstanceUID ?? '');
  if (sops.some((s) => s !== '')) meta.sourceSopInstanceUIDs = sops;
  set('sourceSopClassUID', h.sopClassUID);
  meta.source = source;
  return meta;
}

/** Reads one series into a Volume (CT in HU, LPS geometry). Throws MULTIPLE_SERIES when ambiguous. */
export async function readDicomSeries(input: string | string[], options: ReadDicomOptions = {}): Promise<Volume> {
  const files = await collectFiles(input);
  const where = typeof input === 'string' ? input : (input[0] ?? '');
  const { headers, skipped } = await scanHeaders(files);
  if (headers.length === 0) {
    const first = skipped[0];
    if (files.length === 1 && first) throw new RachisError(first.code as never, first.reason.replace(`${first.file}: `, ''), { file: first.file });
    throw new RachisError('NO_SERIES', `no readable DICOM image among ${files.length} file(s)${first ? ` (e.g. ${first.reason})` : ''}`, { file: where });
  }
  const broken = skipped.find((s) => s.code !== 'NOT_DICOM' && s.code !== 'NO_PIXEL_DATA');
  if (broken) throw new RachisError(broken.code as never, broken.reason.replace(`${broken.file}: `, ''), { file: broken.file });

  const [uid, seriesFiles] = chooseSeries(groupBySeries(headers), options.series, where);
  for (const h of seriesFiles) {
    if (h.problem) throw new RachisError(h.problem.code, h.problem.message, { file: h.file });
    requireSyntax(h);
  }
  const geom = stackGeometry(
    seriesFiles.flatMap((header) => header.frames.map((frame) => ({ header, frame }))),
    options,
  );
  const h0 = geom.frames[0]!.header;
  const nk = geom.frames.length;
  const sliceVoxels = h0.rows * h0.columns;
  if (sliceVoxels * nk > MAX_VOXELS) throw new RachisError('ABSURD_DIMENSIONS', `${h0.columns}×${h0.rows}×${nk} voxels exceed the limit`, { file: where });

  const colour = h0.samplesPerPixel === 3;
  const fmt = { bitsAllocated: colour ? 8 : h0.bitsAllocated, bitsStored: colour ? 8 : h0.bitsStored, signed: !colour && h0.pixelRepresentation === 1 };
  const bytesPerSample = fmt.bitsAllocated / 8;
  const buffer = new ArrayBuffer(sliceVoxels * nk * bytesPerSample);
  const compressedFrames = geom.frames.filter((f) => requireSyntax(f.header).codec !== 'native').length;
  const threads = options.decodeThreads ?? (compressedFrames >= PARALLEL_DECODE_MIN_FRAMES ? defaultDecodeThreads() : 0);
  const target: PixelTarget = { bytes: new Uint8Array(buffer), bytesPerSample, sliceVoxels, ...(threads > 0 && compressedFrames > 0 ? { pool: decodePool(threads) } : {}) };

  const byFile = new Map<FileHeader, FramePlacement[]>();
  geom.frames.forEach((f, k) => {
    const list = byFile.get(f.header) ?? [];
    list.push({ frameIndex: f.frame.frameIndex, k });
    byFile.set(f.header, list);
  });
  await mapLimit([...byFile], IO_CONCURRENCY, ([h, placements]) => placeFileFrames(h, placements, target));

  const rescales = geom.frames.map((f) => ({ slope: f.frame.rescaleSlope, intercept: f.frame.rescaleIntercept }));
  const data = applyRescale(storedView(buffer, fmt), fmt, rescales, sliceVoxels);
  const hasRescale = seriesFiles.some((h) => h.frames.some((f) => f.rescaleSlope !== 1 || f.rescaleIntercept !== 0));

  const warnings = [...geom.warnings];
  if (colour) warnings.push(`colour image (${h0.photometric}) converted to 8-bit luminance`);
  if (h0.photometric === 'MONOCHROME1') warnings.push('MONOCHROME1: low values are displayed white; values kept as stored');
  const nonDicom = skipped.filter((s) => s.code === 'NOT_DICOM' || s.code === 'NO_PIXEL_DATA');
  if (nonDicom.length) warnings.push(`${nonDicom.length} file(s) skipped (not DICOM images), e.g. ${nonDicom[0]!.file}`);
  const meta = metadata(geom.frames, hasRescale || h0.modality === 'CT', where);
  if (uid === NO_SERIES_UID) warnings.push('files carry no SeriesInstanceUID');
  if (warnings.length) meta.warnings = warnings;
  return { size: [h0.columns, h0.rows, nk], spacing: geom.spacing, origin: geom.origin, direction: geom.direction, data, meta };
}
