/**
 * The one place numbers become text. Model values are rounded once (roundTo) when the report is
 * built; every writer prints them with formatValue, so report.json, the HTML, the PDF, the SR and
 * the FHIR bundle show the same digits.
 */
import type { Measurement, Threshold, Unit } from './types.js';

export function roundTo(value: number, decimals: number): number {
  const r = Number(value.toFixed(decimals));
  return Object.is(r, -0) ? 0 : r;
}

export function formatValue(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** Value with its unit as people write it: "95 HU", "12.3°", "24.0 mm". */
export function withUnit(text: string, unit: Unit): string {
  if (unit.display === '') return text;
  return unit.display === '°' || unit.display === '%' ? `${text}${unit.display}` : `${text} ${unit.display}`;
}

export function formatMeasurement(m: Pick<Measurement, 'value' | 'decimals' | 'unit'>): string {
  return withUnit(formatValue(m.value, m.decimals), m.unit);
}

const COMPARATOR_TEXT = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' } as const;

export function formatThreshold(t: Threshold): string {
  const digits = Number.isInteger(t.value) ? 0 : 1;
  return `${COMPARATOR_TEXT[t.comparator]} ${withUnit(formatValue(t.value, digits), t.unit)}: ${t.meaning} (${t.source})`;
}

/** 'L1–L5' style range of names. */
export function levelRange(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  if (names.length === 1) return names[0] ?? '';
  return `${names[0] ?? ''}–${names[names.length - 1] ?? ''}`;
}

/** Notes from several sources as one paragraph: each ends with a full stop, joined by spaces. */
export function sentences(notes: readonly string[]): string {
  return notes.map((c) => c.trim()).filter(Boolean).map((c) => (/[.!?]$/.test(c) ? c : `${c}.`)).join(' ');
}
