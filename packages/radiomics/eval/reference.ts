/** Reader for the IBSI-1 reference tables (CSV with quoted family names) and the match rule. */
import { readFileSync } from 'node:fs';

export interface ReferenceRow {
  readonly family: string;
  readonly feature: string;
  readonly tag: string;
  readonly value: number;
  readonly tolerance: number;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Rows with a reference value (features marked "not standardized" have none and are skipped). */
export function readReference(path: string): ReferenceRow[] {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const head = splitCsvLine(lines[0]!);
  const col = (n: string): number => head.indexOf(n);
  const out: ReferenceRow[] = [];
  for (const l of lines.slice(1)) {
    const c = splitCsvLine(l);
    const v = c[col('reference value')]!;
    if (v === '' || v === undefined) continue;
    out.push({
      family: c[col('family')]!,
      feature: c[col('feature')]!,
      tag: c[col('tag')]!,
      value: Number(v),
      tolerance: Number(c[col('tolerance')] || 0),
    });
  }
  return out;
}

/** Round to 3 significant digits, the precision of the IBSI tables. */
export function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(3));
}

/**
 * Match rule: within the IBSI tolerance, or equal to the reference once rounded to the
 * 3 significant digits the table is given in (the digital phantom has tolerance 0).
 */
/** True when the value is within the tolerance itself (no rounding slack). */
export function withinTolerance(value: number, ref: ReferenceRow): boolean {
  return Number.isFinite(value) && Math.abs(value - ref.value) <= ref.tolerance * (1 + 1e-9) + 1e-12;
}

export function matches(value: number, ref: ReferenceRow): boolean {
  if (!Number.isFinite(value)) return false;
  if (Math.abs(value - ref.value) <= ref.tolerance * (1 + 1e-9) + 1e-12) return true;
  return round3(value) === round3(ref.value);
}
