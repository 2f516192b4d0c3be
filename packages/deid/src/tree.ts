/**
 * The file/folder edge of the de-identifier (the CLI calls this). It keeps the input's folder
 * structure but never uses a DICOM value in a path, and it does not reuse input names either:
 * file and folder names are often PHI themselves ("DOE_JOHN_1970/CT.<uid>.dcm"), so every path
 * component is replaced by a keyed hash of the input's relative path up to that component. The
 * same input path under the same key always gives the same output path (re-runs overwrite).
 */
import { lstatSync, readdirSync, readFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RachisError } from '@rachis/imaging';
import { deidentifyDicomBytes, type Linkage } from './deidentify.js';
import { Pseudonymizer } from './keyed.js';
import { methodCodes, resolveOptions, type DeidOptions } from './options.js';
import { compileProfile } from './profile/rules.js';
import { addCounts, emptySummary, type DeidSummary } from './summary.js';

export interface DeidTreeRequest {
  /** A DICOM file or a folder (walked recursively; symbolic links are not followed). */
  input: string;
  /** A folder; or, for a single input file, a path ending in .dcm to write exactly there. */
  output: string;
  options?: Partial<DeidOptions>;
  /** Secret key (at least 16 bytes), e.g. the bytes of the --key-file. */
  key: Uint8Array;
  /** Where to write the linkage map (original ↔ pseudonym). Must lie outside the output tree. */
  linkageMapPath?: string;
  /** Files in flight at once (default 4): reads and writes overlap in libuv's thread pool while the DICOM work stays on this thread; 1 uses synchronous file calls. */
  concurrency?: number;
}

interface LinkageEntry extends Linkage { input: string; output: string }

interface Io {
  read(path: string): Promise<Buffer> | Buffer;
  mkdir(path: string): Promise<void>;
  write(path: string, data: Uint8Array): Promise<void> | void;
  rename(from: string, to: string): Promise<void> | void;
}
const SYNC_IO: Io = {
  read: (p) => readFileSync(p),
  mkdir: (p) => {
    mkdirSync(p, { recursive: true });
    return Promise.resolve();
  },
  write: (p, d) => writeFileSync(p, d),
  rename: (a, b) => renameSync(a, b),
};
const ASYNC_IO: Io = {
  read: (p) => readFile(p),
  mkdir: (p) => mkdir(p, { recursive: true }).then(() => undefined),
  write: (p, d) => writeFile(p, d),
  rename: (a, b) => rename(a, b),
};

function inside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

function listFiles(root: string, summary: DeidSummary): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) summary.files.skippedSymlinks++;
      else if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Reads a key file: its raw bytes are the secret (create one with `openssl rand -out deid.key 32`). */
export function readKeyFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new RachisError('NOT_FOUND', 'cannot read the key file', { file: path, cause: e });
  }
}

/**
 * De-identifies a file or folder tree; resolves to a summary that contains no PHI.
 * Each output is written to "<name>.partial" and renamed, so a crash never leaves a half-written
 * file under the final name.
 */
export async function deidentifyTree(req: DeidTreeRequest): Promise<DeidSummary> {
  const started = performance.now();
  const options = resolveOptions(req.options);
  const pseudo = new Pseudonymizer(req.key);
  const profile = compileProfile(options);
  const input = resolve(req.input);
  const output = resolve(req.output);
  let stat;
  try {
    stat = lstatSync(input);
  } catch (e) {
    throw new RachisError('NOT_FOUND', 'input does not exist', { file: req.input, cause: e });
  }
  const singleFileTarget = stat.isFile() && output.toLowerCase().endsWith('.dcm');
  const outputRoot = singleFileTarget ? dirname(output) : output;
  if (stat.isDirectory() && (inside(input, outputRoot) || inside(outputRoot, input))) {
    throw new RachisError('INVALID_ARGUMENT', 'output folder must not overlap the input folder');
  }
  if (stat.isFile() && !singleFileTarget && inside(outputRoot, input)) {
    throw new RachisError('INVALID_ARGUMENT', 'input file must not lie inside the output folder');
  }
  const linkagePath = req.linkageMapPath ? resolve(req.linkageMapPath) : undefined;
  if (linkagePath && (inside(outputRoot, linkagePath) || (stat.isDirectory() && inside(input, linkagePath)))) {
    throw new RachisError('INVALID_ARGUMENT', 'the linkage map must be written outside the output (and input) tree');
  }

  const summary = emptySummary(options, methodCodes(options).map((c) => c[0]));
  const base = stat.isDirectory() ? input : dirname(input);
  const files = stat.isDirectory() ? listFiles(input, summary) : [input];
  const links: LinkageEntry[] = [];
  const quarantined: { input: string; reason: string }[] = [];
  const madeDirs = new Map<string, Promise<void>>();

  /** De-identifies one file; `io` is either the synchronous or the promise file API. */
  const one = async (file: string, io: Io): Promise<void> => {
    summary.files.seen++;
    const rel = relative(base, file).split(sep).join('/');
    const result = deidentifyDicomBytes(await io.read(file), options, pseudo, profile);
    if (result.status === 'quarantined') {
      summary.files.quarantined++;
      summary.quarantinedByReason[result.reason] = (summary.quarantinedByReason[result.reason] ?? 0) + 1;
      quarantined.push({ input: rel, reason: result.reason });
      return;
    }
    const parts = rel.split('/');
    const outRel = singleFileTarget
      ? basename(output)
      : parts.map((_, i) => pseudo.pathName(parts.slice(0, i + 1).join('/')) + (i === parts.length - 1 ? '.dcm' : '')).join('/');
    const target = join(outputRoot, ...outRel.split('/'));
    const dir = dirname(target);
    let made = madeDirs.get(dir);
    if (!made) madeDirs.set(dir, (made = io.mkdir(dir)));
    await made;
    await io.write(`${target}.partial`, result.bytes);
    await io.rename(`${target}.partial`, target);
    summary.files.written++;
    if (result.pixelsCleanedBy) summary.pixelsCleanedByRule[result.pixelsCleanedBy] = (summary.pixelsCleanedByRule[result.pixelsCleanedBy] ?? 0) + 1;
    addCounts(summary.attributes, result.counts);
    if (linkagePath) links.push({ input: rel, output: outRel, ...result.linkage });
  };
  const concurrency = Math.max(1, req.concurrency ?? 4);
  if (concurrency === 1) {
    for (const f of files) await one(f, SYNC_IO);
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) await one(files[next++]!, ASYNC_IO);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  links.sort((a, b) => (a.input < b.input ? -1 : 1));
  quarantined.sort((a, b) => (a.input < b.input ? -1 : 1));
  if (linkagePath) {
    mkdirSync(dirname(linkagePath), { recursive: true });
    const note = 'Rachis de-identification linkage map: CONTAINS PHI (original identifiers). Keep it apart from the de-identified data.';
    writeFileSync(linkagePath, JSON.stringify({ note, entries: links, quarantined }, null, 1) + '\n', { mode: 0o600 });
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}
