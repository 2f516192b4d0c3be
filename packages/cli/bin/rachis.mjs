#!/usr/bin/env node
// Entry point of the `rachis` command. Sources are TypeScript run through tsx's loader,
// so the CLI works straight from a checkout after `npm ci` (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
