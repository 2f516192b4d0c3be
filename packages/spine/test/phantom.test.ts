import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpinePhantom, TISSUE, PART, VERTEBRA_LABEL_VALUE } from '@rachis/spine';

test('phantom is deterministic from its seed and differs across seeds', () => {
  const a = makeSpinePhantom({ seed: 3, spacingMm: [3, 3, 3] });
  const b = makeSpinePhantom({ seed: 3, spacingMm: [3, 3, 3] });
  const c = makeSpinePhantom({ seed: 4, spacingMm: [3, 3, 3] });
  assert.deepEqual(a.volume.size, b.volume.size);
  assert.ok(a.volume.data.every((v, i) => v === b.volume.data[i]));
  assert.ok(a.volume.data.some((v, i) => v !== c.volume.data[i]));
});

test('default phantom shows T11..S1 with realistic HU per tissue', () => {
  const p = makeSpinePhantom({ seed: 1, spacingMm: [2, 2, 2], noiseSdHU: 0 });
  const visible = p.truth.vertebrae.filter((v) => v.visible).map((v) => v.name);
  assert.deepEqual(visible.slice(1), ['T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'S1']);
  const mean = (cls: number): number => {
    let s = 0;
    let n = 0;
    p.tissue.data.forEach((t, i) => {
      if (t === cls) {
        s += p.volume.data[i]!;
        n++;
      }
    });
    return s / n;
  };
  assert.equal(mean(TISSUE.muscle), 45);
  assert.equal(mean(TISSUE.subcutaneousFat), -100);
  assert.equal(mean(TISSUE.cortical), 850);
  assert.equal(mean(TISSUE.disc), 80);
  // every vertebra label sits on bone or disc-free voxels of its own part map
  const l3 = VERTEBRA_LABEL_VALUE.L3;
  let body = 0;
  let post = 0;
  p.labels.data.forEach((v, i) => {
    if (v !== l3) return;
    if (p.parts.data[i] === PART.body) body++;
    else if (p.parts.data[i] === PART.posterior) post++;
    else assert.fail('vertebra voxel outside body/posterior parts');
  });
  assert.ok(body > post * 0.8 && post > 0, `body ${body} posterior ${post}`);
});

test('truth: deformity heights, Genant grade, Cobb, L3 body composition', () => {
  const p = makeSpinePhantom({
    spacingMm: [3, 3, 3],
    fov: { from: 'T4', to: 'S1' },
    scoliosis: { amplitudeMm: 20, from: 'T6', to: 'L2' },
    deformities: [{ level: 'L1', shape: 'wedge', heightLossPct: 30 }, { level: 'T12', shape: 'biconcave', heightLossPct: 22 }],
  });
  const v = (n: string) => p.truth.vertebrae.find((x) => x.name === n)!;
  assert.equal(v('L1').genantGrade, 2);
  assert.equal(v('L1').shape, 'wedge');
  assert.ok(Math.abs(v('L1').anteriorHeightMm / v('L1').posteriorHeightMm - 0.7) < 1e-9);
  assert.equal(v('T12').genantGrade, 1);
  assert.equal(v('L3').genantGrade, 0);
  // C-curve: Cobb = 2·atan(A·π/L) for X = A·sin²(πu)
  assert.ok(p.truth.cobbDeg > 15 && p.truth.cobbDeg < 40, `cobb ${p.truth.cobbDeg}`);
  assert.ok(p.truth.kyphosisDeg !== undefined && Math.abs(p.truth.kyphosisDeg - 40) < 6, `kyphosis ${p.truth.kyphosisDeg}`);
  const bc = p.truth.l3BodyComposition!;
  for (const a of [bc.muscleCm2, bc.visceralFatCm2, bc.subcutaneousFatCm2]) assert.ok(a > 50 && a < 300, JSON.stringify(bc));
});

test('transitional variants: T13, L6 and 11 rib pairs', () => {
  const t13 = makeSpinePhantom({ spacingMm: [3, 3, 3], thoracicCount: 13 });
  assert.ok(t13.truth.vertebrae.some((v) => v.name === 'T13' && v.hasRibs && v.visible));
  const l6 = makeSpinePhantom({ spacingMm: [3, 3, 3], lumbarCount: 6 });
  assert.ok(l6.truth.vertebrae.some((v) => v.name === 'L6' && v.visible));
  const r11 = makeSpinePhantom({ spacingMm: [3, 3, 3], ribPairs: 11 });
  assert.equal(r11.truth.vertebrae.find((v) => v.name === 'T12')!.hasRibs, false);
  assert.throws(() => makeSpinePhantom({ fov: { from: 'L6', to: 'S1' } }), /does not have/);
});

test('every vertebral body is closed by sampled cortex at both endplates, also on 2 mm slices and in a wedge', () => {
  // Point sampling a 1 mm shell on 2 mm slices used to leave whole endplates without cortex.
  const p = makeSpinePhantom({ seed: 7, spacingMm: [1, 1, 2], noiseSdHU: 0, fov: { from: 'T11', to: 'L3', marginMm: 10 }, deformities: [{ level: 'L1', shape: 'wedge', heightLossPct: 30 }] });
  const [nx, ny, nz] = p.volume.size;
  for (const name of ['T12', 'L1', 'L2'] as const) {
    const value = VERTEBRA_LABEL_VALUE[name];
    const inBody = (q: number): boolean => p.labels.data[q] === value && p.parts.data[q] === PART.body;
    let columns = 0;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        // every column through the body: its top and bottom body voxels are cortex
        let top = -1;
        let bottom = -1;
        for (let k = 0; k < nz; k++) {
          const q = i + j * nx + k * nx * ny;
          if (!inBody(q)) continue;
          if (bottom < 0) bottom = q;
          top = q;
        }
        if (top < 0) continue;
        // Where the body ends against a disc or soft tissue (not its own pedicle), it ends in cortex.
        const up = top + nx * ny;
        const down = bottom - nx * ny;
        if (up < p.labels.data.length && !p.labels.data[up]) {
          columns++;
          assert.equal(p.tissue.data[top], TISSUE.cortical, `${name} column ${i},${j}: top voxel not cortex`);
        }
        if (down >= 0 && !p.labels.data[down]) assert.equal(p.tissue.data[bottom], TISSUE.cortical, `${name} column ${i},${j}: bottom voxel not cortex`);
      }
    }
    assert.ok(columns > 300, `${name}: ${columns} columns`);
  }
});

test('no organ touches a vertebral body: the crura and retroperitoneal fat lie between (liver, bowel)', () => {
  // The liver used to wrap around T10–L1 and touch the body directly; enhanced (portal) liver and
  // low-density marrow then read alike and no segmentation could tell them apart.
  const p = makeSpinePhantom({ seed: 3, spacingMm: [2, 2, 2], fov: { from: 'T9', to: 'S1' }, contrast: 'portal' });
  const [nx, ny, nz] = p.volume.size;
  let touching = 0;
  let bodyVoxels = 0;
  for (let k = 1; k < nz - 1; k++) for (let j = 1; j < ny - 1; j++) for (let i = 1; i < nx - 1; i++) {
    const q = i + j * nx + k * nx * ny;
    if (!p.labels.data[q] || p.parts.data[q] !== PART.body) continue;
    bodyVoxels++;
    for (const d of [1, -1, nx, -nx, nx * ny, -nx * ny]) if (p.tissue.data[q + d] === TISSUE.organ) touching++;
  }
  assert.ok(bodyVoxels > 10000, `${bodyVoxels} body voxels`);
  assert.equal(touching, 0);
});
