export * from './types.js';
export * from './phantom/index.js';
export * from './segment/index.js';
