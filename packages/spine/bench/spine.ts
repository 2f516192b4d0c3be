/**
 * npm run bench:spine — segmentSpineCT end to end on a 512×512×500 phantom CT (0.7×0.7×1 mm,
 * T3–S1 region): median of several runs, per-stage times (result.timings), peak memory (VmHWM).
 * No peer tool runs offline here (TotalSegmentator needs its model download + Python/PyTorch),
 * so only our own numbers are measured. Usage: npm run bench:spine [-- --runs N]
 */
import { readFileSync } from 'node:fs';
import { makeSpinePhantom, segmentSpineCT } from '../src/index.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const vmHWM = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

let t = performance.now();
const ph = makeSpinePhantom({ seed: 42, spacingMm: [0.7, 0.7, 1], size: [512, 512, 500], fov: { from: 'T4', to: 'S1' } });
const phantomS = (performance.now() - t) / 1000;
console.log(`phantom 512×512×500 @ 0.7×0.7×1 mm generated in ${phantomS.toFixed(1)} s; RSS peak so far ${vmHWM().toFixed(0)} MiB`);
const baseHWM = vmHWM();

const totals: number[] = [];
const cpus: number[] = [];
const stages = new Map<string, number[]>();
let labels = '';
let state = '';
for (let r = 0; r < runs; r++) {
  t = performance.now();
  const c0 = process.cpuUsage();
  const seg = await segmentSpineCT(ph.volume);
  const s = (performance.now() - t) / 1000;
  const c1 = process.cpuUsage(c0);
  totals.push(s);
  cpus.push((c1.user + c1.system) / 1e6);
  for (const [k, v] of Object.entries(seg.timings)) stages.set(k, [...(stages.get(k) ?? []), v]);
  labels = seg.vertebrae.map((v) => v.label).join(' ');
  state = seg.labelling.state;
  console.log(`run ${r + 1}: ${s.toFixed(2)} s wall, ${cpus.at(-1)!.toFixed(2)} s CPU (single-threaded: CPU < wall means the machine was shared)`);
}
const truth = ph.truth.vertebrae.filter((v) => v.visible).map((v) => v.name).join(' ');
console.log(`\nsegmentSpineCT, ${runs} runs: median ${median(totals).toFixed(2)} s wall, ${median(cpus).toFixed(2)} s CPU (goal ≤ 30 s on the 2-core machine); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('stage | median s');
for (const [k, v] of stages) console.log(`${k} | ${median(v).toFixed(2)}`);
console.log(`peak RSS (VmHWM) ${vmHWM().toFixed(0)} MiB (phantom + input alone: ${baseHWM.toFixed(0)} MiB)`);
console.log(`labels ${state}: ${labels}\ntruth visible: ${truth}`);
console.log('context (published, not measured here): TotalSegmentator 872 s full / 57 s --fast on a 10-core CPU.');
