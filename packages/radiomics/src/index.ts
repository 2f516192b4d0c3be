export { extractFeatures } from './extract.js';
export type { ExtractionResult } from './extract.js';
export { resolveSettings, DEFAULT_SETTINGS, ALL_FAMILIES, ALL_DIRECTIONAL, ALL_ZONE } from './settings.js';
export type { RadiomicsSettings, SettingsInput, Discretisation, InterpolationSettings } from './settings.js';
export { featureInfo, familyTags } from './catalogue.js';
export type { FeatureInfo } from './catalogue.js';
export type { FeatureRow, FeatureTable, FamilyId, Aggregation, ZoneAggregation } from './types.js';
export type { RoiDiagnostics } from './preprocess/prepare.js';
