/**
 * Writes a Volume as a classic single-frame DICOM series (one file per k slice), for tests,
 * benchmarks and the demo. dcmjs builds the Part 10 file (recipe from engineering-notes:
 * naturalized dataset + datasetToBuffer); dcmjs-codecs transcodes to other transfer
 * syntaxes; deflate is applied here with zlib.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import dcmjsCodecs from 'dcmjs-codecs';
import { RachisError } from '../core/errors.js';
import type { Volume } from '../core/volume.js';
import { initCodecs } from './codecs.js';
import { TS } from './transfer-syntax.js';

const { DicomMetaDictionary } = dcmjs.data;

export interface WriteDicomOptions {
  /** Default Explicit VR Little Endian. Any syntax dcmjs-codecs can encode, or deflated. */
  transferSyntax?: string;
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  frameOfReferenceUID?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  accessionNumber?: string;
  /** Default volume.meta.modality, else 'CT'. */
  modality?: string;
  bodyPartExamined?: string;
  kvp?: number;
  contrastAgent?: string;
  convolutionKernel?: string;
  /** stored = (value − intercept) / slope, rounded. Defaults 0 and 1. */
  rescaleIntercept?: number;
  rescaleSlope?: number;
  /** Store unsigned 16-bit (then the intercept must bring every value ≥ 0). Default signed. */
  unsigned?: boolean;
  /** BitsStored (default 16); values must fit. */
  bitsStored?: number;
  /** File name prefix (default 'slice'); files are <prefix>-0000.dcm … (or <prefix>.dcm when multi-frame). */
  filePrefix?: string;
  /** One Enhanced CT/MR multi-frame file (geometry in functional groups) instead of one file per slice. */
  multiFrame?: boolean;
}

export interface WrittenSeries {
  files: string[];
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUIDs: string[];
  transferSyntaxUID: string;
}

/** DICOM DS values are at most 16 characters. */
export function formatDS(x: number): string {
  if (Number.isInteger(x) && String(x).length <= 16) return String(x);
  for (let p = 15; p > 1; p--) {
    const s = String(Number(x.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  return x.toExponential(8);
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const SC_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';
const ENHANCED_CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2.1';
const ENHANCED_MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4.1';

function storedSlices(volume: Volume, o: WriteDicomOptions): Int16Array[] | Uint16Array[] {
  const [nx, ny, nz] = volume.size;
  const slope = o.rescaleSlope ?? 1;
  const intercept = o.rescaleIntercept ?? 0;
  const bits = o.bitsStored ?? 16;
  const [lo, hi] = o.unsigned ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  const n = nx * ny;
  const out = [];
  for (let k = 0; k < nz; k++) {
    const s = o.unsigned ? new Uint16Array(n) : new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const v = Math.round((volume.data[k * n + i]! - intercept) / slope);
      if (!(v >= lo && v <= hi)) throw new RachisError('INVALID_ARGUMENT', `value ${volume.data[k * n + i]} does not fit ${bits}-bit ${o.unsigned ? 'unsigned' : 'signed'} storage with slope ${slope} / intercept ${intercept}`);
      s[i] = v;
    }
    out.push(s);
  }
  return out as Int16Array[] | Uint16Array[];
}

/** A copy of a Part 10 file whose meta names another transfer syntax (bytes after the meta untouched). */
export function withTransferSyntaxUID(part10: Uint8Array, uid: string): Uint8Array {
  const [meta, body] = splitAndRetagMeta(part10, uid);
  const out = new Uint8Array(meta.length + body.length);
  out.set(meta);
  out.set(body, meta.length);
  return out;
}

/** Replaces (0002,0010) in a Part 10 file's meta and fixes the group length; returns [meta bytes, dataset bytes]. */
function splitAndRetagMeta(bytes: Uint8Array, newTs: string): [Uint8Array, Uint8Array] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let pos = 132;
  while (pos + 8 <= bytes.length && dv.getUint16(pos, true) === 0x0002) {
    const el = dv.getUint16(pos + 2, true);
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    const long = vr === 'OB' || vr === 'UN' || vr === 'SQ';
    const len = long ? dv.getUint32(pos + 8, true) : dv.getUint16(pos + 6, true);
    const end = pos + (long ? 12 : 8) + len;
    if (el === 0x0010) {
      const v = newTs.length % 2 ? `${newTs}\0` : newTs;
      const e = new Uint8Array(8 + v.length);
      e.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, v.length & 0xff, v.length >> 8]);
      for (let i = 0; i < v.length; i++) e[8 + i] = v.charCodeAt(i);
      parts.push(e);
    } else if (el !== 0x0000) parts.push(bytes.subarray(pos, end));
    pos = end;
  }
  const groupLen = parts.reduce((n, p) => n + p.length, 0);
  const meta = new Uint8Array(132 + 12 + groupLen);
  meta.set(bytes.subarray(0, 132));
  meta.set([0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 4, 0, groupLen & 0xff, (groupLen >> 8) & 0xff, (groupLen >> 16) & 0xff, groupLen >>> 24], 132);
  let off = 144;
  for (const p of parts) {
    meta.set(p, off);
    off += p.length;
  }
  return [meta, bytes.subarray(pos)];
}

