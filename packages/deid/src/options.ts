/** Options of the de-identifier, named after the PS3.15 Annex E options they implement. */

/** A rectangle of pixels to blank, in pixel coordinates (x = column, y = row, from the top-left). */
export interface PixelRect { x: number; y: number; width: number; height: number }

/**
 * A rule saying where a device burns text into its images. Every `match` field given must equal the
 * object's value exactly; the rectangles are then set to 0 in every frame. The list is empty by
 * default: Rachis knows no device layouts, so every object at risk of burned-in text is quarantined
 * unless the user supplies a rule for it.
 */
export interface BurnedInRegionRule {
  /** Free text for the summary; must not contain PHI. */
  description: string;
  match: {
    sopClassUID?: string;
    modality?: string;
    manufacturer?: string;
    manufacturerModelName?: string;
    rows?: number;
    columns?: number;
  };
  rects: PixelRect[];
}

export interface DeidOptions {
  /** Retain Longitudinal Temporal Information: 'off' (basic profile), 'full' dates, or 'modified' (shifted per patient by a keyed offset). */
  retainLongitudinalTemporal: 'off' | 'full' | 'modified';
  retainPatientCharacteristics: boolean;
  retainDeviceIdentity: boolean;
  retainInstitutionIdentity: boolean;
  retainUIDs: boolean;
  /** Keep the private attributes listed in src/profile/safe-private.ts (numeric values only). */
  retainSafePrivate: boolean;
  /** Clean free-text descriptors (study/series description, comments…) with the allow-list cleaner instead of removing them. */
  cleanDescriptors: boolean;
  /** Clean SR content (Content Sequence text) with the allow-list cleaner instead of replacing it with dummies. */
  cleanStructuredContent: boolean;
  /** Clean graphic annotation text with the allow-list cleaner; overlay bitmaps and curves are still removed. */
  cleanGraphics: boolean;
  /**
   * Combined codes (X/Z, X/D, X/Z/D, Z/D, X/Z/U*) depend on the attribute's Type in the object's IOD,
   * which Rachis does not model. 'conformance' (default) keeps a present attribute with the
   * conformance-preserving replacement (X/Z→Z, X/D→D, X/Z/D→D, Z/D→D, X/Z/U*→U*: keep the sequence
   * and remap UIDs inside); 'strict' applies the first code (X or Z). Either way no identity is kept.
   */
  combinedActions: 'conformance' | 'strict';
  burnedInRegions: BurnedInRegionRule[];
}

export const DEFAULT_OPTIONS: DeidOptions = {
  retainLongitudinalTemporal: 'off',
  retainPatientCharacteristics: false,
  retainDeviceIdentity: false,
  retainInstitutionIdentity: false,
  retainUIDs: false,
  retainSafePrivate: false,
  cleanDescriptors: false,
  cleanStructuredContent: false,
  cleanGraphics: false,
  combinedActions: 'conformance',
  burnedInRegions: [],
};

export function resolveOptions(partial: Partial<DeidOptions> = {}): DeidOptions {
  return { ...DEFAULT_OPTIONS, ...partial };
}

/** CID 7050 (DCM) codes for (0012,0064); cross-checked against several public implementations. */
export const METHOD_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  cleanPixel: ['113101', 'Clean Pixel Data Option'],
  cleanGraphics: ['113103', 'Clean Graphics Option'],
  cleanStructuredContent: ['113104', 'Clean Structured Content Option'],
  cleanDescriptors: ['113105', 'Clean Descriptors Option'],
  fullDates: ['113106', 'Retain Longitudinal Temporal Information Full Dates Option'],
  modifiedDates: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
  patientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  deviceIdentity: ['113109', 'Retain Device Identity Option'],
  uids: ['113110', 'Retain UIDs Option'],
  safePrivate: ['113111', 'Retain Safe Private Option'],
  institutionIdentity: ['113112', 'Retain Institution Identity Option'],
} as const satisfies Record<string, readonly [string, string]>;

/** The method codes that describe a run with these options (pixel cleaning is added per object). */
export function methodCodes(o: DeidOptions): (readonly [string, string])[] {
  const c: (readonly [string, string])[] = [METHOD_CODES.basic];
  if (o.cleanGraphics) c.push(METHOD_CODES.cleanGraphics);
  if (o.cleanStructuredContent) c.push(METHOD_CODES.cleanStructuredContent);
  if (o.cleanDescriptors) c.push(METHOD_CODES.cleanDescriptors);
  if (o.retainLongitudinalTemporal === 'full') c.push(METHOD_CODES.fullDates);
  if (o.retainLongitudinalTemporal === 'modified') c.push(METHOD_CODES.modifiedDates);
  if (o.retainPatientCharacteristics) c.push(METHOD_CODES.patientCharacteristics);
  if (o.retainDeviceIdentity) c.push(METHOD_CODES.deviceIdentity);
  if (o.retainUIDs) c.push(METHOD_CODES.uids);
  if (o.retainSafePrivate) c.push(METHOD_CODES.safePrivate);
  if (o.retainInstitutionIdentity) c.push(METHOD_CODES.institutionIdentity);
  return c;
}
