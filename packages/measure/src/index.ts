export * from './genant.js';
export * from './agreement.js';
