/** File access with typed errors. */
import { readFile, stat } from 'node:fs/promises';
import { RachisError } from '../core/errors.js';

export async function readFileTyped(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RachisError('NOT_FOUND', 'no such file', { file: path, cause: e });
    if (code === 'EISDIR') throw new RachisError('UNSUPPORTED_FORMAT', 'is a directory, expected a file', { file: path, cause: e });
    throw new RachisError('MALFORMED', `cannot read file (${code ?? String(e)})`, { file: path, cause: e });
  }
}

/** 'file' | 'dir' | undefined (missing). */
export async function pathKind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}
