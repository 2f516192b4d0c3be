/**
 * DICOM Comprehensive SR holding a TID 1500 "Imaging Measurement Report":
 * one TID 1411 volumetric measurement group per vertebra (referencing its SEG segment, same
 * Tracking UID as the segment), one TID 1501 group per disc and per study-level result, and the
 * impression as qualitative evaluations. All numbers and codes come from the report model.
 */
import type { DicomDataset } from 'dcmjs';
import type { Evaluation, LevelReport, Measurement, ReportV1 } from '../model/types.js';
import { CONCEPTS } from '../model/codes.js';
import { commonModules, dicomString } from './common.js';
import { toPart10 } from './part10.js';
import { SEG_SOP_CLASS_UID } from './seg.js';
import { SC_SOP_CLASS_UID } from './sc.js';
import { code, container, image, num, text, uidref } from './sr-items.js';
import { RACHIS_UID_ROOT, createUidFactory } from './uids.js';

export const COMPREHENSIVE_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.33';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const DERIVATION = { scheme: 'DCM', value: '121401', meaning: 'Derivation' } as const;
const IMPRESSION = { scheme: 'DCM', value: '121073', meaning: 'Impression' } as const;
const COMMENT = { scheme: 'DCM', value: '121106', meaning: 'Comment' } as const;
const QUALITATIVE = { scheme: 'UMLS', value: 'C0034375', meaning: 'Qualitative Evaluations' } as const;
/** Device Observer UID: the Rachis software as an observer (stable across runs). */
export const RACHIS_DEVICE_UID = `${RACHIS_UID_ROOT}.2`;

export interface SrOptions {
  sourceSopClassUID?: string;
  sourceSopInstanceUIDs?: readonly string[];
}

function numItem(m: Measurement): DicomDataset {
  return num('CONTAINS', m, m.derivation ? [code('HAS CONCEPT MOD', DERIVATION, m.derivation)] : []);
}

function evalItem(e: Evaluation): DicomDataset {
  return code('CONTAINS', e.concept, e.value);
}

function algorithmItems(report: ReportV1, methodIds: Iterable<string>): DicomDataset[] {
  const ids = new Set(methodIds);
  // The measuring algorithm, not the segmenter, unless segmentation is all the group used.
  const methods = report.methods.filter((m) => ids.has(m.id));
  const first = (methods.find((m) => m.id !== 'segmentation') ?? methods[0])?.algorithm;
  return first ? [text('HAS CONCEPT MOD', CONCEPTS.algorithmName, first.name), text('HAS CONCEPT MOD', CONCEPTS.algorithmVersion, first.version)] : [];
}

function levelGroup(report: ReportV1, l: LevelReport, trackingUID: string, fromDicom: boolean): DicomDataset {
  const items: DicomDataset[] = [
    text('CONTAINS', CONCEPTS.trackingIdentifier, l.name),
    uidref('CONTAINS', CONCEPTS.trackingUID, trackingUID),
    code('CONTAINS', CONCEPTS.finding, l.site),
  ];
  if (l.kind === 'vertebra' && l.segmentNumber !== undefined) {
    items.push(image('CONTAINS', CONCEPTS.referencedSegment, SEG_SOP_CLASS_UID, report.dicom.seg.sopInstanceUID, l.segmentNumber));
    if (fromDicom && report.series.seriesInstanceUID) items.push(uidref('CONTAINS', CONCEPTS.sourceSeriesForSegmentation, report.series.seriesInstanceUID));
  }
  items.push(code('HAS CONCEPT MOD', CONCEPTS.findingSite, l.site));
  items.push(...algorithmItems(report, [...l.measurements, ...l.evaluations].map((x) => x.method)));
  items.push(...l.measurements.map(numItem), ...l.evaluations.map(evalItem));
  return container('CONTAINS', CONCEPTS.measurementGroup, items);
}

function groupOf(report: ReportV1, name: string, trackingUID: string, finding: DicomDataset, site: LevelReport['site'] | undefined, ms: Measurement[], es: Evaluation[]): DicomDataset {
  return container('CONTAINS', CONCEPTS.measurementGroup, [
    text('CONTAINS', CONCEPTS.trackingIdentifier, dicomString(name, 64)),
    uidref('CONTAINS', CONCEPTS.trackingUID, trackingUID),
    finding,
    ...(site ? [code('HAS CONCEPT MOD', CONCEPTS.findingSite, site)] : []),
    ...algorithmItems(report, [...ms, ...es].map((x) => x.method)),
    ...ms.map(numItem),
    ...es.map(evalItem),
  ]);
}

