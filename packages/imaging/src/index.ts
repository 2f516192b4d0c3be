export * from './core/volume.js';
