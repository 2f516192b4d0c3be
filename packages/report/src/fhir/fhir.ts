/**
 * FHIR R4 Bundle (type "collection"): Patient, ImagingStudy, one Observation per measurement and
 * per evaluation, and a DiagnosticReport that lists them (pattern of clinical-reference.md §9.4 and
 * the HL7 "DICOM SR to FHIR" mapping: bodySite = SNOMED CT vertebra/disc, derivedFrom = the study).
 * Codes and values are the report model's, so they match the SR and report.json exactly.
 */
import type { Code, Evaluation, Measurement, ReportV1 } from '../model/types.js';
import { FHIR_SYSTEM } from '../model/codes.js';
import { uuidFromSeed } from '../dicom/uids.js';

type Json = Record<string, unknown>;

const coding = (c: Code | { scheme: string; value: string; meaning: string }): Json => ({
  system: FHIR_SYSTEM[c.scheme as keyof typeof FHIR_SYSTEM] ?? `urn:rachis:scheme:${c.scheme}`,
  code: c.value,
  display: c.meaning,
});

const cc = (c: Code, text?: string): Json => ({ coding: [coding(c)], ...(text ? { text } : {}) });

function fhirDate(d: string | undefined): string | undefined {
  return d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined;
}

function humanName(pn: string | undefined): Json[] | undefined {
  if (!pn) return undefined;
  const [family, given, middle, prefix, suffix] = pn.split('^').map((s) => s.trim());
  const name: Json = { text: pn.replace(/\^+/g, ' ').trim() };
  if (family) name['family'] = family;
  const givens = [given, middle].filter((x): x is string => !!x);
  if (givens.length) name['given'] = givens;
  if (prefix) name['prefix'] = [prefix];
  if (suffix) name['suffix'] = [suffix];
  return [name];
}

const GENDER: Record<string, string> = { M: 'male', F: 'female', O: 'other' };
const OBSERVATION_CATEGORY = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' }] };
const DICOM_DCM = FHIR_SYSTEM.DCM;

export interface FhirOptions {
  /** Modality of the source series (defaults to the report's, else CT). */
  modality?: string;
}

export function buildFhirBundle(report: ReportV1, options: FhirOptions = {}): Json {
  const id = (purpose: string): string => `urn:uuid:${uuidFromSeed(report.reportId, `fhir.${purpose}`)}`;
  const patientUrl = id('patient');
  const studyUrl = id('imaging-study');
  const reportUrl = id('diagnostic-report');
  const subject = { reference: patientUrl };
  const modality = options.modality ?? report.series.modality ?? 'CT';
  const effective = fhirDate(report.study.date);

  const patient: Json = {
    resourceType: 'Patient',
    ...(report.patient.id ? { identifier: [{ value: report.patient.id }] } : {}),
    ...(humanName(report.patient.name) ? { name: humanName(report.patient.name) } : {}),
    ...(report.patient.sex && GENDER[report.patient.sex] ? { gender: GENDER[report.patient.sex] } : {}),
    ...(fhirDate(report.patient.birthDate) ? { birthDate: fhirDate(report.patient.birthDate) } : {}),
  };

  const series = (uid: string, number: number, mod: string, description: string): Json => ({
    uid, number, modality: { system: DICOM_DCM, code: mod }, description,
  });
  const plan = report.dicom;
  const imagingStudy: Json = {
    resourceType: 'ImagingStudy',
    status: 'available',
    identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${plan.studyInstanceUID}` }],
    subject,
    ...(effective ? { started: effective } : {}),
    ...(report.study.description ? { description: report.study.description } : {}),
    series: [
      ...(report.series.seriesInstanceUID ? [series(report.series.seriesInstanceUID, report.series.seriesNumber ?? 0, modality, report.series.description ?? 'Source series')] : []),
      series(plan.seg.seriesInstanceUID, plan.seg.seriesNumber, 'SEG', 'Rachis vertebrae segmentation'),
      series(plan.sr.seriesInstanceUID, plan.sr.seriesNumber, 'SR', 'Rachis spine measurements'),
      ...(plan.sc.sopInstanceUIDs.length ? [series(plan.sc.seriesInstanceUID, plan.sc.seriesNumber, 'OT', 'Rachis key images')] : []),
    ],
  };

  const methodText = (methodId: string): string => {
    const m = report.methods.find((x) => x.id === methodId);
    return m ? `${m.name} (${m.algorithm.name} ${m.algorithm.version})` : methodId;
  };
  const observations: { url: string; resource: Json }[] = [];
  const base = (key: string, concept: Code, name: string, site: Code | undefined, method: string, caveats: string[]): Json => ({
    resourceType: 'Observation',
    status: 'preliminary',
    category: [OBSERVATION_CATEGORY],
    code: cc(concept, name),
    subject,
    ...(effective ? { effectiveDateTime: effective } : {}),
    issued: report.createdAt,
    ...(site ? { bodySite: cc(site) } : {}),
    method: { text: methodText(method) },
    derivedFrom: [{ reference: studyUrl }],
    identifier: [{ system: 'urn:rachis:measurement-key', value: key }],
    ...(caveats.length ? { note: caveats.map((text) => ({ text })) } : {}),
  });
  const addMeasurement = (m: Measurement, site: Code | undefined): void => {
    observations.push({
      url: id(`obs.${m.key}`),
      resource: {
        ...base(m.key, m.concept, m.name, site, m.method, m.caveats),
        valueQuantity: { value: m.value, unit: m.unit.display || m.unit.ucum, system: FHIR_SYSTEM.UCUM, code: m.unit.ucum },
      },
    });
  };
  const addEvaluation = (e: Evaluation, site: Code | undefined): void => {
    observations.push({ url: id(`obs.${e.key}`), resource: { ...base(e.key, e.concept, e.name, site, e.method, e.caveats), valueCodeableConcept: cc(e.value, e.text) } });
  };
  for (const l of report.levels) {
    for (const m of l.measurements) addMeasurement(m, l.site);
    for (const e of l.evaluations) addEvaluation(e, l.site);
  }
  for (const f of report.findings) {
    for (const m of f.measurements) addMeasurement(m, f.site);
    for (const e of f.evaluations) addEvaluation(e, f.site);
  }

  const diagnosticReport: Json = {
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }] }],
    code: { coding: [{ system: FHIR_SYSTEM.LN, code: '18748-4', display: 'Diagnostic imaging study' }], text: 'Rachis automated spine analysis' },
    subject,
    ...(effective ? { effectiveDateTime: effective } : {}),
    issued: report.createdAt,
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${report.reportId}` }],
    imagingStudy: [{ reference: studyUrl }],
    result: observations.map((o) => ({ reference: o.url })),
    conclusion: [...report.impression, report.disclaimer].join('\n'),
  };

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: report.createdAt,
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuidFromSeed(report.reportId, 'fhir.bundle')}` },
    entry: [
      { fullUrl: reportUrl, resource: diagnosticReport },
      { fullUrl: patientUrl, resource: patient },
      { fullUrl: studyUrl, resource: imagingStudy },
      ...observations.map((o) => ({ fullUrl: o.url, resource: o.resource })),
    ],
  };
}

/** fhir-bundle.json text. */
export function writeFhirBundle(report: ReportV1, options: FhirOptions = {}): string {
  return `${JSON.stringify(buildFhirBundle(report, options), null, 2)}\n`;
}
