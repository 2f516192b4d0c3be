/**
 * npm run eval:spine — accuracy of segmentSpineCT.
 *  1. Real CT with TotalSegmentator reference labels (a model's output, not ground truth):
 *     per level identification (same label, centroid within 20 mm), Dice, mean surface distance.
 *  2. Every other real CT in ../shared/data: runs, labels, state (no reference).
 *  3. Phantoms across the parameter space: identification rate, Dice, the share of disc voxels in
 *     the vertebral-body masks; a wrong label that is not flagged uncertain is a failure.
 * Usage: npm run eval:spine [-- --quick] [--only real|other|phantoms] [--case <phantom name part>]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distanceToMask, readDicomSeries, readNifti, resampleToGeometry, indexToWorld } from '@rachis/imaging';
import type { Geometry, Image, Vec3, Volume } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { makeSpinePhantom, PART, segmentSpineCT, VERTEBRA_LABEL_VALUE } from '../src/index.js';
import type { SpinePhantomParams, SpineSegmentation, VertebraName } from '../src/index.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const wanted = (part: string): boolean => only === undefined || only === part;
const caseAt = process.argv.indexOf('--case');
const caseFilter = caseAt >= 0 ? process.argv[caseAt + 1] : undefined;
const fmt = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

interface LevelRow { name: string; identified: boolean; centroidErrMm: number; dice: number; msdMm: number; ours: string; refVoxels: number }

function centroid(g: Geometry, data: ArrayLike<number>, value: number): Vec3 | undefined {
  const [nx, ny] = g.size;
  let sx = 0, sy = 0, sz = 0, c = 0;
  for (let p = 0; p < data.length; p++) {
    if (data[p] !== value) continue;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    sx += i; sy += j; sz += k; c++;
  }
  return c ? indexToWorld(g, [sx / c, sy / c, sz / c]) : undefined;
}

function surfaceMean(g: Geometry, a: Uint8Array, b: Uint8Array): number {
  // mean over a's surface voxels of the distance to b (mm)
  const [nx, ny, nz] = g.size;
  const db = distanceToMask({ ...g, data: b }).data;
  let s = 0, c = 0;
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const p = i + j * nx + k * nx * ny;
    if (!a[p]) continue;
    const edge = i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1 || !a[p - 1] || !a[p + 1] || !a[p - nx] || !a[p + nx] || !a[p - nx * ny] || !a[p + nx * ny];
    if (!edge) continue;
    s += db[p]!; c++;
  }
  return c ? s / c : NaN;
}

function compareLevel(g: Geometry, ours: ArrayLike<number>, ourValue: number, ref: ArrayLike<number>, refValues: number[]): { dice: number; msd: number } {
  const n = ref.length;
  const a = new Uint8Array(n);
  const b = new Uint8Array(n);
  let na = 0, nb = 0, both = 0;
  for (let p = 0; p < n; p++) {
    if (ours[p] === ourValue) { a[p] = 1; na++; }
    if (refValues.includes(ref[p]!)) { b[p] = 1; nb++; }
    if (a[p] && b[p]) both++;
  }
  const dice = na + nb ? (2 * both) / (na + nb) : NaN;
  const msd = na && nb ? (surfaceMean(g, a, b) + surfaceMean(g, b, a)) / 2 : NaN;
  return { dice, msd };
}

/** Compare a segmentation with a TotalSegmentator `total` label map (values from label_maps.json). */
function evaluateAgainst(seg: SpineSegmentation, ref: Image, refNames: Record<string, string>): LevelRow[] {
  const ours = resampleToGeometry({ ...seg.vertebraMask }, ref, 'nearest', 0).data;
  const present = new Set<number>();
  for (const v of ref.data) if (v) present.add(v);
  const rows: LevelRow[] = [];
  for (const [idStr, nm] of Object.entries(refNames)) {
    const id = Number(idStr);
    if (!present.has(id) || !nm.startsWith('vertebrae_')) continue;
    const name = nm.slice('vertebrae_'.length) as VertebraName;
    const refValues = name === 'S1' ? [id, ...Object.entries(refNames).filter(([, n]) => n === 'sacrum').map(([k]) => Number(k))] : [id];
    const rc = centroid(ref, ref.data, id)!;
    const mine = seg.vertebrae.find((v) => v.label === name);
    const near = seg.vertebrae.reduce((b, v) => (dist(v.centroidMm, rc) < dist(b.centroidMm, rc) ? v : b), seg.vertebrae[0]!);
    const err = mine ? dist(mine.centroidMm, rc) : NaN;
    const { dice, msd } = compareLevel(ref, ours, VERTEBRA_LABEL_VALUE[name], ref.data, refValues);
    let refVoxels = 0;
    for (const v of ref.data) if (v === id) refVoxels++;
    rows.push({ name, identified: mine !== undefined && err <= 20, centroidErrMm: err, dice, msdMm: msd, ours: near?.label ?? '—', refVoxels });
  }
  return rows;
}

