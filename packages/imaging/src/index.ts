export * from './core/volume.js';
export * from './core/errors.js';
export * from './ops/api.js';
export * from './io/api.js';
export * from './dicom/index.js';
