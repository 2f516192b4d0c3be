/**
 * DICOM Secondary Capture (RGB) of the key images, one instance per image in one series,
 * so any PACS viewer can show them next to the CT.
 */
import { PNG } from 'pngjs';
import type { DicomDataset } from 'dcmjs';
import { RachisError } from '@rachis/imaging';
import type { ReportV1 } from '../model/types.js';
import { commonModules, dicomString } from './common.js';
import { toPart10 } from './part10.js';

export const SC_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.7';

export interface RgbPixels {
  width: number;
  height: number;
  /** width*height*3 bytes, row-major RGB. */
  rgb: Uint8Array;
}

/** PNG (any colour type pngjs reads) → packed RGB; alpha is composited over black. */
export function pngToRgb(png: Uint8Array): RgbPixels {
  let img: PNG;
  try {
    img = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch (cause) {
    throw new RachisError('UNSUPPORTED_FORMAT', 'key image is not a readable PNG', { cause });
  }
  const n = img.width * img.height;
  const rgb = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const a = img.data[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(img.data[p * 4 + c]! * a);
  }
  return { width: img.width, height: img.height, rgb };
}

export function buildScDataset(report: ReportV1, index: number, pixels: RgbPixels): DicomDataset {
  const ref = report.keyImages[index];
  const sop = report.dicom.sc.sopInstanceUIDs[index];
  if (!ref || !sop) throw new RachisError('INVALID_ARGUMENT', `no key image ${index + 1} in the report`);
  if (pixels.width < 1 || pixels.height < 1 || pixels.width > 65535 || pixels.height > 65535) {
    throw new RachisError('ABSURD_DIMENSIONS', `key image ${ref.id} is ${pixels.width}×${pixels.height}`);
  }
  const padded = pixels.rgb.length % 2 ? new Uint8Array(pixels.rgb.length + 1) : pixels.rgb;
  if (padded !== pixels.rgb) padded.set(pixels.rgb);
  const common = commonModules(report, SC_SOP_CLASS_UID, sop);
  delete common['CodingSchemeIdentificationSequence']; // no local codes in an SC image
  return {
    ...common,
    Modality: 'OT',
    BodyPartExamined: 'SPINE',
    SeriesInstanceUID: report.dicom.sc.seriesInstanceUID,
    SeriesNumber: report.dicom.sc.seriesNumber,
    SeriesDescription: 'Rachis key images',
    ConversionType: 'WSD',
    InstanceNumber: index + 1,
    PatientOrientation: '',
    ImageType: ['DERIVED', 'SECONDARY'],
    DerivationDescription: dicomString(`${ref.title}: ${ref.caption}`, 1024),
    ImageComments: dicomString(ref.caption, 10240),
    BurnedInAnnotation: 'YES',
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    Rows: pixels.height,
    Columns: pixels.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    PixelData: padded.buffer.slice(padded.byteOffset, padded.byteOffset + padded.byteLength),
  };
}

/** One Secondary Capture Part 10 file per key image, in report.keyImages order. */
export function writeSecondaryCaptures(report: ReportV1, pngs: readonly Uint8Array[]): Buffer[] {
  if (pngs.length !== report.keyImages.length) {
    throw new RachisError('INVALID_ARGUMENT', `${pngs.length} key-image PNGs for ${report.keyImages.length} key images in the report`);
  }
  return pngs.map((png, i) => toPart10(buildScDataset(report, i, pngToRgb(png)), { PixelData: 'OB' }));
}
