/**
 * Independent SEG decoder for round-trip tests: parses with dcmjs, unpacks the BINARY frames and
 * places each by its ImagePositionPatient (not by our own frame order), writing the label value
 * of the segment's vertebra name.
 */
import type { DicomDataset } from 'dcmjs';
import type { LabelMap } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type VertebraName } from '@rachis/spine';
import { fromPart10 } from '../../src/dicom/part10.js';

const arr = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : x === undefined ? [] : [x as T]);

export function decodeSegToLabels(bytes: Uint8Array, like: LabelMap): Uint8Array {
  const ds = fromPart10(bytes);
  const rows = ds['Rows'] as number;
  const cols = ds['Columns'] as number;
  const nFrames = Number(ds['NumberOfFrames']);
  const pd = arr<ArrayBuffer>(ds['PixelData'])[0]!;
  const bits = new Uint8Array(pd);
  const labelOfSegment = new Map<number, number>();
  for (const s of arr<DicomDataset>(ds['SegmentSequence'])) {
    labelOfSegment.set(s['SegmentNumber'] as number, VERTEBRA_LABEL_VALUE[s['SegmentLabel'] as VertebraName]);
  }
  const d = like.direction;
  const kAxis = [d[2], d[5], d[8]];
  const out = new Uint8Array(like.data.length);
  const frames = arr<DicomDataset>(ds['PerFrameFunctionalGroupsSequence']);
  if (frames.length !== nFrames) throw new Error(`per-frame items ${frames.length} ≠ NumberOfFrames ${nFrames}`);
  frames.forEach((f, fi) => {
    const seg = arr<DicomDataset>(f['SegmentIdentificationSequence'])[0]!['ReferencedSegmentNumber'] as number;
    const ipp = (arr<DicomDataset>(f['PlanePositionSequence'])[0]!['ImagePositionPatient'] as number[]).map(Number);
    const rel = [0, 1, 2].map((r) => ipp[r]! - like.origin[r as 0 | 1 | 2]);
    const k = Math.round((rel[0]! * kAxis[0]! + rel[1]! * kAxis[1]! + rel[2]! * kAxis[2]!) / like.spacing[2]);
    const label = labelOfSegment.get(seg)!;
    const n = rows * cols;
    for (let p = 0; p < n; p++) {
      const b = fi * n + p;
      if ((bits[b >> 3]! >> (b & 7)) & 1) {
        const o = k * n + p;
        if (out[o] !== 0) throw new Error(`voxel ${o} claimed by two segments`);
        out[o] = label;
      }
    }
  });
  return out;
}
