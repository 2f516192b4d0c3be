/**
 * Keyed pseudonyms. Every replacement that must stay consistent across a batch and across runs
 * (UIDs, patient pseudonyms, per-patient date offsets, output file names) is an HMAC-SHA256 of the
 * original under a sub-key derived from the user's secret key, so nobody without the key can
 * rebuild the mapping by hashing guesses (PS3.15 E.1.1 warns against plain hashes).
 */
import { createHmac } from 'node:crypto';
import { RachisError } from '@rachis/imaging';

export const MIN_KEY_BYTES = 16;

export class Pseudonymizer {
  private readonly uidKey: Buffer;
  private readonly patientKey: Buffer;
  private readonly dateKey: Buffer;
  private readonly pathKey: Buffer;
  private readonly uidCache = new Map<string, string>();

  constructor(secret: Uint8Array) {
    if (secret.length < MIN_KEY_BYTES) {
      throw new RachisError('INVALID_ARGUMENT', `de-identification key must be at least ${MIN_KEY_BYTES} bytes (e.g. openssl rand -out deid.key 32)`);
    }
    const derive = (label: string): Buffer => createHmac('sha256', secret).update(`rachis-deid/${label}`).digest();
    this.uidKey = derive('uid');
    this.patientKey = derive('patient');
    this.dateKey = derive('date');
    this.pathKey = derive('path');
  }

  /** 2.25.<decimal> UID from the first 128 bits of HMAC(uid), shaped as a version-8 UUID (RFC 9562). */
  uid(original: string): string {
    const hit = this.uidCache.get(original);
    if (hit) return hit;
    const h = createHmac('sha256', this.uidKey).update(original, 'latin1').digest();
    h[6] = (h[6]! & 0x0f) | 0x80;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const uid = `2.25.${BigInt(`0x${h.subarray(0, 16).toString('hex')}`).toString(10)}`;
    if (this.uidCache.size > 1_000_000) this.uidCache.clear();
    this.uidCache.set(original, uid);
    return uid;
  }

  /** Pseudonymous patient code (uppercase base32, 16 characters) for a patient key. */
  patientCode(patientKey: Uint8Array): string {
    const h = createHmac('sha256', this.patientKey).update(patientKey).digest();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let out = '';
    for (let i = 0; i < 16; i++) out += alphabet[h[i]! & 31];
    return out;
  }

  /** Days to move every date of this patient back by: 365…3651, fixed per patient and key. */
  dateOffsetDays(patientKey: Uint8Array): number {
    const h = createHmac('sha256', this.dateKey).update(patientKey).digest();
    return 365 + (h.readUInt32BE(0) % 3287);
  }

  /** File-system-safe keyed name for a path component (lowercase hex, 20 characters). */
  pathName(relativePath: string): string {
    return createHmac('sha256', this.pathKey).update(relativePath, 'utf8').digest('hex').slice(0, 20);
  }
}
