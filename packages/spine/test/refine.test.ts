import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDENTITY_DIRECTION } from '@rachis/imaging';
import type { Vec3, Volume } from '@rachis/imaging';
import { fillBodyHoles, peelDiscCaps, peelRim, RIM_HU } from '../src/segment/refine.js';
import { splitAtDiscPlane } from '../src/segment/hybrid.js';
import type { Body } from '../src/segment/bodies.js';

function volume(size: Vec3, spacing: number, value: (i: number, j: number, k: number) => number): Volume<Float32Array> {
  const data = new Float32Array(size[0] * size[1] * size[2]);
  for (let k = 0; k < size[2]; k++) for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[0]; i++) data[i + j * size[0] + k * size[0] * size[1]] = value(i, j, k);
  return { size, spacing: [spacing, spacing, spacing], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data, meta: { modality: 'CT' } };
}

test('peelRim removes the soft-tissue rim around bone but keeps dark marrow inside', () => {
  // A 10-voxel cube of bone (400 HU) with dark marrow (40 HU) at its centre, and a mask that
  // overshoots it by one voxel into 50 HU tissue.
  const inCube = (i: number, j: number, k: number): boolean => i >= 5 && i < 15 && j >= 5 && j < 15 && k >= 5 && k < 15;
  const v = volume([20, 20, 20], 1, (i, j, k) => (inCube(i, j, k) ? (Math.abs(i - 9.5) < 3 && Math.abs(j - 9.5) < 3 && Math.abs(k - 9.5) < 3 ? 40 : 400) : 50));
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 4; k < 16; k++) for (let j = 4; j < 16; j++) for (let i = 4; i < 16; i++) {
    instance[i + j * 20 + k * 400] = 1;
    part[i + j * 20 + k * 400] = 1;
  }
  peelRim(v, instance, part, 1);
  for (let p = 0; p < v.data.length; p++) {
    const i = p % 20;
    const j = Math.floor(p / 20) % 20;
    const k = Math.floor(p / 400);
    assert.equal(instance[p], inCube(i, j, k) ? 1 : 0, `voxel ${i},${j},${k} (HU ${v.data[p]}, rim threshold ${RIM_HU})`);
  }
});

test('fillBodyHoles closes a broken cortical ring and takes in its marrow, not the end slices', () => {
  // 30 slices of a ring (outer radius 12, inner 9 voxels, 1 mm) with a 3-voxel break, closed by
  // endplates at slices 3 and 26; marrow 60 HU.
  const r = (i: number, j: number): number => Math.hypot(i - 20, j - 20);
  const endplate = (k: number): boolean => k === 3 || k === 26;
  const v = volume([40, 40, 30], 1, (i, j, k) => (r(i, j) <= 12 ? (r(i, j) >= 9 || endplate(k) ? 300 : 60) : -80));
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 0; k < 30; k++) for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) {
    const p = i + j * 40 + k * 1600;
    const broken = j > 20 && Math.abs(i - 20) <= 1;
    if (r(i, j) <= 12 && (r(i, j) >= 9 || endplate(k)) && !broken) {
      instance[p] = 2;
      part[p] = 1;
    }
  }
  fillBodyHoles(v, instance, part);
  const centre = (k: number): number => instance[20 + 20 * 40 + k * 1600]!;
  assert.equal(centre(15), 2, 'marrow at mid-body joins the body');
  assert.equal(centre(0), 0, 'the first slice (an endplate cut obliquely in real data) is left alone');
  assert.equal(instance[0], 0, 'the corner outside stays background');
});

