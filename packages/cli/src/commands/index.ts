import type { Command } from '../context.js';
import { convertCommand } from './convert.js';
import { infoCommand } from './info.js';

export const commands: Command[] = [infoCommand, convertCommand];