function printRows(title: string, seg: SpineSegmentation, rows: LevelRow[]): { ident: number; n: number; diceMean: number } {
  console.log(`\n## ${title}`);
  console.log(`state ${seg.labelling.state}; anchors ${seg.labelling.anchors.join(', ') || 'none'}; labels ${seg.vertebrae.map((v) => v.label).join(' ')}; ${fmt(seg.timings.total, 1)} s`);
  console.log('level | identified | centroid err mm | Dice | MSD mm | nearest of ours');
  for (const r of rows) console.log(`${r.name} | ${r.identified ? 'yes' : 'NO'} | ${fmt(r.centroidErrMm, 1)} | ${fmt(r.dice, 3)} | ${fmt(r.msdMm, 2)} | ${r.ours}`);
  const vert = rows.filter((r) => r.name !== 'S1');
  const diceMean = vert.reduce((a, r) => a + (Number.isNaN(r.dice) ? 0 : r.dice), 0) / Math.max(1, vert.length);
  const ident = rows.filter((r) => r.identified).length;
  // Slivers cut by the field of view (reference < 25 % of the median level) are listed above but
  // also averaged apart: a few slices of a neighbour's arch say little about segmentation quality.
  const vols = vert.map((r) => r.refVoxels).sort((a, b) => a - b);
  const medVol = vols[Math.floor(vols.length / 2)] ?? 0;
  const whole = vert.filter((r) => r.refVoxels >= 0.25 * medVol);
  const wholeMean = whole.reduce((a, r) => a + (Number.isNaN(r.dice) ? 0 : r.dice), 0) / Math.max(1, whole.length);
  console.log(`identified ${ident}/${rows.length}; mean vertebra Dice (without S1/sacrum) ${fmt(diceMean, 3)}; over the ${whole.length} levels not cut to a sliver by the field of view ${fmt(wholeMean, 3)}`);
  return { ident, n: rows.length, diceMean };
}

async function realWithReference(): Promise<void> {
  const dir = sharedData('totalseg-example-ct');
  if (!dir) return void console.log('totalseg-example-ct missing: skipped');
  const names = (JSON.parse(readFileSync(join(dir, 'label_maps.json'), 'utf8')) as { total: Record<string, string> }).total;
  const ct = await readNifti(join(dir, 'example_ct.nii.gz'));
  const seg = await segmentSpineCT({ ...ct, meta: { ...ct.meta, modality: 'CT' } });
  const ref = await readNifti(join(dir, 'spine_report/example_ct_report/totalseg.nii.gz'));
  printRows('example_ct.nii.gz (3 mm) vs TotalSegmentator totalseg.nii.gz', seg, evaluateAgainst(seg, ref, names));
  // The small CT (30 slices) against TotalSegmentator's --fast per-vertebra masks of it.
  const sm = await readNifti(join(dir, 'example_ct_sm.nii.gz'));
  const segSm = await segmentSpineCT({ ...sm, meta: { ...sm.meta, modality: 'CT' } });
  const refSm = new Uint8Array(sm.data.length);
  for (const [id, nm] of Object.entries(names)) {
    if (!nm.startsWith('vertebrae_')) continue;
    const m = await readNifti(join(dir, 'example_seg_fast', `${nm}.nii.gz`));
    m.data.forEach((v, p) => {
      if (v) refSm[p] = Number(id);
    });
  }
  printRows('example_ct_sm.nii.gz (3 mm, 30 slices) vs TotalSegmentator --fast vertebrae_*.nii.gz', segSm, evaluateAgainst(segSm, { ...sm, data: refSm }, names));
  const dcm = await readDicomSeries(join(dir, 'example_ct_dicom'));
  try {
    const segD = await segmentSpineCT(dcm);
    const refD = await readNifti(join(dir, 'example_seg_dicom.nii.gz'));
    printRows('example_ct_dicom (20 J2K slices, 2 mm) vs example_seg_dicom.nii.gz', segD, evaluateAgainst(segD, refD, names));
  } catch (e) {
    console.log(`\n## example_ct_dicom: ${(e as Error).message}`);
  }
}

