/**
 * Private attributes kept under the Retain Safe Private option. The machine-readable Table E.1-1
 * has no safe-private list, so this is a small hand-picked subset of the kind of entries PS3.15
 * Table E.3.10-1 lists: diffusion b-values and gradient directions, which are numbers about the
 * acquisition. ⚠ Not machine-checked against Table E.3.10-1; extend only with numeric attributes.
 * An entry is kept only when its private creator matches, its value has the VR listed here
 * (numbers only: never text) and, in implicit-VR files, its length fits that VR.
 */
export interface SafePrivate {
  creator: string;
  group: number;
  /** Low byte of the element number (the block byte is taken from the creator slot). */
  element: number;
  vr: 'IS' | 'DS' | 'FD' | 'FL' | 'US' | 'SS' | 'UL' | 'SL';
  what: string;
}

export const SAFE_PRIVATE: readonly SafePrivate[] = [
  { creator: 'SIEMENS MR HEADER', group: 0x0019, element: 0x0c, vr: 'IS', what: 'diffusion b-value' },
  { creator: 'SIEMENS MR HEADER', group: 0x0019, element: 0x0e, vr: 'FD', what: 'diffusion gradient direction' },
  { creator: 'SIEMENS MR HEADER', group: 0x0019, element: 0x27, vr: 'FD', what: 'diffusion b-matrix' },
  { creator: 'GEMS_PARM_01', group: 0x0043, element: 0x39, vr: 'IS', what: 'diffusion b-value (slop_int_6..9)' },
  { creator: 'Philips Imaging DD 001', group: 0x2001, element: 0x03, vr: 'FL', what: 'diffusion b-factor' },
];
