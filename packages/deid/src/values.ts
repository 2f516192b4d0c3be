/** Reading element values as text, dummy values per VR, and date shifting. */
import type { DicomElement } from './part10/parse.js';
import { NUMERIC_VR_SIZE } from './part10/syntax.js';

/** Raw value bytes of an element (defined-length elements only). */
export function valueBytes(src: Uint8Array, el: DicomElement): Uint8Array {
  return src.subarray(el.valueOffset, el.valueOffset + el.valueLength);
}

/** Value as text (latin1, so every byte survives), trailing pad removed. */
export function valueText(src: Uint8Array, el: DicomElement): string {
  return Buffer.from(src.buffer, src.byteOffset + el.valueOffset, el.valueLength).toString('latin1').replace(/[\0 ]+$/, '');
}

export function valueList(src: Uint8Array, el: DicomElement): string[] {
  const t = valueText(src, el);
  return t === '' ? [] : t.split('\\').map((v) => v.trim().replace(/\0+$/, ''));
}

/** A non-empty dummy that carries no identity, valid for the VR (action D). */
export function dummyValue(vr: string): string[] | Uint8Array {
  switch (vr) {
    case 'PN': return ['ANONYMIZED'];
    case 'DA': return ['19000101'];
    case 'TM': return ['000000'];
    case 'DT': return ['19000101000000'];
    case 'AS': return ['000Y'];
    case 'DS':
    case 'IS': return ['0'];
    case 'UR': return ['urn:anonymized'];
    case 'UI': return ['2.25.0'];
    case 'AE':
    case 'CS':
    case 'LO':
    case 'SH':
    case 'LT':
    case 'ST':
    case 'UT':
    case 'UC': return ['ANONYMIZED'];
    default: return new Uint8Array(NUMERIC_VR_SIZE[vr] ?? 2);
  }
}

const DAY_MS = 86_400_000;

function shiftYmd(y: number, m: number, d: number, days: number): [number, number, number] | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d) - days * DAY_MS);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Moves one DA value (or the date part of a DT) back by `days`, keeping its precision: YYYY and
 * YYYYMM shift their middle day and keep the same number of digits. Returns undefined for a value
 * that is not a date, so the caller can drop it (fail closed) instead of keeping it.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(.*)$/.exec(value);
  if (!m) return undefined;
  const [, ys, ms, ds, rest = ''] = m;
  if (rest !== '' && (ds === undefined || !/^[0-9.+-]*$/.test(rest))) return undefined;
  const shifted = shiftYmd(Number(ys), ms ? Number(ms) : 7, ds ? Number(ds) : ms ? 15 : 1, days);
  if (!shifted) return undefined;
  const [y, mo, d] = shifted;
  if (y < 0 || y > 9999) return undefined;
  return pad(y, 4) + (ms ? pad(mo, 2) : '') + (ds ? pad(d, 2) : '') + rest;
}