async function otherReal(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'rachis-eval-spine-'));
  try {
    const cases: { name: string; load: () => Promise<Volume> }[] = [];
    const ircad = sharedData('ircad-3dircadb-ct', '3Dircadb1.1', 'PATIENT_DICOM.zip');
    if (ircad) cases.push({ name: 'ircad 3Dircadb1.1 (portal venous, ~T8–L5)', load: async () => { execFileSync('unzip', ['-q', '-o', ircad, '-d', join(tmp, 'ircad')]); return readDicomSeries(join(tmp, 'ircad')); } });
    const thorax = sharedData('thorax-4dct-phase00-itkelastix', 'CT_00.zip');
    if (thorax) cases.push({ name: 'thorax 4D-CT phase 00 (~C7–T11/12)', load: async () => { execFileSync('unzip', ['-q', '-o', thorax, '-d', join(tmp, 'thorax')]); return readDicomSeries(join(tmp, 'thorax')); } });
    console.log('\n## Other real CT (no reference labels)');
    console.log('case | ran | state | anchors | labels (cranial → caudal) | seconds');
    for (const c of cases) {
      try {
        const vol = await c.load();
        const seg = await segmentSpineCT(vol);
        console.log(`${c.name} | yes | ${seg.labelling.state} | ${seg.labelling.anchors.join(', ') || 'none'} | ${seg.vertebrae.map((v) => v.label + (v.truncated ? '*' : '')).join(' ')} | ${fmt(seg.timings.total, 1)}`);
        if (seg.labelling.state === 'uncertain') for (const h of seg.labelling.hypotheses) console.log(`   hypothesis p=${fmt(h.probability)}: ${h.labels.join(' ')} (${h.reason})`);
      } catch (e) {
        console.log(`${c.name} | ERROR | ${(e as Error).message}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function phantomCases(): { name: string; p: SpinePhantomParams }[] {
  const out: { name: string; p: SpinePhantomParams }[] = [];
  const fovs: [VertebraName, VertebraName][] = [['T10', 'S1'], ['T6', 'L3'], ['L1', 'S1'], ['C7', 'L2'], ['T11', 'L5'], ['T1', 'S1']];
  let seed = 100;
  for (const [from, to] of fovs) {
    out.push({ name: `fov ${from}-${to}`, p: { seed: seed++, fov: { from, to }, spacingMm: [2, 2, 2] } });
    out.push({ name: `fov ${from}-${to} scoliosis 25 mm`, p: { seed: seed++, fov: { from, to }, spacingMm: [2.5, 2.5, 2.5], scoliosis: { amplitudeMm: 25 } } });
  }
  for (const [from, to] of [['T9', 'S1'], ['T1', 'S1']] as [VertebraName, VertebraName][]) {
    out.push({ name: `L6 ${from}-${to}`, p: { seed: seed++, fov: { from, to }, lumbarCount: 6 } });
    out.push({ name: `T13 ${from}-${to}`, p: { seed: seed++, fov: { from, to }, thoracicCount: 13 } });
    out.push({ name: `11 rib pairs ${from}-${to}`, p: { seed: seed++, fov: { from, to }, ribPairs: 11 } });
  }
  const shapes = ['wedge', 'biconcave', 'crush'] as const;
  for (let i = 0; i < 6; i++) {
    out.push({ name: `fracture ${shapes[i % 3]} ${25 + i * 5}% L${(i % 4) + 1}, osteoporotic`, p: { seed: seed++, fov: { from: 'T10', to: 'S1' }, trabecularHU: 90, deformities: [{ level: `L${(i % 4) + 1}` as VertebraName, shape: shapes[i % 3]!, heightLossPct: 25 + i * 5 }] } });
  }
  for (let i = 0; i < 4; i++) out.push({ name: `S-curve 20 mm, kyphosis ${30 + i * 10}, lordosis ${40 + i * 5}, 3 mm`, p: { seed: seed++, spacingMm: [3, 3, 3], fov: { from: 'T8', to: 'S1' }, scoliosis: { amplitudeMm: 20, shape: 'S' }, kyphosisDeg: 30 + i * 10, lordosisDeg: 40 + i * 5 } });
  for (let i = 0; i < 4; i++) out.push({ name: `contrast ${i % 2 ? 'arterial' : 'portal'}, noise 20, 1.5 mm`, p: { seed: seed++, spacingMm: [1.5, 1.5, 1.5], fov: { from: 'T12', to: 'S1' }, contrast: i % 2 ? 'arterial' : 'portal', noiseSdHU: 20 } });
  if (caseFilter !== undefined) return out.filter((c) => c.name.includes(caseFilter));
  return quick ? out.filter((_, i) => i % 4 === 0) : out;
}

async function phantoms(): Promise<void> {
  console.log('\n## Phantoms');
  console.log('case | state | levels ok / visible | wrong & not flagged | mean Dice (non-truncated) | disc in body masks % | seconds');
  let ok = 0, total = 0, silentWrong = 0, casesOk = 0, diceSum = 0, diceN = 0, bodyVoxels = 0, discVoxels = 0;
  const cases = phantomCases();
  for (const c of cases) {
    const ph = makeSpinePhantom(c.p);
    let seg: SpineSegmentation;
    try {
      seg = await segmentSpineCT(ph.volume);
    } catch (e) {
      console.log(`${c.name} | ERROR ${(e as Error).message}`);
      silentWrong++;
      continue;
    }
    let cOk = 0, cN = 0, cDice = 0, cDN = 0;
    for (const t of ph.truth.vertebrae.filter((v) => v.visible && !v.truncated)) {
      cN++;
      const mine = seg.vertebrae.find((v) => v.label === t.name);
      if (mine && dist(mine.centroidMm, t.centroidMm!) <= 20) cOk++;
      const d = compareLevel(ph.labels, seg.vertebraMask.data, t.labelValue, ph.labels.data, [t.labelValue]).dice;
      if (t.name !== 'S1') { cDice += Number.isNaN(d) ? 0 : d; cDN++; }
    }
    // Share of the voxels labelled vertebral body that are disc in the phantom: a body mask that
    // holds its disc reads too tall and tilts its endplate.
    let cBody = 0, cDisc = 0;
    for (let p = 0; p < ph.parts.data.length; p++) {
      if (seg.partMask.data[p] !== 1 || !seg.instanceMask.data[p]) continue;
      cBody++;
      if (ph.parts.data[p] === PART.disc) cDisc++;
    }
    bodyVoxels += cBody; discVoxels += cDisc;
    const wrong = cOk < cN;
    const silent = wrong && seg.labelling.state !== 'uncertain';
    if (silent) silentWrong++;
    if (!wrong) casesOk++;
    ok += cOk; total += cN; diceSum += cDice; diceN += cDN;
    console.log(`${c.name} | ${seg.labelling.state} | ${cOk}/${cN} | ${silent ? 'FAIL' : wrong ? 'flagged' : '—'} | ${fmt(cDice / Math.max(1, cDN), 3)} | ${fmt((100 * cDisc) / Math.max(1, cBody), 2)} | ${fmt(seg.timings.total, 1)}`);
  }
  console.log(`phantom totals: ${cases.length} cases, all levels right in ${casesOk}; levels identified ${ok}/${total} (${fmt((100 * ok) / Math.max(1, total), 1)} %); wrong and not flagged uncertain: ${silentWrong}; mean vertebra Dice ${fmt(diceSum / Math.max(1, diceN), 3)}; disc in body masks ${fmt((100 * discVoxels) / Math.max(1, bodyVoxels), 2)} %`);
}

if (wanted('real')) await realWithReference();
if (wanted('other')) await otherReal();
if (wanted('phantoms')) await phantoms();
