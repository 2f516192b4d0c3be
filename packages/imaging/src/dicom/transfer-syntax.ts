/** Transfer syntaxes the reader knows, and how their pixel data is stored. */

export const TS = {
  ImplicitLE: '1.2.840.10008.1.2',
  ExplicitLE: '1.2.840.10008.1.2.1',
  DeflatedExplicitLE: '1.2.840.10008.1.2.1.99',
  ExplicitBE: '1.2.840.10008.1.2.2',
  JpegBaseline: '1.2.840.10008.1.2.4.50',
  JpegExtended: '1.2.840.10008.1.2.4.51',
  JpegLossless: '1.2.840.10008.1.2.4.57',
  JpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  JpegLsLossless: '1.2.840.10008.1.2.4.80',
  JpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  J2kLossless: '1.2.840.10008.1.2.4.90',
  J2k: '1.2.840.10008.1.2.4.91',
  HtJ2kLossless: '1.2.840.10008.1.2.4.201',
  HtJ2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  HtJ2k: '1.2.840.10008.1.2.4.203',
  Rle: '1.2.840.10008.1.2.5',
} as const;

export type PixelCodec = 'native' | 'rle' | 'jpeg' | 'jpegls' | 'j2k' | 'htj2k';

export interface TransferSyntaxInfo {
  name: string;
  codec: PixelCodec;
  bigEndian: boolean;
  /** Dataset bytes after the file meta are raw-deflated. */
  deflated: boolean;
}

const KNOWN: Record<string, TransferSyntaxInfo> = {
  [TS.ImplicitLE]: { name: 'Implicit VR Little Endian', codec: 'native', bigEndian: false, deflated: false },
  [TS.ExplicitLE]: { name: 'Explicit VR Little Endian', codec: 'native', bigEndian: false, deflated: false },
  [TS.DeflatedExplicitLE]: { name: 'Deflated Explicit VR Little Endian', codec: 'native', bigEndian: false, deflated: true },
  [TS.ExplicitBE]: { name: 'Explicit VR Big Endian', codec: 'native', bigEndian: true, deflated: false },
  [TS.JpegBaseline]: { name: 'JPEG Baseline (Process 1)', codec: 'jpeg', bigEndian: false, deflated: false },
  [TS.JpegExtended]: { name: 'JPEG Extended (Process 2 & 4)', codec: 'jpeg', bigEndian: false, deflated: false },
  [TS.JpegLossless]: { name: 'JPEG Lossless (Process 14)', codec: 'jpeg', bigEndian: false, deflated: false },
  [TS.JpegLosslessSV1]: { name: 'JPEG Lossless SV1 (Process 14)', codec: 'jpeg', bigEndian: false, deflated: false },
  [TS.JpegLsLossless]: { name: 'JPEG-LS Lossless', codec: 'jpegls', bigEndian: false, deflated: false },
  [TS.JpegLsNearLossless]: { name: 'JPEG-LS Near-Lossless', codec: 'jpegls', bigEndian: false, deflated: false },
  [TS.J2kLossless]: { name: 'JPEG 2000 Lossless', codec: 'j2k', bigEndian: false, deflated: false },
  [TS.J2k]: { name: 'JPEG 2000', codec: 'j2k', bigEndian: false, deflated: false },
  [TS.HtJ2kLossless]: { name: 'HT JPEG 2000 Lossless', codec: 'htj2k', bigEndian: false, deflated: false },
  [TS.HtJ2kLosslessRpcl]: { name: 'HT JPEG 2000 Lossless RPCL', codec: 'htj2k', bigEndian: false, deflated: false },
  [TS.HtJ2k]: { name: 'HT JPEG 2000', codec: 'htj2k', bigEndian: false, deflated: false },
  [TS.Rle]: { name: 'RLE Lossless', codec: 'rle', bigEndian: false, deflated: false },
};

/** Undefined for a syntax we cannot decode (the caller raises UNSUPPORTED_TRANSFER_SYNTAX). */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return KNOWN[uid];
}
