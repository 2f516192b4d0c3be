/**
 * npm run eval:radiomics — IBSI-1 compliance: digital phantom and CT phantom configurations A–E.
 * Prints matches/total per family and per configuration, then every miss with value, reference,
 * tolerance and the known reason. Then the PyRadiomics baseline comparison (pyradiomics.ts).
 * Arguments: substrings of case ids to run only some (`digital`, `config C`, `pyradiomics`);
 * `--all` also lists matching features; `--no-moran` skips Moran's I / Geary's C (faster).
 */
import { join } from 'node:path';
import { readLabelMap, readNifti } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { extractFeatures } from '../src/index.js';
import { IBSI_CASES } from './ibsi-configs.js';
import { matches, readReference, withinTolerance } from './reference.js';
import { runPyradiomicsComparison } from './pyradiomics.js';
import { KNOWN_REASONS } from './known-misses.js';

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const showAll = process.argv.includes('--all');
const root = sharedData('ibsi');
if (!root) {
  console.log('ibsi data not found in ../shared/data: nothing to evaluate');
  process.exit(0);
}

const summary: string[] = [];
for (const c of IBSI_CASES) {
  if (only.length && !only.some((o) => c.id.includes(o))) continue;
  const img = await readNifti(join(root, '..', c.image));
  const mask = await readLabelMap(join(root, '..', c.mask));
  const t0 = performance.now();
  const res = extractFeatures(img, mask, process.argv.includes('--no-moran') ? { ...c.settings, moranMaxVoxels: 0 } : c.settings);
  const ms = performance.now() - t0;
  const byTag = new Map(res.features.map((f) => [f.tag, f.value]));
  const refs = readReference(join(root, 'reference_values', `ibsi_1_reference_values_${c.csv}.csv`));
  const perFamily = new Map<string, { ok: number; total: number; missing: number }>();
  const misses: string[] = [];
  let ok = 0, total = 0, diagOk = 0, diagTotal = 0, byRounding = 0;
  for (const r of refs) {
    const isDiag = r.family.startsWith('Diagnostics');
    const v = byTag.get(r.tag);
    if (isDiag && v === undefined) continue; // diagnostics we do not compute (whole-image stats) are not counted
    const fam = perFamily.get(r.family) ?? { ok: 0, total: 0, missing: 0 };
    perFamily.set(r.family, fam);
    fam.total++;
    const good = v !== undefined && matches(v, r);
    if (good) fam.ok++;
    if (v === undefined) fam.missing++;
    if (isDiag) { diagTotal++; if (good) diagOk++; } else { total++; if (good) ok++; }
    if (good && !isDiag && r.tolerance > 0 && !withinTolerance(v, r)) byRounding++;
    if (!good || showAll) {
      const reason = KNOWN_REASONS[`${c.csv}:${r.tag}`] ?? KNOWN_REASONS[r.tag] ?? '';
      misses.push(`  ${good ? 'ok  ' : 'MISS'} ${r.tag.padEnd(34)} value ${v === undefined ? 'not computed' : fmt(v)}  ref ${r.value} ± ${r.tolerance}${reason ? `  — ${reason}` : ''}`);
    }
  }
  console.log(`\n=== IBSI-1 ${c.id} (${c.note}) — ${ms.toFixed(0)} ms`);
  for (const [fam, s] of perFamily) {
    console.log(`  ${fam.padEnd(58)} ${String(s.ok).padStart(3)}/${String(s.total).padEnd(3)}${s.missing ? ` (${s.missing} not computed)` : ''}`);
  }
  console.log(`  ${'FEATURES TOTAL'.padEnd(58)} ${ok}/${total} (${((100 * ok) / total).toFixed(1)} %)   diagnostics ${diagOk}/${diagTotal}`);
  console.log(`  (${byRounding} of the matches with a non-zero tolerance needed the 3-significant-digit rounding rule)`);
  if (misses.length) console.log(misses.join('\n'));
  summary.push(`${c.id.padEnd(16)} ${String(ok).padStart(3)}/${total} features (${((100 * ok) / total).toFixed(1)} %), diagnostics ${diagOk}/${diagTotal}, ${byRounding} matched only after 3-digit rounding`);
}
console.log('\n=== IBSI-1 summary');
console.log(summary.map((s) => `  ${s}`).join('\n'));

if (!only.length || only.includes('pyradiomics')) await runPyradiomicsComparison();

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : Number(v.toPrecision(6)).toString();
}
