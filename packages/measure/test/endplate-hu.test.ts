import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vec3, Volume } from '@rachis/imaging';
import { compactBoneHU, huEndplateRefiner, thinPlateCorrection } from '../src/endplate-hu.js';
import { measureMorphometry } from '../src/morphometry.js';
import { stack } from './synthetic-spine.js';

/** A 3 × 3 × 12 column of 3 mm slices (slice k centred at z = 3k): `hu(z0, z1)` is the mean HU over the slice [z0, z1]. */
function column(hu: (z0: number, z1: number) => number): Volume<Int16Array> {
  const size: Vec3 = [3, 3, 12];
  const data = new Int16Array(3 * 3 * 12);
  for (let k = 0; k < 12; k++) data.fill(Math.round(hu(3 * k - 1.5, 3 * k + 1.5)), 9 * k, 9 * (k + 1));
  return { size, spacing: [1, 1, 3], origin: [-1, -1, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT', unit: 'HU' } };
}
/** Exact slice mean of a body (HU `b`) below `edge` and disc (HU `d`) above. */
const step = (edge: number, b: number, d: number) => (z0: number, z1: number) => {
  const f = Math.min(1, Math.max(0, (edge - z0) / (z1 - z0)));
  return d + f * (b - d);
};

test('HU endplate: a partial-volume step edge is found inside its 3 mm slice (≤ 0.3 mm; the mask edge is off by up to 1.5 mm)', () => {
  const p: Vec3 = [0, 0, 6];
  for (const edge of [14.0, 15.0, 16.0, 16.5, 17.0, 17.4, 18.0]) {
    const ref = huEndplateRefiner(column(step(edge, 400, 60)), 3);
    // A mask of whole slices (slice centre inside the body) ends on the upper face of the last such slice.
    const maskEdge = 3 * Math.floor(edge / 3) + 1.5;
    const t = ref(p, [0, 0, 1], maskEdge - p[2]).edgeMm + p[2];
    assert.ok(Math.abs(t - edge) <= 0.3, `edge ${edge}: HU ${t.toFixed(2)}, mask ${maskEdge}`);
  }
});

test('HU endplate: no contrast keeps the mask edge; the move is at most one voxel', () => {
  const p: Vec3 = [0, 0, 6];
  const flat = huEndplateRefiner(column(() => 80), 3);
  assert.equal(flat(p, [0, 0, 1], 10.5).edgeMm, 10.5);
  // A mask edge (z = 13.5) 4.5 mm short of the HU edge (z = 18): moved by one voxel (3 mm) only.
  const far = huEndplateRefiner(column(step(18, 400, 60)), 3);
  assert.equal(far(p, [0, 0, 1], 13.5 - p[2]).edgeMm, 16.5 - p[2]);
});

test("endplates: 'hu' needs the CT volume", () => {
  const { spine, volume } = stack({}, [1, 1, 1]);
  assert.throws(() => measureMorphometry(spine, { endplates: 'hu' }), /needs the CT volume/);
  // On a grid-aligned body with a sharp HU step the HU edge is the mask edge.
  const a = measureMorphometry(spine, {}, volume)[2]!.heights;
  const b = measureMorphometry(spine, { endplates: 'hu' }, volume)[2]!.heights;
  assert.ok(a.status === 'measured' && b.status === 'measured');
  for (const c of ['anterior', 'middle', 'posterior'] as const) assert.ok(Math.abs(a.value[c].heightMm - b.value[c].heightMm) < 0.05, c);
  assert.match(b.method, /half-way HU crossing/);
});

/** A 3 × 3 × 40 column of 1 mm slices (slice k centred at z = k) with HU `hu(z)` at the slice centre. */
function fineColumn(hu: (z: number) => number): Volume<Int16Array> {
  const data = new Int16Array(9 * 40);
  for (let k = 0; k < 40; k++) data.fill(Math.round(hu(k)), 9 * k, 9 * (k + 1));
  return { size: [3, 3, 40], spacing: [1, 1, 1], origin: [-1, -1, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT', unit: 'HU' } };
}

test('HU endplate: a mask edge grown 4 mm into a disc that reads like marrow (105 HU) goes back to the endplate; low-density marrow is not cut', () => {
  const p: Vec3 = [0, 0, 2];
  // marrow 200 HU up to z = 8, endplate cortex 500 HU at z = 9–10, disc 105 HU from z = 11 to 18, next endplate above
  const disc = fineColumn((z) => (z <= 8 ? 200 : z <= 10 ? 500 : z <= 18 ? 105 : 500));
  const t = huEndplateRefiner(disc, 1)(p, [0, 0, 1], 14.5 - p[2]).edgeMm + p[2];
  assert.ok(Math.abs(t - 10.5) <= 0.3, `edge ${t.toFixed(2)} (endplate face 10.5)`);
  // low-density marrow (130 HU) with one dense trabecular spot 4 mm inside a correct edge, disc 80 HU beyond it
  const marrow = fineColumn((z) => (z === 10 ? 300 : z <= 14 ? 130 : 80));
  assert.equal(huEndplateRefiner(marrow, 1)(p, [0, 0, 1], 14.5 - p[2]).edgeMm, 14.5 - p[2]);
});

test('HU endplate: a mask that stopped 3.5 mm short inside low-density marrow is followed out to its endplate, never into another vertebra', () => {
  const p: Vec3 = [0, 0, 2];
  const mine = () => false;
  // marrow 100 HU to z = 12, endplate cortex 700 HU at z = 13, disc 80 HU beyond; the mask ends at 9.5
  const short = fineColumn((z) => (z <= 12 ? 100 : z === 13 ? 700 : 80));
  const t = huEndplateRefiner(short, 1, mine)(p, [0, 0, 1], 9.5 - p[2]).edgeMm + p[2];
  assert.ok(Math.abs(t - 13.5) <= 0.3, `edge ${t.toFixed(2)} (endplate face 13.5)`);
  // without labels to check against there is no outward search
  assert.equal(huEndplateRefiner(short, 1)(p, [0, 0, 1], 9.5 - p[2]).edgeMm, 9.5 - p[2]);
  // the same plate, but it belongs to the next vertebra: the edge stays
  const other = (q: Vec3) => q[2] >= 12.5;
  assert.equal(huEndplateRefiner(short, 1, other)(p, [0, 0, 1], 9.5 - p[2]).edgeMm, 9.5 - p[2]);
  // a correct edge over a faint endplate (150 HU), a 5 mm disc, then the next endplate: out of reach
  const faint = fineColumn((z) => (z <= 9 ? 100 : z === 10 ? 150 : z <= 15 ? 80 : 700));
  assert.equal(huEndplateRefiner(faint, 1, mine)(p, [0, 0, 1], 10.5 - p[2]).edgeMm, 10.5 - p[2]);
  // bone that goes on (the start of a body, not a plate) is not an endplate
  const thick = fineColumn((z) => (z <= 11 ? 100 : 700));
  assert.equal(huEndplateRefiner(thick, 1, mine)(p, [0, 0, 1], 9.5 - p[2]).edgeMm, 9.5 - p[2]);
});

test('HU endplate: the plate centre follows a partial-volume plate linearly; the half-way edge moves in steps', () => {
  const p: Vec3 = [0, 0, 2];
  /** marrow 100 HU, a 1 mm endplate of 700 HU from `face − 1` to `face`, disc 80 HU; each 1 mm slice the exact mean over it. */
  const plate = (face: number) =>
    fineColumn((z) => {
      const overlap = Math.max(0, Math.min(z + 0.5, face) - Math.max(z - 0.5, face - 1));
      const marrow = Math.max(0, Math.min(z + 0.5, face - 1) - (z - 0.5));
      return 700 * overlap + 100 * marrow + 80 * (1 - overlap - marrow);
    });
  const centres: number[] = [];
  const edges: number[] = [];
  for (const face of [14.5, 14.75, 15.0, 15.25, 15.5]) {
    const hit = huEndplateRefiner(plate(face), 1)(p, [0, 0, 1], Math.round(face) - 0.5 - p[2]);
    assert.ok(hit.plateCentreMm !== undefined, `face ${face}: no plate centre`);
    centres.push(hit.plateCentreMm + p[2] - (face - 0.5));
    edges.push(hit.edgeMm + p[2] - face);
  }
  // the centre is the plate's middle at every phase; the half-way edge's error changes with the phase
  for (const c of centres) assert.ok(Math.abs(c) <= 0.05, `centre error ${centres.map((x) => x.toFixed(2))}`);
  assert.ok(Math.max(...edges) - Math.min(...edges) >= 0.2, `edge errors ${edges.map((x) => x.toFixed(2))}`);
  // no plate (a plain step from bone to disc): no centre
  const stepOnly = fineColumn((z) => (z <= 12 ? 400 : 80));
  assert.equal(huEndplateRefiner(stepOnly, 1)(p, [0, 0, 1], 12.5 - p[2]).plateCentreMm, undefined);
});

/** A 3 × 3 × n column of `s` mm slices (slice k centred at z = k·s), each the exact mean over its slab of marrow (below `face − tau`), a plate of `tau` mm and disc (above `face`). */
function plateColumn(s: number, face: number, tau: number, hu: { marrow: number; plate: number; disc: number }): Volume<Int16Array> {
  const n = Math.ceil(40 / s);
  const data = new Int16Array(9 * n);
  const overlap = (a: number, b: number, z0: number, z1: number) => Math.max(0, Math.min(b, z1) - Math.max(a, z0));
  for (let k = 0; k < n; k++) {
    const z0 = k * s - s / 2;
    const z1 = z0 + s;
    const v = hu.marrow * overlap(-Infinity, face - tau, z0, z1) + hu.plate * overlap(face - tau, face, z0, z1) + hu.disc * overlap(face, Infinity, z0, z1);
    data.fill(Math.round(v / s), 9 * k, 9 * (k + 1));
  }
  return { size: [3, 3, n], spacing: [1, 1, s], origin: [-1, -1, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT', unit: 'HU' } };
}

test('thin plate: a 0.4 mm endplate on 1.5 mm slices has its half-way crossing outside its face; the plate correction brings the edges back to it', () => {
  const p: Vec3 = [0, 0, 3];
  const hu = { marrow: 150, plate: 1200, disc: 80 };
  // One line per phase of the plate within its slice, as along a tilted endplate.
  const faces = [15.0, 15.25, 15.5, 15.75, 16.0, 16.25];
  const hits = faces.map((face) => {
    const maskEdge = 1.5 * Math.round(face / 1.5 - 0.5) + 0.75; // upper face of the last slice whose centre is in the body
    return huEndplateRefiner(plateColumn(1.5, face, 0.4, hu), 1.5)(p, [0, 0, 1], maskEdge - p[2]);
  });
  const c = thinPlateCorrection(hits, hu.plate, 0.75);
  assert.ok(c, 'no plate found');
  assert.ok(Math.abs(c.halfThicknessMm - 0.2) <= 0.05, `half thickness ${c.halfThicknessMm.toFixed(2)} mm`);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const raw = hits.map((h, i) => h.edgeMm + p[2] - faces[i]!);
  assert.ok(mean(raw) >= 0.3, `half-way crossings ${raw.map((x) => x.toFixed(2))} mm beyond the face`);
  assert.ok(Math.abs(mean(raw) - c.edgeShiftMm) <= 0.1, `shifted crossings ${mean(raw).toFixed(2)} − ${c.edgeShiftMm.toFixed(2)} mm from the face on average`);
  // Plate centres: a plate thinner than the slice gives no position within its slice (the
  // centre snaps to it), but over all phases centre + τ/2 is the face on average.
  const viaCentre = hits.map((h, i) => h.plateCentreMm! + c.halfThicknessMm + p[2] - faces[i]!);
  assert.ok(Math.abs(mean(viaCentre)) <= 0.1, `centre + τ/2 − face: ${viaCentre.map((x) => x.toFixed(2))}`);
});

test('thin plate: a plate thicker than the slice is resolved and its edges are not moved; a bone density of the marrow gives no correction', () => {
  const p: Vec3 = [0, 0, 3];
  const hu = { marrow: 150, plate: 900, disc: 80 };
  const hit = huEndplateRefiner(plateColumn(1, 15.5, 3, hu), 1)(p, [0, 0, 1], 15.5 - p[2]);
  const c = thinPlateCorrection([hit], hu.plate, 0.5);
  assert.ok(c && c.edgeShiftMm <= 0.05, `shift ${c?.edgeShiftMm.toFixed(2)}`);
  assert.equal(thinPlateCorrection([hit], hu.marrow + 50, 0.5), undefined);
});

test('compact bone HU: the 98th percentile of each vertebra, arch included, at most 2000 HU (metal); NaN is skipped', () => {
  const { spine, volume } = stack({}, [1, 1, 1]);
  const bone = compactBoneHU(volume, spine);
  for (const v of spine.vertebrae) {
    const values: number[] = [];
    spine.instanceMask.data.forEach((n, i) => n === v.instance && values.push(volume.data[i]!));
    values.sort((a, b) => a - b);
    assert.equal(bone.get(v.instance), values[Math.floor(0.98 * (values.length - 1))]);
  }
  // a screw through a vertebra (3000 HU) does not stand for its bone
  const screwed = { ...volume, data: Int16Array.from(volume.data, (x, i) => (spine.instanceMask.data[i] === 2 && i % 10 < 3 ? 3000 : x)) };
  assert.equal(compactBoneHU(screwed, spine).get(2), 2000);
  // NaN voxels (a float NIfTI) are skipped, and a density that is not a number corrects nothing
  const withNaN = { ...volume, data: Float32Array.from(volume.data, (x, i) => (i % 7 === 0 ? NaN : x)) };
  for (const x of compactBoneHU(withNaN, spine).values()) assert.ok(Number.isFinite(x));
  const hit = huEndplateRefiner(plateColumn(1.5, 15.5, 0.4, { marrow: 150, plate: 1200, disc: 80 }), 1.5)([0, 0, 3], [0, 0, 1], 15.75 - 3);
  assert.ok(hit.plateCentreMm !== undefined);
  assert.equal(thinPlateCorrection([hit], NaN, 0.75), undefined);
});
