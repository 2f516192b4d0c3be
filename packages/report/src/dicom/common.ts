/**
 * Modules shared by the SEG, SR and SC writers: Patient, General Study, Patient Study,
 * General/Enhanced General Equipment, SOP Common. Everything comes from the report model so the
 * three objects agree (same study, same patient identity, same creation time).
 */
import type { DicomDataset } from 'dcmjs';
import type { Code, ReportV1 } from '../model/types.js';
import { LOCAL_SCHEME } from '../model/codes.js';

/** DICOM strings cannot hold backslashes (value separator) or control characters; cap the length. */
export function dicomString(s: string | undefined, maxLength: number): string {
  if (!s) return '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = s.replace(/\\/g, '/').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return [...clean].slice(0, maxLength).join('');
}

const da = (s: string | undefined): string => (s && /^\d{8}$/.test(s) ? s : '');

export function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

export function codeItem(c: Code): DicomDataset {
  return { CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: dicomString(c.meaning, 64) };
}

export const MANUFACTURER = 'Rachis open-source project';
export const MODEL_NAME = 'Rachis';

/** Patient, General Study, Patient Study, General + Enhanced General Equipment, SOP Common. */
export function commonModules(report: ReportV1, sopClassUID: string, sopInstanceUID: string): DicomDataset {
  const { date, time } = dicomDateTime(report.createdAt);
  const sex = report.patient.sex && ['M', 'F', 'O'].includes(report.patient.sex) ? report.patient.sex : '';
  const ds: DicomDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: sopClassUID,
    SOPInstanceUID: sopInstanceUID,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    TimezoneOffsetFromUTC: '+0000',
    // Patient
    PatientName: [{ Alphabetic: dicomString(report.patient.name, 64) }],
    PatientID: dicomString(report.patient.id, 64),
    PatientBirthDate: da(report.patient.birthDate),
    PatientSex: sex,
    // General Study
    StudyInstanceUID: report.dicom.studyInstanceUID,
    StudyDate: da(report.study.date),
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: dicomString(report.study.accessionNumber, 16),
    StudyDescription: dicomString(report.study.description, 64),
    // General + Enhanced General Equipment
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: MODEL_NAME,
    DeviceSerialNumber: report.generator.version,
    SoftwareVersions: report.generator.version,
    // Series/content timing
    SeriesDate: date,
    SeriesTime: time,
    ContentDate: date,
    ContentTime: time,
    CodingSchemeIdentificationSequence: [{
      CodingSchemeDesignator: LOCAL_SCHEME.designator,
      CodingSchemeName: LOCAL_SCHEME.name,
      CodingSchemeResponsibleOrganization: LOCAL_SCHEME.responsibleOrganization,
    }],
  };
  if (report.patient.age && /^\d{3}[DWMY]$/.test(report.patient.age)) ds['PatientAge'] = report.patient.age;
  return ds;
}
