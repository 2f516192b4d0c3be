/**
 * npm run bench:ops — the imaging ops on one synthetic CT-like volume, Rachis vs scipy.ndimage
 * (Debian python3-scipy) on the same voxels in the same run, interleaved op by op: median wall
 * and CPU times and their ratios (CPU time is the steadier number on a shared machine), and an
 * agreement check (component counts, voxel counts, max |Δ| of EDT and Gaussian).
 *
 * Options: --size N (cube side, default 256), --runs N (default 3). Without /usr/bin/python3 +
 * scipy the peer column reads n/a.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vec3, Volume } from '../src/core/volume.js';
import {
  connectedComponents, dilate, distanceToMask, fillHoles, gaussianSmooth, reorient, resampleToSpacing, statistics, threshold,
} from '../src/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('size', 256);
const RUNS = arg('runs', 3);
const SPACING: Vec3 = [0.8, 0.8, 1.5];

/** Deterministic CT-like values: smooth blobs (so masks have many components and holes) plus noise. */
function phantom(): Volume<Int16Array> {
  const data = new Int16Array(N * N * N);
  let seed = 7;
  for (let k = 0, p = 0; k < N; k++) {
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++, p++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        data[p] = Math.round(300 * (Math.sin(i / 9) + Math.sin(j / 7) + Math.sin(k / 11)) + (seed % 97));
      }
    }
  }
  return { size: [N, N, N], spacing: SPACING, origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: {} };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Median wall and CPU ms of RUNS calls after one warm-up call. */
function timeIt<T>(fn: () => T): Timing & { result: T } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let result = fn();
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = fn();
    const u = process.cpuUsage(c);
    walls.push(performance.now() - t);
    cpus.push((u.user + u.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus), result };
}

const img = phantom();
const mask = threshold(img, 300, 10000);
const dir = mkdtempSync(join(tmpdir(), 'rachis-bench-ops-'));
writeFileSync(join(dir, 'img.i16'), img.data);
writeFileSync(join(dir, 'mask.u8'), mask.data);
let peerOk = true;

/** scipy's timing of the same op, run right after ours (one process per op, see ops_scipy.py). */
function peer(name: string): (Timing & Record<string, number>) | undefined {
  if (!peerOk) return undefined;
  try {
    const script = new URL('./ops_scipy.py', import.meta.url).pathname;
    execFileSync('/usr/bin/python3', [script, dir, String(N), String(N), String(N), ...SPACING.map(String), String(RUNS), name], { stdio: 'inherit' });
    const j = JSON.parse(readFileSync(join(dir, `scipy-${name}.json`), 'utf8')) as Record<string, number>;
    return { ...j, wall: j['wall']! * 1000, cpu: j['cpu']! * 1000 };
  } catch (e) {
    peerOk = false;
    console.log(`scipy peer unavailable (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

const rows: { name: string; ours: Timing; theirs: (Timing & Record<string, number>) | undefined }[] = [];
const run = <T>(name: string, fn: () => T, withPeer = true): T => {
  const { result, ...ours } = timeIt(fn);
  rows.push({ name, ours, theirs: withPeer ? peer(name) : undefined });
  return result;
};
run('threshold', () => threshold(img, 300, 10000));
const cc26 = run('connectedComponents26', () => connectedComponents(mask, 26));
const cc6 = run('connectedComponents6', () => connectedComponents(mask, 6));
const edt = run('distanceToMask', () => distanceToMask(mask));
const dil = run('dilate3mm', () => dilate(mask, 3));
const filled = run('fillHoles', () => fillHoles(mask));
const gauss = run('gaussianSmooth2mm', () => gaussianSmooth(img, 2));
run('statistics', () => statistics(img, mask));
run('resampleTo1mm', () => resampleToSpacing(img, [1, 1, 1], 'linear'), false);
run('reorientRAS', () => reorient(img, 'RAS'), false);

const count = (d: Uint8Array): number => d.reduce((a, b) => a + b, 0);
const f0 = (x: number | undefined): string => (x === undefined ? 'n/a' : x.toFixed(0));
console.log(`\nbench:ops — ${N}³ voxels, spacing ${SPACING.join('×')} mm, median of ${RUNS} runs, Rachis and scipy interleaved per op`);
console.log('op                       rachis wall  scipy wall  ratio │ rachis CPU  scipy CPU  ratio');
for (const { name, ours, theirs } of rows) {
  const rw = theirs ? (ours.wall / theirs.wall).toFixed(2) : '';
  const rc = theirs ? (ours.cpu / theirs.cpu).toFixed(2) : '';
  console.log(`${name.padEnd(22)} ${f0(ours.wall).padStart(12)} ${f0(theirs?.wall).padStart(11)} ${rw.padStart(6)} │ ${f0(ours.cpu).padStart(10)} ${f0(theirs?.cpu).padStart(10)} ${rc.padStart(6)}`);
}
const peerOf = (name: string): Record<string, number> | undefined => rows.find((r) => r.name === name)?.theirs;
if (peerOk) {
  const maxDiff = (a: Float32Array, file: string): number => {
    const b = new Float32Array(readFileSync(join(dir, file)).buffer.slice(0));
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
    return m;
  };
  console.log('\nagreement with scipy');
  console.log(`components 26: ${cc26.count} vs ${peerOf('connectedComponents26')?.['count']}; 6: ${cc6.count} vs ${peerOf('connectedComponents6')?.['count']}`);
  console.log(`dilate 3 mm voxels: ${count(dil.data)} vs ${peerOf('dilate3mm')?.['voxels']}; fillHoles voxels: ${count(filled.data)} vs ${peerOf('fillHoles')?.['voxels']}`);
  console.log(`EDT max |Δ| ${maxDiff(edt.data, 'scipy_distanceToMask.f32').toExponential(2)} mm; Gaussian max |Δ| ${maxDiff(gauss.data, 'scipy_gaussianSmooth2mm.f32').toExponential(2)}`);
}
rmSync(dir, { recursive: true, force: true });
