/**
 * Typed view of the attributes the reader needs, taken from a dicom-parser DataSet.
 * One FileHeader per file; one FrameHeader per image plane (a classic CT slice has one,
 * an enhanced multi-frame file has NumberOfFrames, described by its functional groups).
 */
import type { DataSet, Element } from 'dicom-parser';
import { RachisError } from '../core/errors.js';
import { MAX_VOXELS, type Vec3 } from '../core/volume.js';
import type { ParsedDicom } from './parse.js';
import { PIXEL_DATA_TAG } from './parse.js';

export interface FrameHeader {
  /** Index of the frame inside its file's pixel data. */
  frameIndex: number;
  position?: Vec3;
  /** Row cosine then column cosine (ImageOrientationPatient). */
  orientation?: readonly [number, number, number, number, number, number];
  /** [between rows, between columns] in mm (DICOM order). */
  pixelSpacing?: readonly [number, number];
  sliceThicknessMm?: number;
  rescaleSlope: number;
  rescaleIntercept: number;
}

export interface FileHeader {
  file: string;
  transferSyntaxUID: string;
  sopInstanceUID?: string;
  sopClassUID?: string;
  seriesInstanceUID?: string;
  studyInstanceUID?: string;
  frameOfReferenceUID?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  modality?: string;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  planarConfiguration: number;
  photometric: string;
  numberOfFrames: number;
  spacingBetweenSlicesMm?: number;
  /** Absolute file offset and length of the PixelData value (length 0xFFFFFFFF = encapsulated). */
  pixelDataOffset: number;
  pixelDataLength: number;
  frames: FrameHeader[];
  /** Descriptive fields copied into Volume.meta. */
  info: Record<string, string | number | undefined>;
  /** A defect found after the header parsed (e.g. truncated pixel data): fatal only if this file's series is read. */
  problem?: { code: 'TRUNCATED'; message: string };
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const v = Number(s.trim());
  return Number.isFinite(v) ? v : undefined;
};

function nums(ds: DataSet, tag: string): number[] | undefined {
  const s = ds.string(tag);
  if (s === undefined) return undefined;
  const parts = s.split('\\').map((p) => num(p));
  return parts.every((p): p is number => p !== undefined) ? parts : undefined;
}

function us(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return undefined;
  return ds.uint16(tag);
}

function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  const el: Element | undefined = ds?.elements[tag];
  return el?.items?.[0]?.dataSet;
}

const vec3 = (v: number[] | undefined): Vec3 | undefined => (v && v.length >= 3 ? [v[0]!, v[1]!, v[2]!] : undefined);
const orient = (v: number[] | undefined): FrameHeader['orientation'] =>
  v && v.length >= 6 ? [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!] : undefined;
const pair = (v: number[] | undefined): readonly [number, number] | undefined => (v && v.length >= 2 ? [v[0]!, v[1]!] : undefined);

