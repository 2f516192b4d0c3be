/**
 * npm run bench:ops — the imaging ops on one synthetic CT-like volume, Rachis vs scipy.ndimage
 * (Debian python3-scipy) on the same voxels in the same run: median wall times, ratio, and an
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

function timeIt<T>(fn: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result = fn();
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), result };
}

const img = phantom();
const mask = threshold(img, 300, 10000);
const rows: [string, number, unknown][] = [];
const run = <T>(name: string, fn: () => T): T => {
  const { ms, result } = timeIt(fn);
  rows.push([name, ms, result]);
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
run('resampleTo1mm', () => resampleToSpacing(img, [1, 1, 1], 'linear'));
run('reorientRAS', () => reorient(img, 'RAS'));

const dir = mkdtempSync(join(tmpdir(), 'rachis-bench-ops-'));
let peer: Record<string, number> | undefined;
try {
  writeFileSync(join(dir, 'img.i16'), img.data);
  writeFileSync(join(dir, 'mask.u8'), mask.data);
  execFileSync('/usr/bin/python3', [new URL('./ops_scipy.py', import.meta.url).pathname, dir, String(N), String(N), String(N), ...SPACING.map(String), String(RUNS)], { stdio: 'inherit' });
  peer = JSON.parse(readFileSync(join(dir, 'scipy.json'), 'utf8')) as Record<string, number>;
} catch (e) {
  console.log(`scipy peer unavailable (${(e as Error).message.split('\n')[0]})`);
}

const count = (d: Uint8Array): number => d.reduce((a, b) => a + b, 0);
console.log(`\nbench:ops — ${N}³ voxels, spacing ${SPACING.join('×')} mm, median of ${RUNS} runs (ms)`);
console.log('op                      rachis     scipy    ratio');
for (const [name, ms] of rows) {
  const p = peer?.[name];
  const ps = p === undefined ? 'n/a' : (p * 1000).toFixed(0);
  const ratio = p === undefined ? '' : (ms / (p * 1000)).toFixed(2);
  console.log(`${name.padEnd(22)} ${ms.toFixed(0).padStart(8)} ${ps.padStart(9)} ${ratio.padStart(8)}`);
}
if (peer) {
  const maxDiff = (a: Float32Array, file: string): number => {
    const b = new Float32Array(readFileSync(join(dir, file)).buffer.slice(0));
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
    return m;
  };
  console.log('\nagreement with scipy');
  console.log(`components 26: ${cc26.count} vs ${peer['cc26_count']}; 6: ${cc6.count} vs ${peer['cc6_count']}`);
  console.log(`dilate 3 mm voxels: ${count(dil.data)} vs ${peer['dilate_voxels']}; fillHoles voxels: ${count(filled.data)} vs ${peer['fill_voxels']}`);
  console.log(`EDT max |Δ| ${maxDiff(edt.data, 'scipy_edt.f32').toExponential(2)} mm; Gaussian max |Δ| ${maxDiff(gauss.data, 'scipy_gauss.f32').toExponential(2)}`);
}
rmSync(dir, { recursive: true, force: true });
