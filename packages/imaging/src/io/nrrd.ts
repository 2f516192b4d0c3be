import type { LabelMap, Volume } from '../core/volume.js';
export async function readNrrd(_path: string): Promise<Volume> { throw new Error('readNrrd: not implemented yet'); }
export async function writeNrrd(_path: string, _img: Volume | LabelMap): Promise<void> { throw new Error('writeNrrd: not implemented yet'); }