/** Plane geometry and rescale from a dataset or a functional-groups item (fields missing → undefined). */
function planeFrom(ds: DataSet | undefined): Partial<FrameHeader> {
  if (!ds) return {};
  const pos = firstItem(ds, 'x00209113'); // PlanePositionSequence
  const ori = firstItem(ds, 'x00209116'); // PlaneOrientationSequence
  const meas = firstItem(ds, 'x00289110'); // PixelMeasuresSequence
  const pvt = firstItem(ds, 'x00289145'); // PixelValueTransformationSequence
  const out: Partial<FrameHeader> = {};
  const p = vec3(nums(pos ?? ds, 'x00200032'));
  if (p) out.position = p;
  const o = orient(nums(ori ?? ds, 'x00200037'));
  if (o) out.orientation = o;
  const ps = pair(nums(meas ?? ds, 'x00280030'));
  if (ps) out.pixelSpacing = ps;
  const th = num((meas ?? ds).string('x00180050'));
  if (th !== undefined) out.sliceThicknessMm = th;
  const slope = num((pvt ?? ds).string('x00281053'));
  const intercept = num((pvt ?? ds).string('x00281052'));
  if (slope !== undefined) out.rescaleSlope = slope;
  if (intercept !== undefined) out.rescaleIntercept = intercept;
  return out;
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Extracts and sanity-checks the header. Throws ABSURD_DIMENSIONS / NO_PIXEL_DATA / MALFORMED. */
export function readFileHeader(parsed: ParsedDicom, file: string): FileHeader {
  const ds = parsed.dataSet;
  const pixel = ds.elements[PIXEL_DATA_TAG];
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  if (!pixel) throw new RachisError('NO_PIXEL_DATA', 'no PixelData (7FE0,0010): not an image', { file });
  if (!rows || !columns) throw new RachisError('MALFORMED', `image without valid Rows/Columns (${rows}×${columns})`, { file });
  const bitsAllocated = us(ds, 'x00280100') ?? 16;
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  const samplesPerPixel = us(ds, 'x00280002') ?? 1;
  const framesStr = ds.string('x00280008');
  const numberOfFrames = framesStr === undefined ? 1 : Number(framesStr);
  if (![8, 16, 32].includes(bitsAllocated)) throw new RachisError('ABSURD_DIMENSIONS', `BitsAllocated ${bitsAllocated} is not supported (8, 16 or 32)`, { file });
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw new RachisError('ABSURD_DIMENSIONS', `BitsStored ${bitsStored} with BitsAllocated ${bitsAllocated}`, { file });
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) throw new RachisError('ABSURD_DIMENSIONS', `SamplesPerPixel ${samplesPerPixel}`, { file });
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) throw new RachisError('ABSURD_DIMENSIONS', `NumberOfFrames "${framesStr}"`, { file });
  const voxels = rows * columns * numberOfFrames;
  if (voxels > MAX_VOXELS) throw new RachisError('ABSURD_DIMENSIONS', `${rows}×${columns}×${numberOfFrames} voxels exceed the limit of ${MAX_VOXELS}`, { file });
  const encapsulated = pixel.length === 0xffffffff || pixel.encapsulatedPixelData === true || pixel.hadUndefinedLength === true;
  if (!encapsulated) {
    const need = voxels * samplesPerPixel * (bitsAllocated / 8);
    if (pixel.length < need) {
      throw new RachisError('ABSURD_DIMENSIONS', `header promises ${rows}×${columns}×${numberOfFrames}×${samplesPerPixel} samples of ${bitsAllocated} bits (${need} bytes) but PixelData holds ${pixel.length}`, { file });
    }
  } else if (pixel.length === 0) {
    throw new RachisError('NO_PIXEL_DATA', 'PixelData is empty', { file });
  }

  const shared = firstItem(ds, 'x52009229');
  const perFrame = ds.elements['x52009230']?.items;
  const base: FrameHeader = { frameIndex: 0, rescaleSlope: 1, rescaleIntercept: 0, ...planeFrom(ds), ...planeFrom(shared) };
  const frames: FrameHeader[] = [];
  if (numberOfFrames > 1 && perFrame && perFrame.length === numberOfFrames) {
    perFrame.forEach((item, i) => frames.push({ ...base, ...planeFrom(item.dataSet), frameIndex: i }));
  } else {
    for (let i = 0; i < numberOfFrames; i++) frames.push({ ...base, frameIndex: i });
  }
  if (numberOfFrames > 1 && !(perFrame && perFrame.length === numberOfFrames) && frames.length > 1) {
    // Legacy multi-frame without per-frame positions: geometry.ts stacks them along SpacingBetweenSlices.
    for (const f of frames) delete f.position;
  }
  const str = (tag: string): string | undefined => ds.string(tag) || undefined;
  return {
    file,
    transferSyntaxUID: parsed.transferSyntaxUID,
    ...defined({
      // Falls back to the file meta copies when the dataset ones were blanked (de-identified files).
      sopInstanceUID: str('x00080018') ?? str('x00020003'),
      sopClassUID: str('x00080016') ?? str('x00020002'),
      seriesInstanceUID: str('x0020000e'),
      studyInstanceUID: str('x0020000d'),
      frameOfReferenceUID: str('x00200052'),
      seriesDescription: str('x0008103e'),
      seriesNumber: num(str('x00200011')),
      instanceNumber: num(str('x00200013')),
      modality: str('x00080060'),
      spacingBetweenSlicesMm: num(str('x00180088')),
    }),
    rows,
    columns,
    bitsAllocated,
    bitsStored,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    samplesPerPixel,
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    photometric: str('x00280004') ?? 'MONOCHROME2',
    numberOfFrames,
    pixelDataOffset: parsed.fileOffset + pixel.dataOffset,
    pixelDataLength: pixel.length,
    frames,
    info: {
      patientId: str('x00100020'),
      patientName: str('x00100010'),
      patientSex: str('x00100040'),
      patientAge: str('x00101010'),
      patientBirthDate: str('x00100030'),
      patientHeightM: num(str('x00101020')),
      studyDate: str('x00080020'),
      studyDescription: str('x00081030'),
      accessionNumber: str('x00080050'),
      bodyPartExamined: str('x00180015'),
      manufacturer: str('x00080070'),
      manufacturerModelName: str('x00081090'),
      institutionName: str('x00080080'),
      kvp: num(str('x00180060')),
      contrastAgent: str('x00180010'),
      convolutionKernel: str('x00181210'),
    },
  };
}