test('fillBodyHoles takes marrow between the endplates, not the disc in a concave endplate', () => {
  // A body 30 slices tall: cortical walls (ring, radius 9–12), a flat inferior endplate (slices
  // 0–1) and a bowl-shaped superior one: its floor at slices 20–21, its rim (the walls) up to
  // slice 29. Marrow (60 HU) below the floor; disc (80 HU) in the bowl above it.
  const r = (i: number, j: number): number => Math.hypot(i - 20, j - 20);
  const v = volume([40, 40, 30], 1, (i, j, k) => (r(i, j) > 12 ? -80 : r(i, j) >= 9 || k <= 1 || k === 20 || k === 21 ? 300 : k > 21 ? 80 : 60));
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 0; k < 30; k++) for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) {
    const p = i + j * 40 + k * 1600;
    if (v.data[p] === 300) {
      instance[p] = 1;
      part[p] = 1;
    }
  }
  fillBodyHoles(v, instance, part);
  const centre = (k: number): number => instance[20 + 20 * 40 + k * 1600]!;
  assert.equal(centre(10), 1, 'marrow between the endplates joins the body');
  for (const k of [23, 25]) assert.equal(centre(k), 0, `disc in the bowl (slice ${k}) stays out`);
});

/** A block body (1 mm voxels, i/j 10–29, slices 5–24) with 400 HU walls and endplates around `marrow`,
 * under a 4-slice disc (80 HU, slices 25–28); `masked` slices above the body are in its mask too. */
function cappedBody(marrow: number, masked: number): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array } {
  const inside = (i: number, j: number): boolean => i >= 10 && i < 30 && j >= 10 && j < 30;
  const v = volume([40, 40, 34], 1, (i, j, k) => {
    if (!inside(i, j) || k < 5) return -80;
    if (k > 24) return k <= 28 ? 80 : -80;
    return i === 10 || i === 29 || j === 10 || j === 29 || k === 5 || k === 24 ? 400 : marrow;
  });
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 5; k < 25 + masked; k++) for (let j = 10; j < 30; j++) for (let i = 10; i < 30; i++) {
    instance[i + j * 40 + k * 1600] = 3;
    part[i + j * 40 + k * 1600] = 1;
  }
  return { v, instance, part };
}

test('peelDiscCaps peels a disc layer off a body end down to its endplate', () => {
  const { v, instance, part } = cappedBody(200, 4);
  peelDiscCaps(v, instance, part);
  const at = (k: number): number => instance[20 + 20 * 40 + k * 1600]!;
  for (const k of [25, 26, 27, 28]) assert.equal(at(k), 0, `disc slice ${k} leaves the body`);
  assert.equal(at(24), 3, 'the endplate stays');
  assert.equal(at(15), 3, 'marrow stays');
  assert.equal(part[20 + 20 * 40 + 26 * 1600], 0, 'the part label goes with it');
});

test('peelDiscCaps leaves dark osteoporotic marrow behind an endplate, and a one-voxel rim', () => {
  for (const masked of [0, 1]) {
    const { v, instance, part } = cappedBody(60, masked);
    const before = instance.slice();
    peelDiscCaps(v, instance, part);
    assert.deepEqual(instance, before, `${masked} disc slice(s) in the mask: nothing peeled`);
  }
});

test('peelDiscCaps does not peel through dark marrow when the mask lost its endplate', () => {
  // The mask starts 2 slices below the superior endplate: its end is 60 HU marrow, and the only
  // bright voxels in each line are the inferior endplate at the far end.
  const { v, instance, part } = cappedBody(60, 0);
  for (let k = 23; k < 25; k++) for (let j = 10; j < 30; j++) for (let i = 10; i < 30; i++) instance[i + j * 40 + k * 1600] = part[i + j * 40 + k * 1600] = 0;
  const before = instance.slice();
  peelDiscCaps(v, instance, part);
  assert.deepEqual(instance, before);
});

/** A block body on 3 mm voxels (i/j 3–10, endplates 400 HU at slices 2 and 8 around `marrow`), its
 * mask reaching one slice (9, `end` HU) beyond the superior endplate, under disc (80 HU). */
