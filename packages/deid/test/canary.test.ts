/**
 * REQ-DEID-001 PHI canary sweep: after de-identification no planted canary survives in any output
 * file (full dcmdump and raw bytes), any output path, or the summary.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { deidentifyTree, type DeidSummary } from '../src/index.js';
import { buildCanaryCorpus, CANARY_DATES, CANARY_WORD, UID_ROOT } from './helpers/corpus.js';
import { dcmdump, hasTool, listFilesRecursive } from './helpers/dcmtk.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
let root = '';
let outDir = '';
let summary: DeidSummary;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'rachis-deid-canary-'));
  buildCanaryCorpus(join(root, 'in'));
  outDir = join(root, 'out');
  summary = await deidentifyTree({ input: join(root, 'in'), output: outDir, key: KEY, linkageMapPath: join(root, 'private', 'linkage.json') });
});
after(() => rmSync(root, { recursive: true, force: true }));

const canaries = [CANARY_WORD, UID_ROOT, ...CANARY_DATES, 'JOHN', 'DOE'];
const findCanaries = (text: string): string[] => canaries.filter((c) => text.toUpperCase().includes(c));

test('REQ-DEID-001 every object but the secondary capture is written; the SC is quarantined for burned-in text', () => {
  assert.equal(summary.files.seen, 6);
  assert.equal(summary.files.written, 5);
  assert.deepEqual(summary.quarantinedByReason, { 'burned-in-text-risk': 1 });
});

test('REQ-DEID-001 no canary in any output file (raw bytes)', () => {
  const outputs = listFilesRecursive(outDir);
  assert.equal(outputs.length, 5);
  for (const f of outputs) assert.deepEqual(findCanaries(readFileSync(f).toString('latin1')), [], relative(outDir, f));
});

test('REQ-DEID-001 no canary in the full dcmdump of any output, and dcmtk parses every output cleanly', (t) => {
  if (!hasTool('dcmdump')) return t.skip('dcmtk not installed');
  for (const f of listFilesRecursive(outDir)) {
    const d = dcmdump(f);
    assert.equal(d.status, 0, d.err);
    assert.equal(d.err.trim(), '', `dcmdump warnings for ${relative(outDir, f)}`);
    assert.ok(d.out.includes('(0012,0062) CS [YES]'), 'PatientIdentityRemoved YES');
    assert.deepEqual(findCanaries(d.out), [], relative(outDir, f));
  }
});

test('REQ-DEID-001 no canary in output paths or in the summary', () => {
  for (const f of listFilesRecursive(outDir)) assert.deepEqual(findCanaries(relative(outDir, f)), []);
  assert.deepEqual(findCanaries(JSON.stringify(summary)), []);
});

test('REQ-DEID-001 the canary dump would have been caught: the input does contain the canaries', (t) => {
  if (!hasTool('dcmdump')) return t.skip('dcmtk not installed');
  const inputs = listFilesRecursive(join(root, 'in'));
  const found = new Set(inputs.flatMap((f) => findCanaries(dcmdump(f).out + relative(root, f))));
  assert.deepEqual([...found].sort(), [...canaries].sort());
});

test('REQ-DEID-002 the linkage map is written apart from the output and maps originals to pseudonyms', () => {
  const map = JSON.parse(readFileSync(join(root, 'private', 'linkage.json'), 'utf8')) as { entries: { patientIdOriginal: string; patientPseudonym: string }[] };
  assert.equal(map.entries.length, 5);
  const a = map.entries.filter((e) => e.patientIdOriginal === 'CANARYID0001');
  assert.equal(a.length, 4);
  assert.equal(new Set(a.map((e) => e.patientPseudonym)).size, 1);
});

test('REQ-DEID-002 a linkage map inside the output tree is refused', async () => {
  await assert.rejects(
    deidentifyTree({ input: join(root, 'in'), output: join(root, 'out2'), key: KEY, linkageMapPath: join(root, 'out2', 'map.json') }),
    /outside the output/,
  );
});
