/**
 * Serialise a naturalized dcmjs dataset as a DICOM Part 10 file (Explicit VR Little Endian).
 * Mirrors dcmjs `datasetToDict` (meta built from the dataset, denaturalized before DicomDict, so
 * the meta header is not corrupted: engineering-notes "dcmjs pitfalls") but with Rachis's own
 * implementation identity.
 */
import dcmjs from 'dcmjs';
import type { DicomDataset } from 'dcmjs';
import { RACHIS_UID_ROOT } from './uids.js';

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = `${RACHIS_UID_ROOT}.1`;
const IMPLEMENTATION_VERSION_NAME = 'RACHIS_010';

export function toPart10(dataset: DicomDataset, vrMap: Record<string, string> = {}): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const version = new Uint8Array([0, 1]);
  const meta = {
    FileMetaInformationVersion: version.buffer,
    MediaStorageSOPClassUID: dataset['SOPClassUID'],
    MediaStorageSOPInstanceUID: dataset['SOPInstanceUID'],
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({ ...dataset, _vrMap: vrMap });
  return Buffer.from(dict.write());
}

/** Parse a Part 10 buffer back into a naturalized dataset (for tests and round trips). */
export function fromPart10(bytes: Uint8Array): DicomDataset {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = dcmjs.data.DicomMessage.readFile(ab);
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
}
