import type { Code, Evaluation, Measurement, Unit } from '../model/types.js';
import { roundTo } from '../model/format.js';

export interface MeasurementSpec {
  key: string;
  name: string;
  concept: Code;
  value: number | undefined;
  decimals: number;
  unit: Unit;
  method: string;
  derivation?: Code;
  confidence?: number | undefined;
  caveats?: string[] | undefined;
}

/**
 * A model Measurement with its value rounded once, or undefined when the value is missing or not
 * finite (a NaN must never reach a report: the caller records the gap as a caveat instead).
 */
export function makeMeasurement(s: MeasurementSpec): Measurement | undefined {
  if (s.value === undefined || !Number.isFinite(s.value)) return undefined;
  const m: Measurement = {
    key: s.key,
    name: s.name,
    concept: { ...s.concept },
    value: roundTo(s.value, s.decimals),
    decimals: s.decimals,
    unit: { ...s.unit },
    method: s.method,
    caveats: [...(s.caveats ?? [])],
  };
  if (s.derivation) m.derivation = { ...s.derivation };
  if (s.confidence !== undefined && Number.isFinite(s.confidence)) m.confidence = roundTo(clamp01(s.confidence), 2);
  return m;
}

export function makeEvaluation(e: Omit<Evaluation, 'caveats' | 'confidence'> & { caveats?: string[] | undefined; confidence?: number | undefined }): Evaluation {
  const out: Evaluation = {
    key: e.key,
    name: e.name,
    concept: { ...e.concept },
    value: { ...e.value },
    text: e.text,
    method: e.method,
    caveats: [...(e.caveats ?? [])],
  };
  if (e.confidence !== undefined && Number.isFinite(e.confidence)) out.confidence = roundTo(clamp01(e.confidence), 2);
  return out;
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

export function pushDefined<T>(arr: T[], v: T | undefined): void {
  if (v !== undefined) arr.push(v);
}
