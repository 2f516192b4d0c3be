export { segmentSpineCT, relabelSpine, ALGORITHM } from './segment.js';
export { labelVertebrae, labelsFromOverride, nameSequence } from './labelling.js';
export type { Observation, Labelling, Tri } from './labelling.js';
