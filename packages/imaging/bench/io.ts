/**
 * npm run bench:io — loading a large CT series with Rachis vs dcm2niix on the same files.
 *
 * Makes a 512×512×400 synthetic CT series once (uncompressed explicit LE and JPEG 2000 lossless)
 * under os.tmpdir()/rachis-bench-io, then times readDicomSeries (in-process) against
 * `dcm2niix -z n` (a process that also writes the NIfTI, into a temp folder) on the same files,
 * interleaved, several runs each; prints medians and the ratio. For J2K it also splits Rachis'
 * single-threaded time into codec decode (counted inside the read), header scan and the rest.
 *
 * Options: --slices N (default 400), --runs N (default 5), --skip-j2k.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '../src/core/volume.js';
import { readDicomSeries, scanDicom, TransferSyntax } from '../src/dicom/index.js';
import { decodeTimings } from '../src/dicom/codecs.js';
import { defaultDecodeThreads } from '../src/dicom/decode-pool.js';
import { writeDicomSeries } from '../src/dicom/write.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SLICES = arg('slices', 400);
const RUNS = arg('runs', 5);
const SKIP_J2K = process.argv.includes('--skip-j2k');
const CACHE = join(tmpdir(), 'rachis-bench-io');

/** Deterministic CT-like phantom: air, body, lungs, a vertebral column, noise (so J2K has real work). */
function phantom(nz: number): Volume<Int16Array> {
  const nx = 512;
  const ny = 512;
  const data = new Int16Array(nx * ny * nz);
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 2;
  };
  for (let k = 0; k < nz; k++) {
    const lungs = k > nz * 0.45;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const bx = (i - 256) / 210;
        const by = (j - 260) / 160;
        let hu = -1000 + 4 * noise();
        if (bx * bx + by * by < 1) {
          hu = 40 + 18 * noise();
          const lx = (Math.abs(i - 256) - 90) / 60;
          const ly = (j - 230) / 90;
          if (lungs && lx * lx + ly * ly < 1) hu = -850 + 30 * noise();
          const sx = (i - 256) / 28;
          const sy = (j - 340) / 24 + 0.15 * Math.sin(k / 20);
          if (sx * sx + sy * sy < 1) hu = 250 + 150 * (1 - sx * sx - sy * sy) + 25 * noise();
        }
        data[i + nx * (j + ny * k)] = Math.round(hu);
      }
  }
  return { size: [nx, ny, nz], spacing: [0.78125, 0.78125, 1.25], origin: [-200, -200, -600], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT' } };
}

async function ensureSeries(name: string, ts: string, vol: () => Volume): Promise<string> {
  const dir = join(CACHE, `${name}-${SLICES}`);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    const t = performance.now();
    await writeDicomSeries(vol(), dir, { transferSyntax: ts, rescaleIntercept: -1024, unsigned: true, bitsStored: 12, seriesDescription: `bench ${name}` });
    writeFileSync(done, '');
    console.log(`  wrote ${SLICES} ${name} slices to ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return dir;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function timeDcm2niix(dir: string): number {
  const out = mkdtempSync(join(tmpdir(), 'rachis-bench-nii-'));
  try {
    const t = performance.now();
    execFileSync('dcm2niix', ['-z', 'n', '-b', 'n', '-f', 'out', '-o', out, dir], { stdio: 'ignore' });
    return performance.now() - t;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function timeRachis(dir: string, decodeThreads?: number): Promise<number> {
  const t = performance.now();
  const v = await readDicomSeries(dir, decodeThreads === undefined ? {} : { decodeThreads });
  const ms = performance.now() - t;
  if (v.size[2] !== SLICES) throw new Error(`read ${v.size[2]} slices, expected ${SLICES}`);
  return ms;
}

async function compare(label: string, dir: string, runs: number): Promise<{ rachis: number; dcm2niix: number }> {
  await timeRachis(dir); // warm-up: page cache, JIT, codec init
  timeDcm2niix(dir);
  const r: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < runs; i++) {
    r.push(await timeRachis(dir));
    d.push(timeDcm2niix(dir));
  }
  const rachis = median(r);
  const dcm2niix = median(d);
  console.log(
    `${label.padEnd(44)} Rachis ${rachis.toFixed(0).padStart(6)} ms   dcm2niix ${dcm2niix.toFixed(0).padStart(6)} ms   ratio ${(rachis / dcm2niix).toFixed(2)}×   (runs: ${r.map((x) => x.toFixed(0)).join('/')} vs ${d.map((x) => x.toFixed(0)).join('/')})`,
  );
  return { rachis, dcm2niix };
}

/** Where a single-threaded Rachis J2K read spends its time: header scan, codec decode (counted inside that read), the rest. */
async function profileJ2k(dir: string): Promise<void> {
  let t = performance.now();
  await scanDicom(dir);
  const scanMs = performance.now() - t;
  decodeTimings.frames = 0;
  decodeTimings.ms = 0;
  t = performance.now();
  await readDicomSeries(dir, { decodeThreads: 0 });
  const total = performance.now() - t;
  const pct = (x: number): string => `${((100 * x) / total).toFixed(0)}%`;
  console.log(
    `  J2K profile of one single-threaded Rachis read (${total.toFixed(0)} ms): OpenJPEG decode in dcmjs-codecs wasm ${decodeTimings.ms.toFixed(0)} ms (${pct(decodeTimings.ms)}, ${(decodeTimings.ms / decodeTimings.frames).toFixed(1)} ms/frame over ${decodeTimings.frames} frames); header scan alone ${scanMs.toFixed(0)} ms (${pct(scanMs)}); everything else (file reads, parse, fragment copy, rescale) ${(total - decodeTimings.ms - scanMs).toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  console.log(`bench:io — ${SLICES} slices of 512×512 CT, ${RUNS} timed runs each (J2K: ${Math.max(1, Math.min(RUNS, 2))}) after one warm-up, medians; ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`);
  let vol: Volume | undefined;
  const getVol = (): Volume => (vol ??= phantom(SLICES));
  const raw = await ensureSeries('explicit-le', TransferSyntax.ExplicitLE, getVol);
  const j2k = SKIP_J2K ? undefined : await ensureSeries('j2k-lossless', TransferSyntax.J2kLossless, getVol);
  vol = undefined;
  const u = await compare('uncompressed (LE)', raw, RUNS);
  console.log(`  goal Rachis ≤ 1.5× dcm2niix on uncompressed: ${u.rachis <= 1.5 * u.dcm2niix ? 'MET' : 'NOT MET'}`);
  if (j2k) {
    // J2K reads are slow: fewer timed runs; the single-threaded read is the profile run below.
    await compare(`JPEG 2000 lossless (${defaultDecodeThreads()} decode threads)`, j2k, Math.max(1, Math.min(RUNS, 2)));
    await profileJ2k(j2k);
  }
  console.log(`  note: dcm2niix times include writing the NIfTI (uncompressed) to a temp folder; Rachis times end with the Volume in memory. Load average at the end: ${loadavg()[0]!.toFixed(1)}.`);
}

await main();
