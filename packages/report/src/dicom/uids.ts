/**
 * UIDs for Rachis output objects.
 *
 * Rachis UID root: 2.25.<integer of UUID 44886844-8660-4c16-81e8-dc8b5c037b5e>, i.e. a root under
 * the ISO/ITU-T "2.25" arc (UUID-derived OIDs, PS3.5 §B.2), generated once for this project.
 * Every UID we create is `<root>.<19-digit number>` (63 characters, under the 64 limit).
 * The number is derived from SHA-256(seed, purpose): with a random seed (the default) UIDs
 * are unique; with a fixed seed a run is reproducible (golden tests).
 */
import { createHash, randomUUID } from 'node:crypto';

export const RACHIS_UID_ROOT = '2.25.91095770885836254168423360116090436446';

const LOW = 10n ** 18n;
const SPAN = 9n * 10n ** 18n;

export type UidFactory = (purpose: string) => string;

export function createUidFactory(seed: string = randomUUID()): UidFactory {
  return (purpose: string): string => {
    const digest = createHash('sha256').update(`${seed}\u0000${purpose}`).digest('hex');
    const n = LOW + (BigInt(`0x${digest.slice(0, 32)}`) % SPAN);
    return `${RACHIS_UID_ROOT}.${n.toString()}`;
  };
}

/** A syntactically valid DICOM UID: digits and dots, no leading zero in a component, ≤ 64 chars. */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/.test(uid);
}

/** A UUID (version-4 layout) derived from a seed, so a seeded report has a stable id. */
export function uuidFromSeed(seed: string, purpose = 'report-id'): string {
  const h = createHash('sha256').update(`${seed}\u0000${purpose}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
