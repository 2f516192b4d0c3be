import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discPositions, splitCaudalRun } from '../src/segment/runs.js';
import { bodyFromVoxels } from '../src/segment/bodies.js';

/** A column profile (HU per 2 mm step) of `n` bodies with `pitch` steps each, disc at the end of each. */
function profile(n: number, pitch: number, layer: (phase: number) => number): Float64Array {
  return Float64Array.from({ length: n * pitch }, (_, s) => layer(s % pitch));
}

test('resolved discs: every dark gap between bright endplates is a cut, at the gap', () => {
  // marrow 200, endplates 350 (one step each side), disc 80 at phase 0
  const p = profile(5, 12, (ph) => (ph === 0 ? 80 : ph === 1 || ph === 11 ? 350 : 200));
  assert.deepEqual(discPositions(p, 15), [12, 24, 36, 48]);
});

test('thin discs: a bright endplate band between darker marrow is a cut', () => {
  // two endplates blurred into one 300 HU band at phases 0–1, marrow 190–210 in between
  const p = profile(6, 10, (ph) => (ph <= 1 ? 300 : 190 + (ph % 3) * 10));
  const cuts = discPositions(p, 15);
  // the disc lies between the band's two steps (10 and 11 for the first)
  assert.equal(cuts.length, 5);
  cuts.forEach((c, i) => assert.ok(c === 10 * (i + 1) || c === 10 * (i + 1) + 1, `cut ${c}`));
});

test('a uniform or gently varying body has no disc', () => {
  const p = Float64Array.from({ length: 40 }, (_, s) => 220 + 10 * Math.sin(s / 3));
  assert.deepEqual(discPositions(p, 15), []);
});

test('cuts keep at least 0.45 typical heights apart (one disc, not its two endplates)', () => {
  const p = profile(3, 14, (ph) => (ph === 0 ? 60 : ph === 1 || ph === 13 ? 420 : 210));
  const cuts = discPositions(p, 15);
  for (let i = 1; i < cuts.length; i++) assert.ok(cuts[i]! - cuts[i - 1]! >= 0.45 * 15);
  assert.deepEqual(cuts, [14, 28]);
});

test('a lone body spanning a short scan is cut at its disc; without a disc it stays whole', async () => {
  const { splitLongRuns } = await import('../src/segment/runs.js');
  const { bodyFromVoxels } = await import('../src/segment/bodies.js');
  const [nx, ny, nz, sp] = [20, 20, 24, 2];
  const hu = new Float32Array(nx * ny * nz);
  const voxels: number[] = [];
  for (let k = 0; k < nz; k++) for (let j = 5; j < 15; j++) for (let i = 5; i < 15; i++) voxels.push(i + j * nx + k * nx * ny);
  const g = { nx, ny, nz, sp, hu };
  const columnPos = (p: number): number => nz - 1 - Math.floor(p / (nx * ny));
  const body = bodyFromVoxels(Int32Array.from(voxels), g, columnPos);
  // Marrow 220 HU, a disc (80 HU) at slice 10 between two endplates (420 HU) at slices 9 and 11.
  const layer = (k: number): number => (k === 10 ? 80 : k === 9 || k === 11 ? 420 : 220);
  for (const p of voxels) hu[p] = layer(Math.floor(p / (nx * ny)));
  const parts = splitLongRuns([body], g, columnPos);
  assert.equal(parts.length, 2);
  assert.deepEqual(parts.map((b) => [b.k0, b.k1]), [[11, 23], [0, 9]]);
  // No disc: one body.
  for (const p of voxels) hu[p] = 220;
  assert.equal(splitLongRuns([body], g, columnPos).length, 1);
});

test('a marrow dip beside a thin disc\'s band does not take the cut from the band', () => {
  // Thin discs: endplates blurred into one 300 HU band at phases 0–1; marrow 200, and in each
  // body a shallow dip (160 HU, as a basivertebral vein) three steps above the next band. The
  // dip passes as a resolved minimum (it borrows the band as its lower endplate) but the band
  // stands out far more: the cut stays at the band.
  const p = profile(5, 14, (ph) => (ph <= 1 ? 300 : ph === 11 ? 160 : 200));
  const cuts = discPositions(p, 15);
  assert.equal(cuts.length, 4);
  cuts.forEach((c, i) => assert.ok(c === 14 * (i + 1) || c === 14 * (i + 1) + 1, `cut ${c} should be at the band ${14 * (i + 1)}`));
});

/** Bodies as boxes of slices on a bare 12×12 grid (marrow 220 HU); column position = slices from the top. */
function boxes(ranges: [number, number][], nz: number): { bodies: ReturnType<typeof bodyFromVoxels>[]; g: { nx: number; ny: number; nz: number; sp: number; hu: Float32Array }; columnPos: (p: number) => number } {
  const [nx, ny, sp] = [12, 12, 2];
  const g = { nx, ny, nz, sp, hu: new Float32Array(nx * ny * nz) };
  const columnPos = (p: number): number => nz - 1 - Math.floor(p / (nx * ny));
  const bodies = ranges.map(([k0, k1]) => {
    const v: number[] = [];
    for (let k = k0; k <= k1; k++) for (let j = 3; j < 9; j++) for (let i = 3; i < 9; i++) v.push(i + j * nx + k * nx * ny);
    for (const q of v) g.hu[q] = 220;
    return bodyFromVoxels(Int32Array.from(v), g, columnPos);
  });
  return { bodies: bodies.sort((a, b) => b.centroid[2] - a.centroid[2]), g, columnPos };
}

test('splitCaudalRun: a tall body cut by the bottom of the scan is cut at its discs; a normal one is left alone', () => {
  // Bodies 12 slices tall with 3-slice gaps; the bottom one runs off the scan (slice 0) holding
  // two more discs (80 HU between 420 HU endplates) at slices 30 and 15.
  const { bodies, g, columnPos } = boxes([[82, 93], [67, 78], [52, 63], [0, 48]], 100);
  const nxy = g.nx * g.ny;
  for (const disc of [30, 15]) {
    for (let q = 0; q < nxy; q++) {
      if (!g.hu[q + disc * nxy]) continue;
      g.hu[q + disc * nxy] = 80;
      g.hu[q + (disc - 1) * nxy] = 420;
      g.hu[q + (disc + 1) * nxy] = 420;
    }
  }
  const out = splitCaudalRun(bodies, g, columnPos);
  assert.ok(out);
  assert.deepEqual(out.map((b) => [b.k0, b.k1]), [[82, 93], [67, 78], [52, 63], [31, 48], [16, 29], [0, 14]]);
  // Without the caudal run, nothing to cut.
  assert.equal(splitCaudalRun(bodies.slice(0, 3), g, columnPos), undefined);
  // A bottom body 1.2 typical heights tall (a tilted L5, say) is not a run.
  const short = boxes([[82, 93], [67, 78], [52, 63], [0, 14]], 100);
  assert.equal(splitCaudalRun(short.bodies, short.g, short.columnPos), undefined);
});
