/**
 * npm run bench:deid — de-identification throughput (files/s) of Rachis vs gdcmanon (GDCM, Debian
 * libgdcm-tools) on the same files in the same run; medians over REPS alternating runs, ratio.
 *
 * gdcmanon mode: `gdcmanon -e -c cert.pem -r -i IN -o OUT` = its PS3.15 E.1.1 Basic Application
 * Level Confidentiality Profile with the original attributes encrypted into the Encrypted Attributes
 * Sequence (a throwaway self-signed certificate is made with openssl). Rachis runs in-process with
 * the basic profile (deidentifyTree; Node start-up excluded) and, as a second row, as a fresh
 * `node --import tsx` process per run (start-up included).
 *
 * Input: every DICOM file in ../shared/data that both tools accept (zips extracted to a temp dir);
 * three pydicom fixture fragments (no_meta, priv_SQ, nested_priv_SQ) are left out because gdcmanon
 * aborts the whole run on them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DATA } from '@rachis/imaging/testing';
import { deidentifyTree, type DeidSummary } from '../src/index.js';

const REPS = Number(process.env.REPS ?? 5);
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rachis-bench-deid-'));
const input = join(work, 'in');
const KEY = Buffer.from('bench-key-bench-key-bench-key-32');

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
}

function copyTree(from: string, to: string, keep: (name: string) => boolean = () => true): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(join(from, e.name), join(to, e.name), keep);
    else if (e.isFile() && keep(e.name)) copyFileSync(join(from, e.name), join(to, e.name));
  }
}

function prepare(): Record<string, number> {
  const d = (...p: string[]): string => join(SHARED_DATA, ...p);
  const skip = new Set(['no_meta.dcm', 'priv_SQ.dcm', 'nested_priv_SQ.dcm']);
  copyTree(d('dicom-deid-testdata', 'pydicom-test-files'), join(input, 'pydicom'), (n) => n.endsWith('.dcm') && !skip.has(n));
  copyTree(d('dicom-deid-testdata', 'deid-dicom-cookies'), join(input, 'cookies'), (n) => n.endsWith('.dcm'));
  copyTree(d('totalseg-example-ct', 'example_ct_dicom'), join(input, 'totalseg'));
  copyTree(d('lumbar-mri-sagT2-8bit-sc', 'LumbarDicomExample'), join(input, 'lumbar-sc'));
  copyTree(d('ibsi', 'data_sets', 'ibsi_1_ct_radiomics_phantom', 'dicom'), join(input, 'ibsi'));
  run('unzip', ['-q', d('ircad-3dircadb-ct', '3Dircadb1.1', 'PATIENT_DICOM.zip'), '-d', join(input, 'ircad')]);
  run('unzip', ['-q', d('thorax-4dct-phase00-itkelastix', 'CT_00.zip'), '-d', join(input, 'thorax')]);
  const counts: Record<string, number> = {};
  for (const top of readdirSync(input)) counts[top] = readdirSync(join(input, top), { recursive: true }).filter((f) => statSync(join(input, top, String(f))).isFile()).length;
  return counts;
}

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

interface Sample { wall: number; cpu: number }

/** Flushes dirty pages first, so no run pays for the previous run's write-back. */
async function timeInProcess(fn: () => Promise<unknown>): Promise<Sample> {
  spawnSync('sync');
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const u = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6 };
}

/** Runs a command under /usr/bin/time to get its CPU seconds (user + system) as well as wall time. */
function timeCommand(cmd: string, args: string[]): Sample {
  spawnSync('sync');
  const out = join(work, 'time.txt');
  const t = performance.now();
  run('/usr/bin/time', ['-f', '%U %S', '-o', out, cmd, ...args]);
  const wall = (performance.now() - t) / 1000;
  const [user = 0, sys = 0] = readFileSync(out, 'utf8').trim().split(/\s+/).map(Number);
  return { wall, cpu: user + sys };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const perFolder = prepare();
  const nFiles = Object.values(perFolder).reduce((a, b) => a + b, 0);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem'), '-days', '1', '-subj', '/CN=rachis-bench']);
  writeFileSync(join(work, 'deid.key'), KEY);
  const once = join(here, 'deid-once.ts');
  const t = { gdcm: [] as Sample[], rachis: [] as Sample[], rachisProcess: [] as Sample[] };
  let summary: DeidSummary | undefined;
  let gdcmWritten = 0;
  // One untimed warm-up run of each in-process path (page cache, JIT), then alternating timed runs.
  run('gdcmanon', ['-e', '-c', join(work, 'cert.pem'), '--continue', '-r', '-i', input, '-o', join(work, 'warm-g')]);
  await deidentifyTree({ input, output: join(work, 'warm-r'), key: KEY });
  rmSync(join(work, 'warm-g'), { recursive: true, force: true });
  rmSync(join(work, 'warm-r'), { recursive: true, force: true });
  for (let i = 0; i < REPS; i++) {
    const g = join(work, `gdcm-${i}`);
    t.gdcm.push(timeCommand('gdcmanon', ['-e', '-c', join(work, 'cert.pem'), '--continue', '-r', '-i', input, '-o', g]));
    gdcmWritten = countFiles(g);
    rmSync(g, { recursive: true, force: true });
    const r = join(work, `rachis-${i}`);
    t.rachis.push(await timeInProcess(async () => { summary = await deidentifyTree({ input, output: r, key: KEY }); }));
    rmSync(r, { recursive: true, force: true });
    const p = join(work, `rachis-p-${i}`);
    t.rachisProcess.push(timeCommand(process.execPath, ['--import', 'tsx', once, input, p, join(work, 'deid.key')]));
    rmSync(p, { recursive: true, force: true });
  }
  const rows = [
    ['gdcmanon -e (basic profile, cert)', t.gdcm, gdcmWritten],
    ['rachis deidentifyTree (in-process)', t.rachis, summary?.files.written ?? 0],
    ['rachis (node --import tsx process)', t.rachisProcess, summary?.files.written ?? 0],
  ] as const;
  const med = (xs: readonly Sample[], k: keyof Sample): number => median(xs.map((x) => x[k]));
  const gdcm = { wall: nFiles / med(t.gdcm, 'wall'), cpu: nFiles / med(t.gdcm, 'cpu') };
  console.log(`input: ${nFiles} files ${JSON.stringify(perFolder)}; 1 warm-up + ${REPS} alternating runs each; medians; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('| tool | files written | median wall s | files/s (wall) | × gdcmanon | median CPU s | files/CPU-s | × gdcmanon |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, xs, written] of rows) {
    const wall = nFiles / med(xs, 'wall');
    const cpu = nFiles / med(xs, 'cpu');
    console.log(`| ${name} | ${written} | ${med(xs, 'wall').toFixed(3)} | ${wall.toFixed(1)} | ${(wall / gdcm.wall).toFixed(2)} | ${med(xs, 'cpu').toFixed(3)} | ${cpu.toFixed(1)} | ${(cpu / gdcm.cpu).toFixed(2)} |`);
  }
  console.log(`rachis quarantined: ${JSON.stringify(summary?.quarantinedByReason)}`);
  console.log(`all runs, wall s: ${JSON.stringify(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.map((x) => +x.wall.toFixed(3))])))}`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
