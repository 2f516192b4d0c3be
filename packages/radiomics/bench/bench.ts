/**
 * npm run bench:radiomics — full IBSI-1 feature set (all families, 2D + 2.5D + 3D aggregations)
 * per ROI: median wall time per family over repeated runs. No peer tool is timed: PyRadiomics
 * cannot be installed here (no Python package index); its baselines are compared for accuracy in
 * the eval instead.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readLabelMap, readNifti } from '@rachis/imaging';
import type { Image } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { ALL_DIRECTIONAL, ALL_ZONE, extractFeatures } from '../src/index.js';
import type { SettingsInput, TimingKey } from '../src/index.js';
import { ellipsoid100k, vertebralBody } from './phantoms.js';

const RUNS = Number(process.env.RUNS ?? 5);
const FULL: SettingsInput = {
  resegmentation: { range: [-1000, 3000] },
  discretisation: { texture: { method: 'fbs', width: 25 }, histogram: { method: 'fbs', width: 25 }, ivh: { method: 'none' } },
  directionalAggregations: ALL_DIRECTIONAL,
  zoneAggregations: ALL_ZONE,
};

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Case { name: string; image: Image; mask: Image; settings: SettingsInput; cpuPerFamily?: boolean }
const cases: Case[] = [];
for (const p of [vertebralBody(), ellipsoid100k()]) cases.push({ name: p.name, image: p.image, mask: p.mask, settings: FULL, cpuPerFamily: true });
const ibsi = sharedData('ibsi');
if (ibsi) {
  const dir = join(ibsi, 'data_sets/ibsi_1_ct_radiomics_phantom/nifti');
  const image = await readNifti(join(dir, 'image/phantom.nii.gz'));
  const mask = await readLabelMap(join(dir, 'mask/mask.nii.gz'));
  cases.push({ name: 'IBSI CT phantom, native 0.98×0.98×3 mm', image, mask, settings: FULL });
  cases.push({
    name: 'IBSI CT phantom, trilinear → 2 mm (config C chain)', image, mask,
    settings: { ...FULL, interpolation: { spacingMm: [2, 2, 2] }, roundIntensities: true },
  });
}

console.log(`radiomics bench: ${RUNS} runs per ROI, medians; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine`);
console.log('(wall time is inflated when other processes share the CPUs; CPU time is the process\'s own user+system time)');
for (const c of cases) {
  extractFeatures(c.image, c.mask, c.settings); // warm-up (JIT)
  const totals: number[] = [], cpu: number[] = [];
  const per = new Map<TimingKey, number[]>();
  let voxels = 0, features = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const res = extractFeatures(c.image, c.mask, c.settings);
    totals.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    cpu.push((dc.user + dc.system) / 1000);
    for (const [k, v] of Object.entries(res.timingsMs) as [TimingKey, number][]) per.set(k, [...(per.get(k) ?? []), v]);
    voxels = res.diagnostics.resegmentedRoi.voxels;
    features = res.features.filter((f) => f.family !== 'diagnostics').length;
  }
  console.log(`\n${c.name}: ${voxels} ROI voxels, ${features} features — median total ${median(totals).toFixed(0)} ms wall (min ${Math.min(...totals).toFixed(0)}), ${median(cpu).toFixed(0)} ms CPU`);
  for (const [k, v] of per) console.log(`  ${k.padEnd(20)} ${median(v).toFixed(1).padStart(8)} ms`);
  if (c.cpuPerFamily) cpuPerFamily(c);
}

/** CPU time per family: one extraction per family (median of 3) minus a pre-processing-only run. */
function cpuPerFamily(c: Case): void {
  const cpuOf = (s: SettingsInput): number => {
    const t: number[] = [];
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      extractFeatures(c.image, c.mask, { ...c.settings, ...s });
      const d = process.cpuUsage(c0);
      t.push((d.user + d.system) / 1000);
    }
    return median(t);
  };
  const base = cpuOf({ families: ['statistics'] });
  const parts: string[] = [`pre-processing+statistics ${base.toFixed(0)}`];
  let sum = base;
  const noMoran = cpuOf({ families: ['morphology'], moranMaxVoxels: 0 }) - base;
  const withMoran = cpuOf({ families: ['morphology'] }) - base;
  parts.push(`morphology ${noMoran.toFixed(0)}`, `moran+geary ${(withMoran - noMoran).toFixed(0)}`);
  sum += withMoran;
  for (const f of ['local_intensity', 'intensity_histogram', 'ivh', 'glcm', 'glrlm', 'glszm', 'gldzm', 'ngtdm', 'ngldm'] as const) {
    const v = Math.max(0, cpuOf({ families: [f] }) - base);
    sum += v;
    parts.push(`${f} ${v.toFixed(0)}`);
  }
  console.log(`  CPU ms by family (separate runs): ${parts.join(', ')}; sum ≈ ${sum.toFixed(0)}`);
}
