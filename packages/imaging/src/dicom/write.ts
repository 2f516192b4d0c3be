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
  /** File name prefix (default 'slice'); files are <prefix>-0000.dcm … */
  filePrefix?: string;
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

/** Writes volume as one file per k slice into outDir (created if needed). */
export async function writeDicomSeries(volume: Volume, outDir: string, options: WriteDicomOptions = {}): Promise<WrittenSeries> {
  const ts = options.transferSyntax ?? TS.ExplicitLE;
  if (ts !== TS.ExplicitLE && ts !== TS.DeflatedExplicitLE) await initCodecs();
  const [nx, ny, nz] = volume.size;
  const d = volume.direction;
  const modality = options.modality ?? volume.meta.modality ?? 'CT';
  const sopClass = modality === 'CT' ? CT_IMAGE_STORAGE : modality === 'MR' ? MR_IMAGE_STORAGE : SC_IMAGE_STORAGE;
  const study = options.studyInstanceUID ?? DicomMetaDictionary.uid();
  const series = options.seriesInstanceUID ?? DicomMetaDictionary.uid();
  const frameOfRef = options.frameOfReferenceUID ?? DicomMetaDictionary.uid();
  const slices = storedSlices(volume, options);
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const sops: string[] = [];
  const bits = options.bitsStored ?? 16;
  for (let k = 0; k < nz; k++) {
    const pos = [0, 1, 2].map((a) => volume.origin[a]! + k * volume.spacing[2] * d[a * 3 + 2]!);
    const sop = DicomMetaDictionary.uid();
    const ds: Record<string, unknown> = {
      _meta: { TransferSyntaxUID: { Value: [TS.ExplicitLE] }, MediaStorageSOPClassUID: { Value: [sopClass] }, MediaStorageSOPInstanceUID: { Value: [sop] }, ImplementationClassUID: { Value: ['1.2.826.0.1.3680043.10.1404.1'] } },
      _vrMap: { PixelData: 'OW' },
      SpecificCharacterSet: 'ISO_IR 100',
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPClassUID: sopClass,
      SOPInstanceUID: sop,
      StudyDate: options.studyDate ?? '20240101',
      StudyTime: '120000',
      AccessionNumber: options.accessionNumber ?? '',
      Modality: modality,
      Manufacturer: 'Rachis',
      ReferringPhysicianName: '',
      StudyDescription: options.studyDescription ?? '',
      SeriesDescription: options.seriesDescription ?? 'Rachis synthetic series',
      PatientName: options.patientName ?? 'Synthetic^Phantom',
      PatientID: options.patientId ?? 'RACHIS-SYNTH',
      PatientBirthDate: options.patientBirthDate ?? '',
      PatientSex: options.patientSex ?? 'O',
      ...(options.bodyPartExamined ? { BodyPartExamined: options.bodyPartExamined } : {}),
      ...(options.contrastAgent ? { ContrastBolusAgent: options.contrastAgent } : {}),
      SliceThickness: formatDS(volume.meta.sliceThicknessMm ?? volume.spacing[2]),
      ...(modality === 'CT' ? { KVP: formatDS(options.kvp ?? 120) } : {}),
      ...(options.convolutionKernel ? { ConvolutionKernel: options.convolutionKernel } : {}),
      PatientPosition: 'HFS',
      StudyInstanceUID: study,
      SeriesInstanceUID: series,
      StudyID: '1',
      SeriesNumber: String(options.seriesNumber ?? 1),
      InstanceNumber: String(k + 1),
      ImagePositionPatient: pos.map(formatDS),
      ImageOrientationPatient: [d[0], d[3], d[6], d[1], d[4], d[7]].map(formatDS),
      FrameOfReferenceUID: frameOfRef,
      PositionReferenceIndicator: '',
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: ny,
      Columns: nx,
      PixelSpacing: [formatDS(volume.spacing[1]), formatDS(volume.spacing[0])],
      BitsAllocated: 16,
      BitsStored: bits,
      HighBit: bits - 1,
      PixelRepresentation: options.unsigned ? 0 : 1,
      RescaleIntercept: formatDS(options.rescaleIntercept ?? 0),
      RescaleSlope: formatDS(options.rescaleSlope ?? 1),
      ...(modality === 'CT' ? { RescaleType: 'HU' } : {}),
      PixelData: [slices[k]!.buffer],
    };
    const part10 = dcmjs.data.datasetToBuffer(ds);
    const ab = part10.buffer.slice(part10.byteOffset, part10.byteOffset + part10.byteLength) as ArrayBuffer;
    const file = join(outDir, `${options.filePrefix ?? 'slice'}-${String(k).padStart(4, '0')}.dcm`);
    await writeFile(file, encode(ab, ts));
    files.push(file);
    sops.push(sop);
  }
  return { files, studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUIDs: sops, transferSyntaxUID: ts };
}