export function buildSrDataset(report: ReportV1, options: SrOptions = {}): DicomDataset {
  const plan = report.dicom;
  const segUid = createUidFactory(plan.seg.sopInstanceUID); // same factory as the SEG: same Tracking UIDs
  const srUid = createUidFactory(plan.sr.sopInstanceUID);
  const sourceUIDs = options.sourceSopInstanceUIDs ?? [];
  const sourceClass = options.sourceSopClassUID ?? CT_IMAGE_STORAGE;
  const fromDicom = report.series.fromDicom && sourceUIDs.length > 0;

  const groups: DicomDataset[] = [];
  for (const l of report.levels) {
    const tracking = l.kind === 'vertebra' ? segUid(`tracking.${l.name}`) : srUid(`tracking.${l.name}`);
    if (l.kind === 'disc' && l.measurements.length === 0 && l.evaluations.length === 0) continue;
    groups.push(levelGroup(report, l, tracking, fromDicom));
  }
  for (const f of report.findings) {
    if (f.status !== 'assessed') continue;
    const finding = code('CONTAINS', CONCEPTS.finding, { scheme: '99RACHIS', value: f.key.slice(0, 16), meaning: f.title });
    if (f.key === 'alignment') {
      // One group per angle, so each angle keeps its end vertebrae in the tracking identifier.
      f.measurements.forEach((m) => groups.push(groupOf(report, m.name, srUid(`tracking.${m.key}`), finding, undefined, [m], [])));
      if (f.evaluations.length) groups.push(groupOf(report, f.title, srUid(`tracking.${f.key}.evaluations`), finding, undefined, [], f.evaluations));
    } else {
      groups.push(groupOf(report, f.title, srUid(`tracking.${f.key}`), finding, f.site, f.measurements, f.evaluations));
    }
  }

  // Image Library: the source CT slices; for non-DICOM input, the key-image captures of this study.
  const libraryImages = fromDicom
    ? sourceUIDs.map((u) => image('CONTAINS', undefined, sourceClass, u))
    : plan.sc.sopInstanceUIDs.map((u) => image('CONTAINS', undefined, SC_SOP_CLASS_UID, u));
  const content = [
    code('HAS CONCEPT MOD', CONCEPTS.languageOfContent, CONCEPTS.english),
    code('HAS OBS CONTEXT', CONCEPTS.observerType, CONCEPTS.device),
    uidref('HAS OBS CONTEXT', CONCEPTS.deviceObserverUID, RACHIS_DEVICE_UID),
    text('HAS OBS CONTEXT', CONCEPTS.deviceObserverName, 'Rachis'),
    text('HAS OBS CONTEXT', CONCEPTS.deviceObserverManufacturer, 'Rachis open-source project'),
    text('HAS OBS CONTEXT', CONCEPTS.deviceObserverModelName, `Rachis ${report.generator.version}`),
    code('HAS CONCEPT MOD', CONCEPTS.procedureReported, CONCEPTS.ctProcedure),
    ...(libraryImages.length ? [container('CONTAINS', CONCEPTS.imageLibrary, [container('CONTAINS', CONCEPTS.imageLibraryGroup, libraryImages)])] : []),
    container('CONTAINS', CONCEPTS.imagingMeasurements, groups),
    container('CONTAINS', QUALITATIVE, [
      ...report.impression.map((line) => text('CONTAINS', IMPRESSION, line)),
      ...report.caveats.map((c) => text('CONTAINS', COMMENT, c)),
      text('CONTAINS', COMMENT, report.disclaimer),
    ]),
  ];

  const evidenceSeries: DicomDataset[] = [{
    SeriesInstanceUID: plan.seg.seriesInstanceUID,
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEG_SOP_CLASS_UID, ReferencedSOPInstanceUID: plan.seg.sopInstanceUID }],
  }];
  if (!fromDicom && plan.sc.sopInstanceUIDs.length) {
    evidenceSeries.push({
      SeriesInstanceUID: plan.sc.seriesInstanceUID,
      ReferencedSOPSequence: plan.sc.sopInstanceUIDs.map((u) => ({ ReferencedSOPClassUID: SC_SOP_CLASS_UID, ReferencedSOPInstanceUID: u })),
    });
  }
  if (fromDicom && report.series.seriesInstanceUID) {
    evidenceSeries.unshift({
      SeriesInstanceUID: report.series.seriesInstanceUID,
      ReferencedSOPSequence: sourceUIDs.map((u) => ({ ReferencedSOPClassUID: sourceClass, ReferencedSOPInstanceUID: u })),
    });
  }
  return {
    ...commonModules(report, COMPREHENSIVE_SR_SOP_CLASS_UID, plan.sr.sopInstanceUID),
    Modality: 'SR',
    SeriesInstanceUID: plan.sr.seriesInstanceUID,
    SeriesNumber: plan.sr.seriesNumber,
    SeriesDescription: 'Rachis spine measurements',
    ReferencedPerformedProcedureStepSequence: [],
    InstanceNumber: 1,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [{ StudyInstanceUID: plan.studyInstanceUID, ReferencedSeriesSequence: evidenceSeries }],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [{ CodeValue: CONCEPTS.imagingMeasurementReport.value, CodingSchemeDesignator: 'DCM', CodeMeaning: CONCEPTS.imagingMeasurementReport.meaning }],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
  };
}

/** DICOM SR Part 10 bytes. */
export function writeSr(report: ReportV1, options: SrOptions = {}): Buffer {
  return toPart10(buildSrDataset(report, options));
}
