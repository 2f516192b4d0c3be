import type { Command } from '../context.js';
import { convertCommand } from './convert.js';
import { deidCommand } from './deid.js';
import { infoCommand } from './info.js';
import { radiomicsCommand } from './radiomics.js';

export const commands: Command[] = [infoCommand, convertCommand, radiomicsCommand, deidCommand];