function encode(part10: ArrayBuffer, ts: string): Uint8Array {
  if (ts === TS.ExplicitLE) return new Uint8Array(part10);
  if (ts === TS.DeflatedExplicitLE) {
    const [meta, body] = splitAndRetagMeta(new Uint8Array(part10), ts);
    const z = deflateRawSync(body);
    const out = new Uint8Array(meta.length + z.length + (z.length % 2));
    out.set(meta);
    out.set(z, meta.length);
    return out;
  }
  const transcoder = new dcmjsCodecs.Transcoder(part10);
  transcoder.transcode(ts, {});
  const out = new Uint8Array(transcoder.getDicomPart10());
  fixEncapsulatedVr(out);
  return out;
}

/**
 * dcmjs-codecs 0.0.8 writes encapsulated PixelData with VR OW; PS3.5 A.4 requires OB
 * (dcmtk warns). Patch the element header (tag, VR, reserved, undefined length) in place.
 */
function fixEncapsulatedVr(bytes: Uint8Array): void {
  const pat = [0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, 0xff, 0xff, 0xff, 0xff];
  for (let i = 132; i + pat.length <= bytes.length; i++) {
    if (pat.every((b, k) => bytes[i + k] === b)) {
      bytes[i + 5] = 0x42;
      return;
    }
  }
}

interface SeriesIds {
  sopClass: string;
  study: string;
  series: string;
  frameOfRef: string;
  modality: string;
}

/** Patient, study, series, equipment and image-pixel attributes shared by every file of the series. */
function commonAttributes(volume: Volume, o: WriteDicomOptions, ids: SeriesIds): Record<string, unknown> {
  const bits = o.bitsStored ?? 16;
  return {
    _vrMap: { PixelData: 'OW' },
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: ids.sopClass,
    StudyDate: o.studyDate ?? '20240101',
    StudyTime: '120000',
    AccessionNumber: o.accessionNumber ?? '',
    Modality: ids.modality,
    Manufacturer: 'Rachis',
    ReferringPhysicianName: '',
    StudyDescription: o.studyDescription ?? '',
    SeriesDescription: o.seriesDescription ?? 'Rachis synthetic series',
    PatientName: o.patientName ?? 'Synthetic^Phantom',
    PatientID: o.patientId ?? 'RACHIS-SYNTH',
    PatientBirthDate: o.patientBirthDate ?? '',
    PatientSex: o.patientSex ?? 'O',
    ...(o.bodyPartExamined ? { BodyPartExamined: o.bodyPartExamined } : {}),
    ...(o.contrastAgent ? { ContrastBolusAgent: o.contrastAgent } : {}),
    ...(ids.modality === 'CT' ? { KVP: formatDS(o.kvp ?? 120) } : {}),
    ...(o.convolutionKernel ? { ConvolutionKernel: o.convolutionKernel } : {}),
    PatientPosition: 'HFS',
    StudyInstanceUID: ids.study,
    SeriesInstanceUID: ids.series,
    StudyID: '1',
    SeriesNumber: String(o.seriesNumber ?? 1),
    FrameOfReferenceUID: ids.frameOfRef,
    PositionReferenceIndicator: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: volume.size[1],
    Columns: volume.size[0],
    BitsAllocated: 16,
    BitsStored: bits,
    HighBit: bits - 1,
    PixelRepresentation: o.unsigned ? 0 : 1,
  };
}

function meta(sopClass: string, sop: string): Record<string, unknown> {
  return { TransferSyntaxUID: { Value: [TS.ExplicitLE] }, MediaStorageSOPClassUID: { Value: [sopClass] }, MediaStorageSOPInstanceUID: { Value: [sop] }, ImplementationClassUID: { Value: ['1.2.826.0.1.3680043.10.1404.1'] } };
}

function toPart10(ds: Record<string, unknown>, ts: string): Uint8Array {
  const part10 = dcmjs.data.datasetToBuffer(ds);
  return encode(part10.buffer.slice(part10.byteOffset, part10.byteOffset + part10.byteLength) as ArrayBuffer, ts);
}

/**
 * Writes volume into outDir (created if needed): one file per k slice, or with `multiFrame`
 * one Enhanced CT/MR file whose frames carry their geometry in functional groups.
 */
