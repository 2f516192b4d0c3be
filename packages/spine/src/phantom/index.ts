export { makeSpinePhantom } from './phantom.js';
export { PART, TISSUE } from './params.js';
export type {
  BodyCompositionTruth,
  DeformityShape,
  SpinePhantom,
  SpinePhantomParams,
  SpinePhantomTruth,
  VertebraTruth,
} from './params.js';