function coarseBody(marrow: number, end: number, spacing = 3): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array; at: (k: number) => number } {
  const inside = (i: number, j: number): boolean => i >= 3 && i <= 10 && j >= 3 && j <= 10;
  const v = volume([14, 14, 12], spacing, (i, j, k) => {
    if (!inside(i, j) || k < 2) return -80;
    if (k === 9) return end;
    if (k > 9) return 80;
    return k === 2 || k === 8 || i === 3 || i === 10 || j === 3 || j === 10 ? 400 : marrow;
  });
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 2; k <= 9; k++) for (let j = 3; j <= 10; j++) for (let i = 3; i <= 10; i++) instance[i + j * 14 + k * 196] = part[i + j * 14 + k * 196] = 1;
  return { v, instance, part, at: (k) => instance[6 + 6 * 14 + k * 196]! };
}

test('peelDiscCaps on coarse slices drops an end voxel that is mostly disc (half-way rule), nothing else', () => {
  const mostlyDisc = coarseBody(200, 120); // 120 < (400 + 80) / 2
  peelDiscCaps(mostlyDisc.v, mostlyDisc.instance, mostlyDisc.part);
  assert.equal(mostlyDisc.at(9), 0, 'the partial-volume voxel leaves the body');
  assert.equal(mostlyDisc.at(8), 1, 'the endplate stays');
  assert.equal(mostlyDisc.at(2), 1, 'the other end stays');
  const mostlyBone = coarseBody(200, 300); // 300 > 240: more endplate than disc
  peelDiscCaps(mostlyBone.v, mostlyBone.instance, mostlyBone.part);
  assert.equal(mostlyBone.at(9), 1);
  const thin = coarseBody(200, 120, 1); // on thin slices morphometry places the endplate itself
  peelDiscCaps(thin.v, thin.instance, thin.part);
  assert.equal(thin.at(9), 1);
  // Osteoporotic marrow (60 HU) ending at its endplate: the end voxel is the bright endplate.
  const porotic = coarseBody(60, 120);
  for (let j = 3; j <= 10; j++) for (let i = 3; i <= 10; i++) porotic.instance[i + j * 14 + 9 * 196] = porotic.part[i + j * 14 + 9 * 196] = 0;
  const before = porotic.instance.slice();
  peelDiscCaps(porotic.v, porotic.instance, porotic.part);
  assert.deepEqual(porotic.instance, before);
});

test('splitAtDiscPlane cuts two fused bodies at a tilted dark disc between bright endplates', () => {
  // Two 20 mm bodies (150 HU marrow, 400 HU endplates) fused through a 4 mm disc (80 HU) tilted
  // 25° in the sagittal plane; 1 mm grid.
  const n = 40;
  const tilt = Math.tan((25 * Math.PI) / 180);
  const discCentre = (j: number): number => 22 + (j - 20) * tilt;
  const hu = new Float32Array(n * n * 50);
  const voxels: number[] = [];
  for (let k = 0; k < 50; k++) for (let j = 10; j < 30; j++) for (let i = 10; i < 30; i++) {
    const d = k - discCentre(j);
    if (Math.abs(d) > 24) continue;
    const p = i + j * n + k * n * n;
    hu[p] = Math.abs(d) < 2 ? 80 : Math.abs(d) < 4 || Math.abs(d) > 22 ? 400 : 150;
    voxels.push(p);
  }
  let cx = 0, cy = 0, cz = 0;
  for (const p of voxels) {
    cx += p % n;
    cy += Math.floor(p / n) % n;
    cz += Math.floor(p / (n * n));
  }
  const m = voxels.length;
  const body: Body = { voxels: Int32Array.from(voxels), centroid: [cx / m, cy / m, cz / m], k0: 0, k1: 49, truncated: false, s0: 0, s1: 49 };
  const parts = splitAtDiscPlane(body, { nx: n, ny: n, nz: 50, sp: 1, hu });
  assert.ok(parts, 'a cut was found');
  // Every voxel more than 3 mm from the disc's mid-plane is on its own side.
  let wrong = 0;
  for (const [side, list] of parts.entries()) {
    for (const p of list) {
      const k = Math.floor(p / (n * n));
      const j = Math.floor(p / n) % n;
      const d = k - discCentre(j);
      if (Math.abs(d) > 3 && (d < 0) !== (side === 1)) wrong++;
    }
  }
  assert.equal(wrong, 0, `${wrong} voxels on the wrong side of the disc`);
});

