import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the JSON Schema that report.json follows (packages/report/schema/report-v1.schema.json). */
export const REPORT_SCHEMA_PATH = fileURLToPath(new URL('../../schema/report-v1.schema.json', import.meta.url));

export function loadReportSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}
