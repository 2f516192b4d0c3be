import { RachisError } from '@rachis/imaging';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, writeLine } from './context.js';
import type { CliIO, Command } from './context.js';
import { commands } from './commands/index.js';

export const VERSION = '0.1.0';

function help(io: CliIO): void {
  writeLine(io.stdout, `rachis ${VERSION} — spine CT analysis: DICOM in, vertebrae labelled and measured, report out.`);
  writeLine(io.stdout, 'Rachis supports radiologists; its outputs must be reviewed by one.');
  writeLine(io.stdout);
  writeLine(io.stdout, 'Usage: rachis <command> [options]');
  writeLine(io.stdout);
  writeLine(io.stdout, 'Commands:');
  for (const c of commands) writeLine(io.stdout, `  ${c.name.padEnd(10)} ${c.summary}`);
  writeLine(io.stdout);
  writeLine(io.stdout, "Run 'rachis <command> --help' for a command's options.");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    writeLine(io.stdout, VERSION);
    return EXIT_OK;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    writeLine(io.stderr, `rachis: unknown command '${name}'. Run 'rachis --help'.`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      writeLine(io.stderr, `rachis ${name}: ${e.message}`);
      writeLine(io.stderr, command.usage);
      return EXIT_USAGE;
    }
    if (e instanceof RachisError) {
      writeLine(io.stderr, `rachis ${name}: error [${e.code}] ${e.message}`);
      return EXIT_FAILURE;
    }
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    writeLine(io.stderr, `rachis ${name}: internal error: ${message}`);
    return EXIT_FAILURE;
  }
}
