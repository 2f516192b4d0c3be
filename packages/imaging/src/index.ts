export * from './core/volume.js';
export * from './core/errors.js';
export * from './ops/api.js';
export * from './io/api.js';
export { writeDicomSeries, TransferSyntax } from './dicom/index.js';
export type { WriteDicomOptions, WrittenSeries } from './dicom/index.js';
