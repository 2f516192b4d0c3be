import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (…/packages/imaging/src/testing → root). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The shared real-data folder that sits beside the repository (never copied into it). */
export const SHARED_DATA = process.env.RACHIS_SHARED_DATA ?? resolve(REPO_ROOT, '../shared/data');

/**
 * Path of a file in ../shared/data. Returns undefined when it is missing outside CI,
 * so a test can skip; in CI (CI=true) a missing data file throws: it is a failure, not a skip.
 */
export function sharedData(...parts: string[]): string | undefined {
  const p = join(SHARED_DATA, ...parts);
  if (existsSync(p)) return p;
  if (process.env.CI === 'true') throw new Error(`shared data file missing in CI: ${p}`);
  return undefined;
}
