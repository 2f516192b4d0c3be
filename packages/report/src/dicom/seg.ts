/**
 * DICOM Segmentation (BINARY, bit-packed), one segment per reported vertebra.
 *
 * Built directly as a naturalized dataset rather than with dcmjs `derivations.Segmentation`:
 * that class needs the source DICOM datasets (we only have the Volume, possibly from NIfTI)
 * and its bundled adapters are legacy (engineering-notes). Frames are sparse: one frame per
 * (segment, slice) pair where the segment has voxels, ordered by segment then slice.
 * Geometry: frames are the volume's k-slices, so rows/columns/orientation/positions come
 * straight from the Volume geometry (oblique or flipped axes included).
 */
import dcmjs from 'dcmjs';
import type { DicomDataset } from 'dcmjs';
import type { LabelMap } from '@rachis/imaging';
import { RachisError } from '@rachis/imaging';
import { labelColour } from '@rachis/imaging/render';
import type { ReportV1 } from '../model/types.js';
import { CONCEPTS } from '../model/codes.js';
import { codeItem, commonModules, dicomString } from './common.js';
import { toPart10 } from './part10.js';
import { createUidFactory } from './uids.js';

export const SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export type Rgb = readonly [number, number, number];

export interface SegOptions {
  /** Display colour (sRGB 0..255) per label value; defaults to the key-image colours (labelColour). */
  colourOf?: (labelValue: number) => Rgb;
  /** SOP Class of the source slices (default: CT Image Storage). */
  sourceSopClassUID?: string;
  /** SOP Instance UIDs of the source slices in k order (required to reference them). */
  sourceSopInstanceUIDs?: readonly string[];
}

export function frameGeometry(g: LabelMap): { orientation: number[]; position: (k: number) => number[] } {
  const d = g.direction;
  const s = g.spacing;
  const orientation = [d[0], d[3], d[6], d[1], d[4], d[7]];
  const position = (k: number): number[] => [0, 1, 2].map((r) => g.origin[r as 0 | 1 | 2] + d[r * 3 + 2]! * s[2] * k);
  return { orientation, position };
}

/** Decimal string ≤ 16 chars (DS) that survives a round trip to ~1e-6 mm. */
function ds(x: number): number {
  return Number(x.toPrecision(10));
}

