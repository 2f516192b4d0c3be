import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli.js';

test('no arguments prints help and exits 2', async () => {
  const r = await runCli();
  assert.equal(r.code, 2);
  assert.match(r.stdout, /Usage: rachis <command>/);
});

test('--help lists every command and exits 0', async () => {
  const r = await runCli('--help');
  assert.equal(r.code, 0);
  for (const name of ['info', 'convert']) assert.match(r.stdout, new RegExp(`\\n  ${name} `));
});

test('unknown command exits 2 with a message', async () => {
  const r = await runCli('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('a missing input is a clear error with exit 1', async () => {
  const r = await runCli('info', '/nonexistent/nowhere.nii.gz');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /NOT_FOUND/);
});

test('wrong argument count is a usage error with exit 2', async () => {
  const r = await runCli('convert', 'only-one-arg');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected at least 2/);
});

test('convert refuses an unknown output extension', async () => {
  const r = await runCli('convert', 'in.nii', 'out.xyz');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /output must end in/);
});
