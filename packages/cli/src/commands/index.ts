import type { Command } from '../context.js';
import { analyzeCommand } from './analyze.js';
import { convertCommand } from './convert.js';
import { deidCommand } from './deid.js';
import { demoCommand } from './demo.js';
import { infoCommand } from './info.js';
import { measureCommand } from './measure.js';
import { radiomicsCommand } from './radiomics.js';
import { segmentCommand } from './segment.js';

export const commands: Command[] = [
  analyzeCommand,
  demoCommand,
  segmentCommand,
  measureCommand,
  radiomicsCommand,
  deidCommand,
  infoCommand,
  convertCommand,
];