export function buildSegDataset(report: ReportV1, labelMap: LabelMap, options: SegOptions = {}): { dataset: DicomDataset; pixelData: Uint8Array } {
  const [cols, rows, slices] = labelMap.size;
  if (report.series.sizeVoxels.some((v, i) => v !== labelMap.size[i])) {
    throw new RachisError('GEOMETRY_MISMATCH', 'the label map does not have the size of the reported series');
  }
  const segments = report.levels.filter((l) => l.kind === 'vertebra' && l.segmentNumber !== undefined && l.labelValue !== undefined);
  const sliceSize = rows * cols;
  const segOfLabel = new Map(segments.map((l) => [l.labelValue!, l.segmentNumber!]));
  // Which (segment, slice) pairs are non-empty.
  const present = new Map<number, Set<number>>();
  for (let k = 0; k < slices; k++) {
    for (let p = k * sliceSize, end = p + sliceSize; p < end; p++) {
      const v = labelMap.data[p]!;
      if (v === 0) continue;
      const s = segOfLabel.get(v);
      if (s === undefined) continue;
      let set = present.get(s);
      if (!set) present.set(s, (set = new Set()));
      set.add(k);
    }
  }
  const frames: { segment: number; label: number; k: number }[] = [];
  for (const l of segments) for (const k of [...(present.get(l.segmentNumber!) ?? [])].sort((a, b) => a - b)) frames.push({ segment: l.segmentNumber!, label: l.labelValue!, k });
  if (frames.length === 0) throw new RachisError('NO_SPINE', 'the label map holds none of the reported vertebrae');

  // Bit-packed BINARY pixel data: frames follow each other with no per-frame padding (PS3.5 §8.1.1).
  const totalBits = frames.length * sliceSize;
  const pixelData = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) % 2));
  frames.forEach((f, fi) => {
    const base = f.k * sliceSize;
    const bit0 = fi * sliceSize;
    for (let p = 0; p < sliceSize; p++) {
      if (labelMap.data[base + p] === f.label) {
        const b = bit0 + p;
        pixelData[b >> 3]! |= 1 << (b & 7);
      }
    }
  });

  const { orientation, position } = frameGeometry(labelMap);
  const plan = report.dicom;
  const uid = createUidFactory(plan.seg.sopInstanceUID);
  const sourceUIDs = options.sourceSopInstanceUIDs ?? [];
  const fromDicom = report.series.fromDicom && sourceUIDs.length === slices && report.series.seriesInstanceUID !== undefined;
  const sourceClass = options.sourceSopClassUID ?? CT_IMAGE_STORAGE;
  const colourOf = options.colourOf ?? labelColour; // same colours as the key images
  const algorithm = report.methods.find((m) => m.id === 'segmentation')?.algorithm ?? { name: 'Rachis', version: report.generator.version };
  const dimOrg = uid('dimension-organization');

  const dataset: DicomDataset = {
    ...commonModules(report, SEG_SOP_CLASS_UID, plan.seg.sopInstanceUID),
    Modality: 'SEG',
    SeriesInstanceUID: plan.seg.seriesInstanceUID,
    SeriesNumber: plan.seg.seriesNumber,
    SeriesDescription: 'Rachis vertebrae segmentation',
    FrameOfReferenceUID: plan.frameOfReferenceUID,
    PositionReferenceIndicator: '',
    InstanceNumber: 1,
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: 'VERTEBRAE',
    ContentDescription: dicomString(`Vertebrae ${segments.map((s) => s.name).join(' ')}`, 64),
    ContentCreatorName: '',
    SegmentationType: 'BINARY',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: cols,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    NumberOfFrames: frames.length,
    SegmentSequence: segments.map((l) => ({
      SegmentNumber: l.segmentNumber,
      SegmentLabel: l.name,
      SegmentDescription: dicomString(l.site.meaning, 64),
      SegmentAlgorithmType: 'AUTOMATIC',
      SegmentAlgorithmName: dicomString(`${algorithm.name} ${algorithm.version}`, 64),
      SegmentedPropertyCategoryCodeSequence: [codeItem(CONCEPTS.anatomicalStructure)],
      SegmentedPropertyTypeCodeSequence: [codeItem(l.site)],
      TrackingID: l.name,
      TrackingUID: uid(`tracking.${l.name}`),
      RecommendedDisplayCIELabValue: dcmjs.data.Colors.rgb2DICOMLAB(colourOf(l.labelValue!).map((c) => c / 255)).map((x: number) => Math.round(x)),
    })),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimOrg }],
    DimensionIndexSequence: [
      { DimensionOrganizationUID: dimOrg, DimensionIndexPointer: 0x0062000b, FunctionalGroupPointer: 0x0062000a, DimensionDescriptionLabel: 'Segment Number' },
      { DimensionOrganizationUID: dimOrg, DimensionIndexPointer: 0x00200032, FunctionalGroupPointer: 0x00209113, DimensionDescriptionLabel: 'Image Position Patient' },
    ],
    SharedFunctionalGroupsSequence: [{
      PixelMeasuresSequence: [{ PixelSpacing: [ds(labelMap.spacing[1]), ds(labelMap.spacing[0])], SliceThickness: ds(labelMap.spacing[2]), SpacingBetweenSlices: ds(labelMap.spacing[2]) }],
      PlaneOrientationSequence: [{ ImageOrientationPatient: orientation.map(ds) }],
    }],
    PerFrameFunctionalGroupsSequence: frames.map((f) => ({
      FrameContentSequence: [{ DimensionIndexValues: [f.segment, f.k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: position(f.k).map(ds) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: f.segment }],
      ...(fromDicom ? {
        DerivationImageSequence: [{
          SourceImageSequence: [{
            ReferencedSOPClassUID: sourceClass,
            ReferencedSOPInstanceUID: sourceUIDs[f.k],
            PurposeOfReferenceCodeSequence: [{ CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image for image processing operation' }],
          }],
          DerivationCodeSequence: [{ CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' }],
        }],
      } : {}),
    })),
    ...(fromDicom ? {
      ReferencedSeriesSequence: [{
        SeriesInstanceUID: report.series.seriesInstanceUID,
        ReferencedInstanceSequence: sourceUIDs.map((u) => ({ ReferencedSOPClassUID: sourceClass, ReferencedSOPInstanceUID: u })),
      }],
    } : {}),
  };
  return { dataset, pixelData };
}

/** DICOM SEG Part 10 bytes. */
export function writeSeg(report: ReportV1, labelMap: LabelMap, options: SegOptions = {}): Buffer {
  const { dataset, pixelData } = buildSegDataset(report, labelMap, options);
  dataset['PixelData'] = pixelData.buffer;
  return toPart10(dataset, { PixelData: 'OB' });
}
