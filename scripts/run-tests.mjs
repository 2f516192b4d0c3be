#!/usr/bin/env node
// Finds packages/*/test/**/*.test.ts and runs them with Node's test runner through tsx.
// Optional args filter test files by substring: `npm run test:only -- imaging dicom`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'test');
  let entries = [];
  try {
    entries = readdirSync(dir, { recursive: true });
  } catch {
    continue;
  }
  for (const e of entries) {
    const rel = join('packages', pkg, 'test', String(e));
    if (rel.endsWith('.test.ts') && filters.every((f) => rel.includes(f))) files.push(rel);
  }
}
files.sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
