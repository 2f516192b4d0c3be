/** REQ-DEID-009 the file/folder edge: deterministic paths, single files, refusals, non-DICOM never copied. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { deidentifyTree } from '../src/index.js';
import { buildCanaryCorpus } from './helpers/corpus.js';
import { listFilesRecursive } from './helpers/dcmtk.js';

const KEY = Buffer.from('tree-test-key-tree-test-key-tree');
let root = '';
let corpus: ReturnType<typeof buildCanaryCorpus>;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'rachis-deid-tree-'));
  corpus = buildCanaryCorpus(join(root, 'in'));
  writeFileSync(join(root, 'in', 'notes about DOE JOHN.txt'), 'CANARY free text that is not DICOM');
});
after(() => rmSync(root, { recursive: true, force: true }));

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(listFilesRecursive(dir).map((f) => [relative(dir, f), readFileSync(f).toString('base64')]));

test('REQ-DEID-009 sequential and concurrent runs write the same paths and bytes; re-runs are idempotent', async () => {
  const a = await deidentifyTree({ input: join(root, 'in'), output: join(root, 'a'), key: KEY, concurrency: 1 });
  const b = await deidentifyTree({ input: join(root, 'in'), output: join(root, 'b'), key: KEY, concurrency: 8 });
  await deidentifyTree({ input: join(root, 'in'), output: join(root, 'b'), key: KEY });
  assert.deepEqual(snapshot(join(root, 'a')), snapshot(join(root, 'b')));
  assert.deepEqual(a.files, b.files);
  assert.equal(a.quarantinedByReason['not-dicom'], 1, 'the text file is not copied');
  assert.equal(listFilesRecursive(join(root, 'a')).some((f) => f.endsWith('.partial')), false);
});

test('REQ-DEID-009 a single input file goes to the exact .dcm path asked for, or into a folder under a keyed name', async () => {
  await deidentifyTree({ input: corpus.ct1.path, output: join(root, 'single', 'x.dcm'), key: KEY });
  assert.ok(existsSync(join(root, 'single', 'x.dcm')));
  await deidentifyTree({ input: corpus.ct1.path, output: join(root, 'single-dir'), key: KEY });
  const files = listFilesRecursive(join(root, 'single-dir'));
  assert.equal(files.length, 1);
  assert.match(relative(join(root, 'single-dir'), files[0]!), /^[0-9a-f]{20}\.dcm$/);
});

test('REQ-DEID-009 overlapping input/output trees and a missing input are refused with typed errors', async () => {
  mkdirSync(join(root, 'in', 'nested-out'), { recursive: true });
  await assert.rejects(deidentifyTree({ input: join(root, 'in'), output: join(root, 'in', 'nested-out'), key: KEY }), /overlap/);
  await assert.rejects(deidentifyTree({ input: join(root, 'nope'), output: join(root, 'o'), key: KEY }), /does not exist/);
  await assert.rejects(deidentifyTree({ input: join(root, 'in'), output: join(root, 'o'), key: Buffer.alloc(4) }), /at least 16 bytes/);
});
