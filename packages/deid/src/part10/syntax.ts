/** Transfer syntaxes the byte-level rewriter understands, and the VR facts it needs. */

export interface TransferSyntax {
  uid: string;
  explicitVR: boolean;
  littleEndian: boolean;
  /** Pixel data is encapsulated (fragments), so it may have undefined length. */
  encapsulated: boolean;
}

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';

/**
 * Resolves a transfer syntax UID, or undefined when the dataset encoding is not one Rachis can
 * rewrite byte for byte. Every encapsulated syntax (JPEG family 1.2.840.10008.1.2.4.x, RLE 1.2.5,
 * HTJ2K, MPEG) stores its dataset as explicit VR little endian; only the pixel fragments differ,
 * and those are copied verbatim. Deflate is refused: its bytes cannot be copied through.
 */
export function transferSyntax(uid: string): TransferSyntax | undefined {
  if (uid === IMPLICIT_LE) return { uid, explicitVR: false, littleEndian: true, encapsulated: false };
  if (uid === EXPLICIT_LE) return { uid, explicitVR: true, littleEndian: true, encapsulated: false };
  if (uid === EXPLICIT_BE) return { uid, explicitVR: true, littleEndian: false, encapsulated: false };
  if (uid === DEFLATED) return undefined;
  if (/^1\.2\.840\.10008\.1\.2\.(4\.\d+|5)$/.test(uid)) {
    return { uid, explicitVR: true, littleEndian: true, encapsulated: true };
  }
  return undefined;
}

/** VRs whose explicit encoding has 2 reserved bytes and a 32-bit length. */
export const LONG_VRS: ReadonlySet<string> = new Set([
  'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV',
]);

export const VALID_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV',
  'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** String VRs (values are text; padded with a space, UI with NUL). */
export const STRING_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
]);

/** Free-text VRs: values a person typed, which may carry identity anywhere in them. */
export const FREE_TEXT_VRS: ReadonlySet<string> = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

/** Binary numeric VRs and their value size in bytes. */
export const NUMERIC_VR_SIZE: Readonly<Record<string, number>> = {
  US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, UV: 8, SV: 8, AT: 4,
};

export const TAG = {
  ItemStart: 0xfffee000,
  ItemEnd: 0xfffee00d,
  SequenceEnd: 0xfffee0dd,
  PixelData: 0x7fe00010,
  TrailingPadding: 0xfffcfffc,
  TransferSyntaxUID: 0x00020010,
} as const;

export function tagHex(tag: number): string {
  return (tag >>> 0).toString(16).padStart(8, '0');
}
