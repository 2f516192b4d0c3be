/**
 * SR content items as naturalized dcmjs datasets (PS3.3 C.17.3). Small typed constructors so the
 * TID 1500 builder reads like the template. We build items directly instead of using dcmjs
 * `sr.templates.MeasurementReport`, which only knows TID 300 geometric measurements (length,
 * bidirectional, ellipse…) and cannot express segment-referenced volumetric groups.
 */
import type { DicomDataset } from 'dcmjs';
import type { Code, Measurement, Unit } from '../model/types.js';
import { formatValue } from '../model/format.js';
import { codeItem } from './common.js';

export type Relationship = 'CONTAINS' | 'HAS CONCEPT MOD' | 'HAS OBS CONTEXT' | 'HAS PROPERTIES' | 'INFERRED FROM';
type AnyCode = Code | { scheme: string; value: string; meaning: string };

const concept = (c: AnyCode): DicomDataset[] => [codeItem(c as Code)];

export function container(rel: Relationship | undefined, name: AnyCode, children: DicomDataset[]): DicomDataset {
  return {
    ...(rel ? { RelationshipType: rel } : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: concept(name),
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  };
}

export function text(rel: Relationship, name: AnyCode, value: string): DicomDataset {
  return { RelationshipType: rel, ValueType: 'TEXT', ConceptNameCodeSequence: concept(name), TextValue: value };
}

export function code(rel: Relationship, name: AnyCode, value: AnyCode): DicomDataset {
  return { RelationshipType: rel, ValueType: 'CODE', ConceptNameCodeSequence: concept(name), ConceptCodeSequence: concept(value) };
}

export function uidref(rel: Relationship, name: AnyCode, uid: string): DicomDataset {
  return { RelationshipType: rel, ValueType: 'UIDREF', ConceptNameCodeSequence: concept(name), UID: uid };
}

export function image(rel: Relationship, name: AnyCode | undefined, sopClassUID: string, sopInstanceUID: string, segmentNumber?: number): DicomDataset {
  return {
    RelationshipType: rel,
    ValueType: 'IMAGE',
    ...(name ? { ConceptNameCodeSequence: concept(name) } : {}),
    ReferencedSOPSequence: [{
      ReferencedSOPClassUID: sopClassUID,
      ReferencedSOPInstanceUID: sopInstanceUID,
      ...(segmentNumber !== undefined ? { ReferencedSegmentNumber: segmentNumber } : {}),
    }],
  };
}

/** UCUM code meanings as DICOM writes them (CID 7181-style). */
const UCUM_MEANING: Record<string, string> = {
  "[hnsf'U]": 'Hounsfield unit', mm: 'millimeter', mm3: 'cubic millimeter', cm3: 'cubic centimeter', cm2: 'square centimeter',
  'cm2/m2': 'square centimeter per square meter', deg: 'degree', '%': 'percent', '1': 'no units', '{count}': 'count',
};

export function unitCode(u: Unit): Code {
  return { scheme: 'UCUM', value: u.ucum, meaning: UCUM_MEANING[u.ucum] ?? u.ucum };
}

/** NUM item; the numeric text is formatValue(value, decimals), the same digits every writer prints. */
export function num(rel: Relationship, m: Measurement, children: DicomDataset[] = []): DicomDataset {
  return {
    RelationshipType: rel,
    ValueType: 'NUM',
    ConceptNameCodeSequence: concept(m.concept),
    MeasuredValueSequence: [{ NumericValue: formatValue(m.value, m.decimals), MeasurementUnitsCodeSequence: [codeItem(unitCode(m.unit))] }],
    ...(children.length ? { ContentSequence: children } : {}),
  };
}
