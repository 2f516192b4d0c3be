import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connectivity, Vec3 } from '@rachis/imaging';
import { close, connectedComponents, dilate, distanceInside, distanceToMask, erode, fillHoles, fillHolesInSlices, open, threshold } from '@rachis/imaging';
import { bfsLabels, bruteDilate, bruteDistance, bruteErode, coords } from './reference.js';
import { geometry, idx, randomFloat, randomMask, rng } from './random.js';

const G = geometry([9, 8, 7], [0.7, 1.1, 2.3]);
const DENSITIES = [0, 0.02, 0.15, 0.4, 0.7, 1];

test('threshold keeps lo ≤ v ≤ hi', () => {
  const img = randomFloat(G, 3);
  const m = threshold(img, -200, 300);
  for (let p = 0; p < m.data.length; p++) assert.equal(m.data[p], img.data[p]! >= -200 && img.data[p]! <= 300 ? 1 : 0);
  assert.deepEqual([...m.size], [...G.size]);
});

test('connectedComponents (6/18/26) partitions exactly like BFS flood fill, ids by decreasing size', () => {
  let seed = 10;
  for (const conn of [6, 18, 26] as Connectivity[]) {
    for (const d of DENSITIES) {
      const m = randomMask(G, d, seed++);
      const { labels, count, sizes } = connectedComponents(m, conn);
      const ref = bfsLabels(G, m.data, conn === 6 ? 1 : conn === 18 ? 2 : 3);
      const refCount = Math.max(0, ...ref);
      assert.equal(count, refCount, `count conn=${conn} d=${d}`);
      const fwd = new Map<number, number>();
      const back = new Map<number, number>();
      const counted = new Array<number>(count).fill(0);
      for (let p = 0; p < ref.length; p++) {
        const a = labels.data[p]!;
        const b = ref[p]!;
        assert.equal(a === 0, b === 0);
        if (a === 0) continue;
        counted[a - 1]!++;
        if (fwd.has(a)) assert.equal(fwd.get(a), b);
        else fwd.set(a, b);
        if (back.has(b)) assert.equal(back.get(b), a);
        else back.set(b, a);
      }
      assert.deepEqual(sizes, counted);
      for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i - 1]! >= sizes[i]!);
    }
  }
});

test('connectedComponents: diagonal neighbours separate 6 from 18 from 26', () => {
  const g = geometry([3, 3, 3]);
  const m = { ...g, data: new Uint8Array(27) };
  m.data[idx(g, 0, 0, 0)] = 1;
  m.data[idx(g, 1, 1, 0)] = 1; // edge neighbour of the first
  m.data[idx(g, 2, 2, 1)] = 1; // corner neighbour of the second
  assert.equal(connectedComponents(m, 6).count, 3);
  assert.equal(connectedComponents(m, 18).count, 2);
  assert.equal(connectedComponents(m, 26).count, 1);
});

test('distanceToMask / distanceInside equal the brute-force minimum distance (anisotropic)', () => {
  let seed = 100;
  for (const d of DENSITIES) {
    const m = randomMask(G, d, seed++);
    const out = distanceToMask(m).data;
    const ref = bruteDistance(G, (p) => m.data[p] !== 0, G.spacing);
    const ins = distanceInside(m).data;
    const refIn = bruteDistance(G, (p) => m.data[p] === 0, G.spacing);
    for (let p = 0; p < out.length; p++) {
      if (ref[p] === Infinity) assert.equal(out[p], Infinity);
      else assert.ok(Math.abs(out[p]! - ref[p]!) < 1e-4, `p=${p} ${out[p]} vs ${ref[p]}`);
      const expectIn = m.data[p] ? refIn[p]! : 0;
      if (expectIn === Infinity) assert.equal(ins[p], Infinity);
      else assert.ok(Math.abs(ins[p]! - expectIn) < 1e-4, `inside p=${p} ${ins[p]} vs ${expectIn}`);
    }
  }
});

test('dilate/erode/open/close equal brute-force ellipsoid morphology in mm', () => {
  const r = rng(7);
  const radii: (number | Vec3)[] = [0, 0.6, 1.1, 1.4, 2.3, 3.5, [1.5, 0, 2.4], [0.7, 2.2, 4.6], [3, 1, 0]];
  let seed = 200;
  for (const radius of radii) {
    const m = randomMask(G, 0.05 + 0.5 * r(), seed++);
    const rv = typeof radius === 'number' ? [radius, radius, radius] : radius;
    const dl = dilate(m, radius).data;
    const er = erode(m, radius).data;
    assert.deepEqual(Array.from(dl), Array.from(bruteDilate(G, m.data, rv)), `dilate r=${rv}`);
    assert.deepEqual(Array.from(er), Array.from(bruteErode(G, m.data, rv)), `erode r=${rv}`);
    assert.deepEqual(Array.from(open(m, radius).data), Array.from(bruteDilate(G, bruteErode(G, m.data, rv), rv)), `open r=${rv}`);
    assert.deepEqual(Array.from(close(m, radius).data), Array.from(bruteErode(G, bruteDilate(G, m.data, rv), rv)), `close r=${rv}`);
  }
});

