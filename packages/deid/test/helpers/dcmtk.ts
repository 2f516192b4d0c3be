/** Thin wrappers over the dcmtk / dicom3tools command-line tools used as independent checkers. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** Full dump: every element, private and nested ones included, long values not truncated. */
export function dcmdump(file: string): { out: string; err: string; status: number | null } {
  const r = spawnSync('dcmdump', ['+L', '-q', file], { encoding: 'latin1', maxBuffer: 64 << 20 });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

/** Values of every occurrence of a tag ("gggg,eeee"), nested ones included, as dcmdump prints them. */
export function tagValues(file: string, tag: string): string[] {
  const r = spawnSync('dcmdump', ['-q', '+uc', '+P', tag, file], { encoding: 'latin1' });
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => /\[([^\]]*)\]/.exec(l)?.[1] ?? /^\(\S+\) \S\S (=\S+|\(no value)/.exec(l.trim())?.[1] ?? l.trim());
}

/** dciodvfy error lines with values in <…> and UIDs masked, so input and output errors can be compared. */
export function dciodvfyErrors(file: string): Set<string> {
  const r = spawnSync('dciodvfy', [file], { encoding: 'latin1' });
  return new Set(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('Error')).map((l) => l.replace(/<[^>]*>/g, '<>').replace(/\d+(\.\d+){2,}/g, '<uid>')));
}

export function listFilesRecursive(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
