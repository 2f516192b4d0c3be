/**
 * `npm run eval:measure`: (a) phantoms, truth vs measured, and (a2) the Genant grading precision
 * over grade-1 wedges at several levels; (b) the TotalSegmentator example CT;
 * (c) Genant grading of the MosMed raters' height points and rater-vs-rater kappa.
 * I/O lives here; the measurement code it calls is pure.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Volume } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import * as spineModule from '@rachis/spine';
import type { SpineSegmentation } from '@rachis/spine';
import { parseMosmed, raterAgreement, type AgreementReport, type AxisScale } from './mosmed.js';
import { gradingSweep } from './grading-sweep.js';
import { phantomSection } from './phantom-eval.js';
import { table } from './table.js';
import { totalsegSection } from './totalseg-eval.js';

type Segmenter = (v: Volume) => Promise<SpineSegmentation>;
// The spine engine may not export segmentSpineCT yet: look it up at run time.
const segmenter = (spineModule as Record<string, unknown>)['segmentSpineCT'] as Segmenter | undefined;

function kappaTable(r: AgreementReport): string {
  return table(
    ['rater pair', 'vertebrae', 'κ unweighted', 'κ linear', 'κ quadratic', 'κ any (≥1)', 'κ mod/sev (≥2)', '% exact', 'mean |Δloss| pp'],
    r.pairs.map((p) => [p.pair, p.n, p.unweighted.kappa, p.linear.kappa, p.quadratic.kappa, p.anyFracture.kappa, p.moderateOrSevere.kappa, 100 * p.unweighted.observed, p.meanAbsLossDiffPct]),
  );
}

async function mosmedSection(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const files = await Promise.all(names.map(async (f) => parseMosmed(JSON.parse(await readFile(join(dir, f), 'utf8')), f)));
  const out: string[] = [];
  const main = raterAgreement(files);
  out.push(`${main.files} CTs, ${main.vertebraeGraded} rater-vertebra gradings; grade counts per rater [0,1,2,3]: ${Object.entries(main.gradeCounts).map(([r, c]) => `${r} ${JSON.stringify(c)}`).join(', ')}`);
  out.push('Rachis gradeColumn (within-vertebra + neighbour comparison) applied to each rater\'s points; heights in voxel units (no spacing in the data):');
  out.push(kappaTable(main));
  out.push(`Fleiss κ (expert1–3, ${main.fleiss.n} vertebrae rated by all three): 4-grade ${main.fleiss.kappa.toFixed(3)}, any-deformity ${main.fleiss3Binary.kappa.toFixed(3)}`);
  const variants: [string, { scale?: AxisScale; useNeighbours?: boolean }][] = [
    ['within-vertebra only (no neighbour comparison)', { useNeighbours: false }],
    ['AP voxel size 0.7 × slice spacing', { scale: [0.7, 1, 1] }],
    ['AP voxel size 1.4 × slice spacing', { scale: [1.4, 1, 1] }],
  ];
  out.push('\nSensitivity (expert1–expert2 pair; Fleiss):');
  out.push(table(['variant', 'κ unweighted', 'κ quadratic', 'κ mod/sev', 'Fleiss κ'], variants.map(([name, o]) => {
    const r = raterAgreement(files, o);
    const p = r.pairs.find((x) => x.pair === 'expert1–expert2')!;
    return [name, p.unweighted.kappa, p.quadratic.kappa, p.moderateOrSevere.kappa, r.fleiss.kappa];
  })));
  out.push('The annotation holds height points only (no rater grades), so Rachis grades cannot be compared with the raters\' own SQ grades.');
  return out.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log('# eval:measure\n');
  console.log(`segmentSpineCT: ${segmenter ? 'available' : 'not exported by @rachis/spine yet (phantom rows use the perfect segmentation only)'}\n`);
  console.log('## (a) Phantoms: truth vs measured (Δ = measured − truth; heights over non-truncated levels, Cobb truth = max − min coronal tilt of the non-truncated T/L levels; |Δh| ≤ stated ±: heights whose error is within the ± uncertainty the result states for them, one voxel of endplate position: e/√2 for the voxel extent e along the column, ×1.13 where the walls are reached by the linear extension on coarse grids)\n');
  console.log((await phantomSection(segmenter)).text);
  console.log('\n(a2) Genant grading precision, 1 mm perfect masks (HU endplates, the default): grade-1 wedges at five levels of the low-BMD T10–S1 phantom; cell = measured height loss → grade\n');
  console.log('Voxel-centre rendering (the phantom as in (a): binary staircase endplates):');
  console.log(gradingSweep('voxel-centre'));
  console.log('\nSlice-integrated rendering (each 1 mm slice the mean of three 1/3 mm slices: partial volume at the endplates, as on CT):');
  console.log(gradingSweep('slice-integrated'));
  const ts = sharedData('totalseg-example-ct');
  console.log('\n## (b) Real CT: totalseg-example-ct\n');
  console.log(ts ? await totalsegSection(ts, segmenter) : 'shared data not present: skipped');
  const mm = sharedData('genant-vertebral-heights-mosmed', 'annotation');
  console.log('\n## (c) Genant grading of MosMed rater height points: rater-vs-rater agreement\n');
  console.log(mm ? await mosmedSection(mm) : 'shared data not present: skipped');
  console.log(`\n(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

await main();
