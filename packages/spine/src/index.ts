export * from './types.js';
export * from './phantom/index.js';
