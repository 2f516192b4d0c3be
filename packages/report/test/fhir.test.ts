import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, FHIR_SYSTEM } from '../src/index.js';
import { writeFhirBundle } from '../src/fhir/fhir.js';
import { makeFixture, HOSTILE_NAME } from './fixtures/synthetic.js';
import { fhirBundleValidator } from './helpers/fhir-schema.js';

type R = Record<string, unknown> & { resourceType: string };
type Entry = { fullUrl: string; resource: R };

const validate = fhirBundleValidator();
const f = makeFixture();
const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'fhir', keyImages: f.keyImages });
const bundle = JSON.parse(writeFhirBundle(report)) as { entry: Entry[] };

test('FHIR bundle validates against the FHIR R4 JSON schema (official fhir.schema.json)', () => {
  assert.ok(validate(bundle), JSON.stringify(validate.errors, null, 1));
  const broken = structuredClone(bundle);
  broken.entry[3]!.resource['status'] = 'finished';
  assert.equal(validate(broken), false, 'the validator rejects an invalid status (it can fail)');
});

test('every reference resolves inside the bundle; one DiagnosticReport lists every Observation', () => {
  const urls = new Set(bundle.entry.map((e) => e.fullUrl));
  const refs = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
  for (const r of refs) assert.ok(urls.has(r.slice(13, -1)), r);
  const reports = bundle.entry.filter((e) => e.resource.resourceType === 'DiagnosticReport');
  assert.equal(reports.length, 1);
  const obs = bundle.entry.filter((e) => e.resource.resourceType === 'Observation');
  const results = (reports[0]!.resource['result'] as { reference: string }[]).map((x) => x.reference);
  assert.deepEqual(results.sort(), obs.map((o) => o.fullUrl).sort());
  const study = bundle.entry.find((e) => e.resource.resourceType === 'ImagingStudy')!.resource;
  assert.deepEqual(study['identifier'], [{ system: 'urn:dicom:uid', value: `urn:oid:${report.dicom.studyInstanceUID}` }]);
  const seriesUids = (study['series'] as { uid: string }[]).map((s) => s.uid);
  assert.deepEqual(seriesUids, [f.volume.meta.seriesInstanceUID, report.dicom.seg.seriesInstanceUID, report.dicom.sr.seriesInstanceUID, report.dicom.sc.seriesInstanceUID]);
});

test('FHIR numbers, units and codes equal report.json', () => {
  const json = JSON.parse(JSON.stringify(report)) as typeof report;
  const obs = new Map(bundle.entry.filter((e) => e.resource.resourceType === 'Observation').map((e) => {
    const id = (e.resource['identifier'] as { value: string }[])[0]!.value;
    return [id, e.resource] as const;
  }));
  let n = 0;
  for (const owner of [...json.levels, ...json.findings]) {
    const site = 'site' in owner ? owner.site : undefined;
    for (const m of owner.measurements) {
      const o = obs.get(m.key);
      assert.ok(o, m.key);
      assert.deepEqual(o['valueQuantity'], { value: m.value, unit: m.unit.display || m.unit.ucum, system: FHIR_SYSTEM.UCUM, code: m.unit.ucum });
      assert.deepEqual((o['code'] as { coding: unknown[] }).coding[0], { system: FHIR_SYSTEM[m.concept.scheme], code: m.concept.value, display: m.concept.meaning });
      if (site) assert.equal((o['bodySite'] as { coding: { code: string }[] }).coding[0]!.code, site.value);
      n++;
    }
    for (const e of owner.evaluations) {
      const o = obs.get(e.key);
      assert.ok(o, e.key);
      assert.equal((o['valueCodeableConcept'] as { coding: { code: string }[] }).coding[0]!.code, e.value.value);
      n++;
    }
  }
  assert.equal(n, obs.size, 'no Observation without a report value');
  const l1 = obs.get('L1/trabecular-attenuation')!;
  assert.equal((l1['bodySite'] as { coding: { system: string; code: string }[] }).coding[0]!.system, 'http://snomed.info/sct');
  assert.equal((l1['bodySite'] as { coding: { code: string }[] }).coding[0]!.code, '66794005');
});

test('patient identity is carried as data (no escaping needed in JSON) and DICOM PN is split', () => {
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
  const name = (patient['name'] as { family: string; given: string[]; text: string }[])[0]!;
  assert.equal(name.family, HOSTILE_NAME.split('^')[0]);
  assert.deepEqual(name.given, [HOSTILE_NAME.split('^')[1]]);
  assert.equal(patient['gender'], 'female');
  assert.equal(patient['birthDate'], '1958-01-02');
});

test('FHIR bundle from NIfTI-like input (no DICOM identity) is valid too', () => {
  const g = makeFixture({ dicom: false });
  const r = buildReport(g.volume, g.spine, g.measurements, { seed: 'fhir-nifti' });
  const b = JSON.parse(writeFhirBundle(r)) as { entry: Entry[] };
  assert.ok(validate(b), JSON.stringify(validate.errors, null, 1));
  const study = b.entry.find((e) => e.resource.resourceType === 'ImagingStudy')!.resource;
  assert.deepEqual((study['series'] as { modality: { code: string } }[]).map((s) => s.modality.code), ['SEG', 'SR']);
});
