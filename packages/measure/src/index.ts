export * from './types.js';
export * from './genant.js';
export * from './agreement.js';
export * from './morphometry.js';
export * from './alignment.js';
export { collectBodies, bodySampler, exitDistance, PART_BODY, type BodyVoxels, type Sampler } from './body-mask.js';
export * from './density.js';
export * from './body-composition.js';
export * from './pipeline.js';