test('splitAtDiscPlane leaves a single body alone', () => {
  const n = 30;
  const hu = new Float32Array(n * n * n);
  const voxels: number[] = [];
  for (let k = 3; k < 27; k++) for (let j = 5; j < 25; j++) for (let i = 5; i < 25; i++) {
    const p = i + j * n + k * n * n;
    hu[p] = k < 5 || k > 24 ? 400 : 150;
    voxels.push(p);
  }
  const body: Body = { voxels: Int32Array.from(voxels), centroid: [14.5, 14.5, 14.5], k0: 3, k1: 26, truncated: false, s0: 3, s1: 26 };
  assert.equal(splitAtDiscPlane(body, { nx: n, ny: n, nz: n, sp: 1, hu }), undefined);
});

/** The block body (i/j 10–29, slices 5–24; 400 HU cortex, 95 HU marrow) labelled up to slice `top`, with extra 300 HU voxels where `extra` says. */
function blockBody(top: number, extra: (i: number, j: number, k: number) => boolean): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array; at: (i: number, j: number, k: number) => number } {
  const block = (i: number, j: number): boolean => i >= 10 && i < 30 && j >= 10 && j < 30;
  const v = volume([40, 40, 34], 1, (i, j, k) => {
    if (extra(i, j, k)) return 300;
    if (!block(i, j) || k < 5 || k > 24) return -80;
    return i === 10 || i === 29 || j === 10 || j === 29 || k === 5 || k === 24 ? 400 : 95;
  });
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let k = 5; k <= top; k++) for (let j = 10; j < 30; j++) for (let i = 10; i < 30; i++) {
    instance[i + j * 40 + k * 1600] = 3;
    part[i + j * 40 + k * 1600] = 1;
  }
  return { v, instance, part, at: (i, j, k) => instance[i + j * 40 + k * 1600]! };
}

/** The block body's mask without its superior endplate row (slice 24) and, in the middle, 9 slices of marrow below it. */
function hollowUnderEndplate(instance: Uint8Array, part: Uint8Array): void {
  for (let k = 16; k < 24; k++) for (let j = 14; j < 26; j++) for (let i = 14; i < 26; i++) instance[i + j * 40 + k * 1600] = part[i + j * 40 + k * 1600] = 0;
}

test('fillBodyHoles closes a low-density body with its unlabelled endplate and takes in the marrow under it', () => {
  // As the 2 mm work grid left a low-density body: the marrow under the endplate is not enclosed by the mask.
  const { v, instance, part, at } = blockBody(23, () => false);
  hollowUnderEndplate(instance, part);
  fillBodyHoles(v, instance, part);
  assert.equal(at(20, 20, 20), 3, 'the marrow under the endplate joins the body');
  assert.equal(at(20, 20, 24), 0, 'the endplate closes the shell but stays unlabelled (morphometry finds it by its HU)');
  assert.equal(at(20, 20, 25), 0, 'nothing above the endplate');
});

test('fillBodyHoles does not close a body with an unlabelled endplate that touches another vertebra', () => {
  // The same hollow body; a posterior-element voxel of vertebra 4 touches its endplate (slice 25).
  const { v, instance, part, at } = blockBody(23, (i, j, k) => i === 25 && j === 12 && k === 25);
  hollowUnderEndplate(instance, part);
  instance[25 + 12 * 40 + 25 * 1600] = 4;
  part[25 + 12 * 40 + 25 * 1600] = 2;
  fillBodyHoles(v, instance, part);
  assert.equal(at(20, 20, 20), 0, 'whose endplate it is cannot be told: the hollow stays');
});