export async function writeDicomSeries(volume: Volume, outDir: string, options: WriteDicomOptions = {}): Promise<WrittenSeries> {
  const ts = options.transferSyntax ?? TS.ExplicitLE;
  if (ts !== TS.ExplicitLE && ts !== TS.DeflatedExplicitLE) await initCodecs();
  const nz = volume.size[2];
  const d = volume.direction;
  const modality = options.modality ?? volume.meta.modality ?? 'CT';
  const enhanced = options.multiFrame === true;
  const sopClass = enhanced
    ? modality === 'MR' ? ENHANCED_MR_IMAGE_STORAGE : ENHANCED_CT_IMAGE_STORAGE
    : modality === 'CT' ? CT_IMAGE_STORAGE : modality === 'MR' ? MR_IMAGE_STORAGE : SC_IMAGE_STORAGE;
  const ids: SeriesIds = {
    sopClass,
    modality,
    study: options.studyInstanceUID ?? DicomMetaDictionary.uid(),
    series: options.seriesInstanceUID ?? DicomMetaDictionary.uid(),
    frameOfRef: options.frameOfReferenceUID ?? DicomMetaDictionary.uid(),
  };
  const slices = storedSlices(volume, options);
  const common = commonAttributes(volume, options, ids);
  const position = (k: number): string[] => [0, 1, 2].map((a) => formatDS(volume.origin[a]! + k * volume.spacing[2] * d[a * 3 + 2]!));
  const orientation = [d[0], d[3], d[6], d[1], d[4], d[7]].map(formatDS);
  const pixelSpacing = [formatDS(volume.spacing[1]), formatDS(volume.spacing[0])];
  const thickness = formatDS(volume.meta.sliceThicknessMm ?? volume.spacing[2]);
  const rescale = { RescaleIntercept: formatDS(options.rescaleIntercept ?? 0), RescaleSlope: formatDS(options.rescaleSlope ?? 1), RescaleType: modality === 'CT' ? 'HU' : 'US' };
  await mkdir(outDir, { recursive: true });
  const prefix = options.filePrefix ?? 'slice';

  if (enhanced) {
    const sop = DicomMetaDictionary.uid();
    const all = new Uint8Array(slices.reduce((n, s) => n + s.byteLength, 0));
    slices.forEach((s, k) => all.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), k * s.byteLength));
    const ds = {
      ...common,
      _meta: meta(sopClass, sop),
      ImageType: ['ORIGINAL', 'PRIMARY', 'VOLUME', 'NONE'],
      SOPInstanceUID: sop,
      InstanceNumber: '1',
      ContentDate: options.studyDate ?? '20240101',
      ContentTime: '120000',
      NumberOfFrames: String(nz),
      SharedFunctionalGroupsSequence: [
        {
          PlaneOrientationSequence: [{ ImageOrientationPatient: orientation }],
          PixelMeasuresSequence: [{ PixelSpacing: pixelSpacing, SliceThickness: thickness }],
          PixelValueTransformationSequence: [rescale],
        },
      ],
      PerFrameFunctionalGroupsSequence: slices.map((_, k) => ({
        PlanePositionSequence: [{ ImagePositionPatient: position(k) }],
        FrameContentSequence: [{ StackID: '1', InStackPositionNumber: k + 1 }],
      })),
      PixelData: [all.buffer],
    };
    const file = join(outDir, `${prefix}.dcm`);
    await writeFile(file, toPart10(ds, ts));
    return { files: [file], studyInstanceUID: ids.study, seriesInstanceUID: ids.series, sopInstanceUIDs: [sop], transferSyntaxUID: ts };
  }

  const files: string[] = [];
  const sops: string[] = [];
  for (let k = 0; k < nz; k++) {
    const sop = DicomMetaDictionary.uid();
    const ds = {
      ...common,
      _meta: meta(sopClass, sop),
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPInstanceUID: sop,
      InstanceNumber: String(k + 1),
      AcquisitionNumber: '1',
      // dciodvfy: Laterality (2C) is expected when the body part is unknown, forbidden for unpaired parts.
      ...(options.bodyPartExamined ? {} : { Laterality: '' }),
      SliceThickness: thickness,
      ImagePositionPatient: position(k),
      ImageOrientationPatient: orientation,
      PixelSpacing: pixelSpacing,
      ...rescale,
      PixelData: [slices[k]!.buffer],
    };
    const file = join(outDir, `${prefix}-${String(k).padStart(4, '0')}.dcm`);
    await writeFile(file, toPart10(ds, ts));
    files.push(file);
    sops.push(sop);
  }
  return { files, studyInstanceUID: ids.study, seriesInstanceUID: ids.series, sopInstanceUIDs: sops, transferSyntaxUID: ts };
}
