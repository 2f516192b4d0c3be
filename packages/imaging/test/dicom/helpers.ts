/** Shared helpers for the DICOM tests: cached unzip of shared data into the temp folder. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Extracts `zip` once into os.tmpdir()/rachis-dicom-cache/<name> and returns that folder. */
export function unzipOnce(zip: string, name: string): string {
  const dir = join(tmpdir(), 'rachis-dicom-cache', name);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('unzip', ['-q', '-o', zip, '-d', dir]);
    writeFileSync(done, '');
  }
  return dir;
}

export function range(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