test('fillBodyHoles does not close a body with a vessel that lies beside it, out of its reach', () => {
  // The whole block body labelled; a 300 HU vessel runs in front of it the whole scan (i 12–14,
  // j 5–6) and joins its wall by two branches (slices 8 and 20), around 40 HU soft tissue.
  const vessel = (i: number, j: number, k: number): boolean => i >= 12 && i < 15 && (j === 5 || j === 6 || ((k === 8 || k === 20) && j < 10));
  const { v, instance, part, at } = blockBody(24, vessel);
  for (let k = 9; k < 20; k++) for (let j = 7; j < 10; j++) for (let i = 12; i < 15; i++) v.data[i + j * 40 + k * 1600] = 40;
  instance[0] = 5; // another vertebra's arch far away: the labelled region takes in the vessel
  part[0] = 2;
  fillBodyHoles(v, instance, part);
  assert.equal(at(13, 8, 14), 0, 'the soft tissue between the vessel and the body stays out');
  assert.equal(at(13, 5, 14), 0, 'and the vessel');
});

/**
 * A block body (i 10–29, j 22–41, slices 5–24) whose mask also holds a strip 15 mm in front of its
 * wall (j 6–7, slices 10–20; a vessel it reached), tied to the wall by two unlabelled 300 HU
 * branches (slices 9 and 21), with soft tissue (40 HU) in the ring they close; `more`: further 300 HU voxels.
 */
function stripInFront(more: (i: number, j: number, k: number) => boolean): { v: Volume<Float32Array>; instance: Uint8Array; part: Uint8Array; at: (i: number, j: number, k: number) => number } {
  const inBody = (i: number, j: number, k: number): boolean => i >= 10 && i < 30 && j >= 22 && j < 42 && k >= 5 && k < 25;
  const strip = (i: number, j: number, k: number): boolean => i >= 12 && i < 15 && (j === 6 || j === 7) && k >= 10 && k <= 20;
  const branch = (i: number, j: number, k: number): boolean => i >= 12 && i < 15 && j >= 6 && j < 22 && (k === 9 || k === 21);
  const ring = (i: number, j: number, k: number): boolean => i >= 12 && i < 15 && j > 7 && j < 22 && k > 9 && k < 21;
  const v = volume([40, 50, 34], 1, (i, j, k) => (inBody(i, j, k) ? 400 : strip(i, j, k) || branch(i, j, k) || more(i, j, k) ? 300 : ring(i, j, k) ? 40 : -80));
  const instance = new Uint8Array(v.data.length);
  const part = new Uint8Array(v.data.length);
  for (let p = 0; p < v.data.length; p++) {
    const i = p % 40, j = Math.floor(p / 40) % 50, k = Math.floor(p / 2000);
    if (inBody(i, j, k) || strip(i, j, k)) instance[p] = part[p] = 1;
  }
  return { v, instance, part, at: (i, j, k) => instance[i + j * 40 + k * 2000]! };
}

test('fillBodyHoles takes in what only the shell encloses only within reach of the body on both sides', () => {
  const { v, instance, part, at } = stripInFront(() => false);
  fillBodyHoles(v, instance, part);
  assert.equal(at(13, 14, 15), 1, 'soft tissue within 8 mm of both the strip and the wall joins (a hollow the shell closes)');
  assert.equal(at(13, 18, 15), 0, 'soft tissue 4 mm from the wall and 11 mm from the strip stays out');
  assert.equal(at(13, 9, 15), 0, 'and 2 mm from the strip, 13 mm from the wall');
});

test('fillBodyHoles does not close a body with unlabelled bone that runs on beyond it', () => {
  // The branches join a 300 HU vessel (j 5) that runs the whole scan: the piece leaves the body's
  // box, so it is not the body's cortex and closes nothing, not even the tissue within 8 mm of both.
  const { v, instance, part, at } = stripInFront((i, j) => i >= 12 && i < 15 && j === 5);
  fillBodyHoles(v, instance, part);
  assert.equal(at(13, 14, 15), 0);
});