test('fillHoles fills exactly the background components that do not touch the border', () => {
  let seed = 300;
  for (const d of [0.3, 0.5, 0.6, 0.75]) {
    const m = randomMask(G, d, seed++);
    const bg = bfsLabels(G, m.data, 1, (v) => v === 0);
    const touches = new Set<number>();
    for (let p = 0; p < bg.length; p++) {
      const [i, j, k] = coords(G, p);
      if (bg[p] && (i === 0 || j === 0 || k === 0 || i === G.size[0] - 1 || j === G.size[1] - 1 || k === G.size[2] - 1)) touches.add(bg[p]!);
    }
    const filled = fillHoles(m).data;
    for (let p = 0; p < bg.length; p++) assert.equal(filled[p], m.data[p] || !touches.has(bg[p]!) ? 1 : 0);
  }
  // A hollow box becomes solid.
  const g = geometry([6, 6, 6]);
  const box = { ...g, data: new Uint8Array(216) };
  for (let k = 1; k < 5; k++) for (let j = 1; j < 5; j++) for (let i = 1; i < 5; i++) box.data[idx(g, i, j, k)] = i === 1 || i === 4 || j === 1 || j === 4 || k === 1 || k === 4 ? 1 : 0;
  const solid = fillHoles(box);
  assert.equal(solid.data.reduce((a, b) => a + b, 0), 64);
});

test('fillHolesInSlices equals 3-D fillHoles of each slice sandwiched between foreground planes', () => {
  let seed = 400;
  for (const across of [0, 1, 2] as const) {
    for (const d of [0.3, 0.5, 0.6, 0.75]) {
      const m = randomMask(G, d, seed++);
      const got = fillHolesInSlices(m, across).data;
      const [u, v] = [0, 1, 2].filter((a) => a !== across) as [number, number];
      for (let t = 0; t < G.size[across]; t++) {
        // Reference: the slice as the middle plane of a 3-plane volume whose outer planes are 1.
        const nu = G.size[u]!;
        const nv = G.size[v]!;
        const g3 = geometry([nu, nv, 3]);
        const vol = { ...g3, data: new Uint8Array(nu * nv * 3).fill(1) };
        const at = (a: number, b: number): number => {
          const q = [0, 0, 0];
          q[across] = t; q[u] = a; q[v] = b;
          return idx(G, q[0]!, q[1]!, q[2]!);
        };
        for (let b = 0; b < nv; b++) for (let a = 0; a < nu; a++) vol.data[a + nu * b + nu * nv] = m.data[at(a, b)]!;
        const ref = fillHoles(vol).data;
        for (let b = 0; b < nv; b++) for (let a = 0; a < nu; a++) assert.equal(got[at(a, b)], ref[a + nu * b + nu * nv], `across ${across} slice ${t} (${a}, ${b})`);
      }
    }
  }
});

test('morphology and distanceInside of a small structure in a larger volume (bounding-box path) equal brute force', () => {
  const g = geometry([14, 12, 10], [0.7, 1.1, 2.3]);
  const r = rng(42);
  for (const [ci, cj, ck] of [[3, 3, 3], [0, 5, 9], [12, 11, 0]] as const) {
    const m = { ...g, data: new Uint8Array(14 * 12 * 10) };
    for (let k = ck - 1; k <= ck + 1; k++) for (let j = cj - 1; j <= cj + 1; j++) for (let i = ci - 1; i <= ci + 1; i++) {
      if (i >= 0 && j >= 0 && k >= 0 && i < 14 && j < 12 && k < 10 && r() < 0.8) m.data[idx(g, i, j, k)] = 1;
    }
    const inside = distanceInside(m).data;
    const ref = bruteDistance(g, (p) => m.data[p] === 0, g.spacing);
    for (let p = 0; p < inside.length; p++) {
      const want = m.data[p] ? ref[p]! : 0;
      assert.ok(Math.abs(inside[p]! - want) < 1e-4, `distanceInside p=${p}: ${inside[p]} vs ${want}`);
    }
    for (const radius of [1.2, 2.4]) {
      const rv = [radius, radius, radius];
      assert.deepEqual(Array.from(dilate(m, radius).data), Array.from(bruteDilate(g, m.data, rv)), `dilate at ${ci},${cj},${ck} r=${radius}`);
      assert.deepEqual(Array.from(erode(m, radius).data), Array.from(bruteErode(g, m.data, rv)), `erode at ${ci},${cj},${ck} r=${radius}`);
    }
  }
  const empty = { ...g, data: new Uint8Array(14 * 12 * 10) };
  assert.equal(dilate(empty, 2).data.reduce((a, b) => a + b, 0), 0);
  assert.ok(distanceInside(empty).data.every((v) => v === 0));
});
