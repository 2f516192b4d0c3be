/**
 * Coded concepts used by every writer (SR, SEG, FHIR, JSON), kept in one place.
 *
 * Sources: vertebra and disc SNOMED CT codes from DICOM CID 7603/7604 (clinical-reference.md §8.4);
 * DCM codes from PS3.16 (TID 1500 structure, clinical-reference.md §9.3); UCUM units.
 * Where no standard code is confirmed for a concept (vertebral height columns, Genant grade,
 * bone-density category, Cobb angle, body-composition areas) we use the private scheme
 * '99RACHIS' rather than guess a SNOMED/LOINC code: private designators starting with "99"
 * are the DICOM-sanctioned way to say "local code". Replace them when verified codes exist.
 */
import type { Code, CodingScheme, Unit } from './types.js';

const sct = (value: string, meaning: string): Code => ({ scheme: 'SCT', value, meaning });
const dcm = (value: string, meaning: string): Code => ({ scheme: 'DCM', value, meaning });
const local = (value: string, meaning: string): Code => ({ scheme: '99RACHIS', value, meaning });

/** SNOMED CT, DICOM CID 7603 "Vertebra". */
const VERTEBRA_SCT: Record<string, string> = {
  C1: '14806007', C2: '39976000', C3: '113205007', C4: '5329002', C5: '36978003', C6: '36054005', C7: '87391001',
  T1: '64864005', T2: '53733008', T3: '1626008', T4: '73071006', T5: '56401006', T6: '45296009',
  T7: '62487009', T8: '11068009', T9: '82687006', T10: '7610001', T11: '12989004', T12: '23215003',
  L1: '66794005', L2: '14293000', L3: '36470004', L4: '11994002', L5: '49668003',
};

/** SNOMED CT, DICOM CID 7604 "Intervertebral Disc" (lumbar and thoracolumbar only in the reference). */
const DISC_SCT: Record<string, string> = {
  'T12-L1': '76206002', 'L1-L2': '80064006', 'L2-L3': '67459009',
  'L3-L4': '62551000', 'L4-L5': '84020006', 'L5-S1': '715056000',
};

/** SNOMED CT code of a vertebra, or a local code for transitional/unlisted ones (T13, L6, S1/sacrum). */
export function vertebraCode(name: string): Code {
  const v = VERTEBRA_SCT[name];
  if (v) return sct(v, `${name} vertebra`);
  // ⚠ 54735007 "Sacrum" is not in the CID 7603 table of clinical-reference.md; verify before relying on it.
  if (name === 'S1' || name === 'sacrum') return sct('54735007', 'Sacrum');
  return local(`vertebra-${name}`, `${name} vertebra`);
}

/** Disc names are written 'L4-L5' in the model. */
export function discCode(name: string): Code {
  const v = DISC_SCT[name];
  return v ? sct(v, `${name.replace('-', '/')} intervertebral disc`) : local(`disc-${name}`, `${name.replace('-', '/')} intervertebral disc`);
}

export const UNITS = {
  hu: { ucum: "[hnsf'U]", display: 'HU' },
  mm: { ucum: 'mm', display: 'mm' },
  mm3: { ucum: 'mm3', display: 'mm³' },
  cm3: { ucum: 'cm3', display: 'cm³' },
  cm2: { ucum: 'cm2', display: 'cm²' },
  cm2PerM2: { ucum: 'cm2/m2', display: 'cm²/m²' },
  deg: { ucum: 'deg', display: '°' },
  percent: { ucum: '%', display: '%' },
  ratio: { ucum: '1', display: '' },
  count: { ucum: '{count}', display: '' },
} as const satisfies Record<string, Unit>;

export const CONCEPTS = {
  // Measurements
  attenuation: dcm('112031', 'Attenuation Coefficient'),
  mean: sct('373098007', 'Mean'),
  volume: sct('118565006', 'Volume'),
  anteriorHeight: local('ht-anterior', 'Anterior vertebral body height'),
  middleHeight: local('ht-middle', 'Middle vertebral body height'),
  posteriorHeight: local('ht-posterior', 'Posterior vertebral body height'),
  heightRatio: local('ht-ratio-min', 'Smallest vertebral body height ratio'),
  heightLoss: local('ht-loss', 'Vertebral body height loss'),
  fractureCount: local('fracture-count', 'Number of vertebrae with Genant grade 1 or more'),
  discHeight: local('disc-ht', 'Intervertebral disc height'),
  cobbAngle: local('cobb', 'Cobb angle'),
  lordosis: local('lordosis', 'Lumbar lordosis angle'),
  kyphosis: local('kyphosis', 'Thoracic kyphosis angle'),
  muscleArea: local('muscle-area', 'Skeletal muscle cross-sectional area'),
  muscleAttenuation: local('muscle-hu', 'Skeletal muscle mean attenuation'),
  satArea: local('sat-area', 'Subcutaneous adipose tissue area'),
  vatArea: local('vat-area', 'Visceral adipose tissue area'),
  imatArea: local('imat-area', 'Intermuscular adipose tissue area'),
  smi: local('smi', 'Skeletal muscle index'),
  // Evaluations
  genantGrade: local('genant-grade', 'Genant semi-quantitative fracture grade'),
  boneDensityCategory: local('bmd-category', 'Opportunistic CT bone density category'),
  scoliosis: local('scoliosis', 'Scoliosis'),
  // SR structure (PS3.16)
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  languageOfContent: dcm('121049', 'Language of Content Item and Descendants'),
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUID: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  deviceObserverManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  deviceObserverModelName: dcm('121015', 'Device Observer Model Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  ctProcedure: sct('77477000', 'Computerized tomography'),
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUID: dcm('112040', 'Tracking Unique Identifier'),
  referencedSegment: dcm('121214', 'Referenced Segment'),
  sourceSeriesForSegmentation: dcm('121232', 'Source series for segmentation'),
  finding: dcm('121071', 'Finding'),
  findingSite: sct('363698007', 'Finding Site'),
  algorithmName: dcm('111001', 'Algorithm Name'),
  algorithmVersion: dcm('111003', 'Algorithm Version'),
  anatomicalStructure: sct('91723000', 'Anatomical Structure'),
  english: { scheme: 'RFC5646', value: 'en-US', meaning: 'English (United States)' } as const,
} as const;

/** Local value codes for categorical results. */
export function localValue(value: string, meaning: string): Code {
  return local(value, meaning);
}

/** FHIR `system` URIs for each scheme. */
export const FHIR_SYSTEM: Record<CodingScheme | 'RFC5646', string> = {
  SCT: 'http://snomed.info/sct',
  LN: 'http://loinc.org',
  DCM: 'http://dicom.nema.org/resources/ontology/DCM',
  UCUM: 'http://unitsofmeasure.org',
  '99RACHIS': 'urn:rachis:codes',
  RFC5646: 'urn:ietf:bcp:47',
};

/** Coding scheme rows for the SR/SEG CodingSchemeIdentificationSequence (private scheme must be declared). */
export const LOCAL_SCHEME = {
  designator: '99RACHIS',
  name: 'Rachis local codes',
  responsibleOrganization: 'Rachis project',
} as const;
