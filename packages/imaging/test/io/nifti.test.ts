import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Geometry, Volume, VoxelArray } from '@rachis/imaging';
import { isRachisError, readLabelMap, readNifti, writeNifti } from '@rachis/imaging';
import { geometry, rng, rotation } from '../ops/random.js';

const dir = mkdtempSync(join(tmpdir(), 'rachis-nifti-'));

export function assertGeometryClose(a: Geometry, b: Geometry, tol = 1e-4): void {
  assert.deepEqual([...a.size], [...b.size]);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(a.spacing[i]! - b.spacing[i]!) < tol, `spacing ${a.spacing} vs ${b.spacing}`);
    assert.ok(Math.abs(a.origin[i]! - b.origin[i]!) < tol * 10, `origin ${a.origin} vs ${b.origin}`);
  }
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(a.direction[i]! - b.direction[i]!) < tol, `direction ${a.direction} vs ${b.direction}`);
}

function volumeOf(data: VoxelArray, g: Geometry): Volume {
  return { ...g, data, meta: {} };
}

const ctors = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array] as const;

test('NIfTI write→read round trip is exact for every data type, .nii and .nii.gz, oblique and flipped', async () => {
  const r = rng(1);
  const flipped = [...rotation(0.3, -0.2, 1.1)];
  for (const c of [2, 5, 8]) flipped[c] = -flipped[c]!; // det −1 → qfac −1
  const geoms = [
    geometry([5, 4, 3], [0.7, 1.1, 2.3], rotation(0.3, -0.2, 1.1), [-12.5, 30.25, 7]),
    geometry([4, 3, 2], [0.5, 0.5, 3], flipped as unknown as Geometry['direction'], [100, -50, 2.5]),
  ];
  for (const g of geoms) {
    for (const C of ctors) {
      const data = new C(g.size[0] * g.size[1] * g.size[2]);
      for (let i = 0; i < data.length; i++) data[i] = C === Float32Array || C === Float64Array ? (r() - 0.5) * 1e4 : Math.floor(r() * 120) - (C.name.startsWith('Int') ? 60 : 0);
      for (const ext of ['.nii', '.nii.gz']) {
        const p = join(dir, `rt-${C.name}${ext}`);
        await writeNifti(p, volumeOf(data, g));
        const back = await readNifti(p);
        assert.equal(back.data.constructor, C, `${C.name}${ext}`);
        assert.deepEqual(Array.from(back.data), Array.from(data));
        assertGeometryClose(back, g, 1e-5);
        assert.equal(back.meta.warnings, undefined);
      }
    }
  }
});

/** Header field layout of NIfTI-1 (offset, bytes) for building a big-endian file. */
const FIELDS: [number, number][] = [
  [0, 4], ...Array.from({ length: 8 }, (_, i): [number, number] => [40 + 2 * i, 2]), [56, 4], [60, 4], [64, 4], [68, 2], [70, 2], [72, 2], [74, 2],
  ...Array.from({ length: 8 }, (_, i): [number, number] => [76 + 4 * i, 4]), [108, 4], [112, 4], [116, 4], [120, 2],
  [124, 4], [128, 4], [132, 4], [136, 4], [140, 4], [144, 4], [252, 2], [254, 2],
  ...Array.from({ length: 18 }, (_, i): [number, number] => [256 + 4 * i, 4]),
];

function swapped(buf: Buffer, voxelBytes: number): Buffer {
  const out = Buffer.from(buf);
  for (const [o, w] of FIELDS) out.subarray(o, o + w).reverse();
  for (let p = 352; p < out.length; p += voxelBytes) out.subarray(p, p + voxelBytes).reverse();
  return out;
}

test('NIfTI: big-endian, qform-only, scl_slope/inter and 4-D files read correctly', async () => {
  const g = geometry([4, 3, 2], [0.8, 0.9, 2.5], rotation(0.1, 0.2, -0.4));
  const data = Int16Array.from({ length: 24 }, (_, i) => i * 37 - 400);
  const p = join(dir, 'base.nii');
  await writeNifti(p, volumeOf(data, g));
  const base = readFileSync(p);

  writeFileSync(join(dir, 'be.nii'), swapped(base, 2));
  const be = await readNifti(join(dir, 'be.nii'));
  assert.deepEqual(Array.from(be.data), Array.from(data));
  assertGeometryClose(be, g, 1e-5);

  const qonly = Buffer.from(base);
  qonly.writeInt16LE(0, 254); // sform_code = 0 → geometry must come from the quaternion
  qonly.fill(0, 280, 328);
  writeFileSync(join(dir, 'q.nii'), qonly);
  assertGeometryClose(await readNifti(join(dir, 'q.nii')), g, 1e-5);

  const disagree = Buffer.from(base);
  disagree.writeFloatLE(disagree.readFloatLE(268) + 5, 268); // qoffset_x moved 5 mm; the sform wins
  writeFileSync(join(dir, 'qs.nii'), disagree);
  const qs = await readNifti(join(dir, 'qs.nii'));
  assertGeometryClose(qs, g, 1e-5);
  assert.match(qs.meta.warnings?.join() ?? '', /sform and qform/);

  const scaled = Buffer.from(base);
  scaled.writeFloatLE(2, 112);
  scaled.writeFloatLE(-1024, 116);
  writeFileSync(join(dir, 's.nii'), scaled);
  const s = await readNifti(join(dir, 's.nii'));
  assert.ok(s.data instanceof Int16Array);
  assert.deepEqual(Array.from(s.data), Array.from(data, (v) => 2 * v - 1024));
  assert.equal(s.meta.rescaled, true);
  scaled.writeFloatLE(0.5, 112);
  writeFileSync(join(dir, 's2.nii'), scaled);
  const s2 = await readNifti(join(dir, 's2.nii'));
  assert.ok(s2.data instanceof Float32Array);
  assert.deepEqual(Array.from(s2.data), Array.from(data, (v) => 0.5 * v - 1024));

  const four = Buffer.concat([base, base.subarray(352)]);
  four.writeInt16LE(4, 40);
  four.writeInt16LE(2, 48);
  writeFileSync(join(dir, '4d.nii.gz'), gzipSync(four));
  const f = await readNifti(join(dir, '4d.nii.gz'));
  assert.deepEqual(Array.from(f.data), Array.from(data));
  assert.match(f.meta.warnings?.join() ?? '', /only the first/);
});

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isRachisError(e), `expected RachisError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test('NIfTI: hostile and broken files give typed errors without big allocations', async () => {
  const g = geometry([8, 8, 8]);
  const p = join(dir, 'ok.nii');
  await writeNifti(p, volumeOf(new Float32Array(512), g));
  const ok = readFileSync(p);
  const put = (name: string, b: Buffer): string => {
    writeFileSync(join(dir, name), b);
    return join(dir, name);
  };
  await rejectsWith(readNifti(put('trunc.nii', ok.subarray(0, 1000))), 'TRUNCATED');
  await rejectsWith(readNifti(put('trunc.nii.gz', gzipSync(ok).subarray(0, 40))), 'TRUNCATED');
  await rejectsWith(readNifti(put('short.nii', ok.subarray(0, 200))), 'TRUNCATED');
  const huge = Buffer.from(ok);
  for (let i = 1; i <= 3; i++) huge.writeInt16LE(32000, 40 + 2 * i);
  await rejectsWith(readNifti(put('huge.nii.gz', gzipSync(huge))), 'ABSURD_DIMENSIONS');
  // Large but allowed dimensions with almost no data: found truncated without allocating the claim.
  const big = Buffer.from(ok);
  big.writeInt16LE(1000, 42);
  big.writeInt16LE(1000, 44);
  big.writeInt16LE(400, 46);
  big.writeInt16LE(64, 70);
  big.writeInt16LE(64, 72);
  const before = process.memoryUsage().arrayBuffers;
  await rejectsWith(readNifti(put('big.nii.gz', gzipSync(big))), 'TRUNCATED');
  assert.ok(process.memoryUsage().arrayBuffers - before < 256 * 2 ** 20, 'must not allocate the 3.2 GB the header claims');
  const neg = Buffer.from(ok);
  neg.writeInt16LE(-5, 42);
  await rejectsWith(readNifti(put('neg.nii', neg)), 'MALFORMED');
  const magic = Buffer.from(ok);
  magic.write('xyz', 344);
  await rejectsWith(readNifti(put('magic.nii', magic)), 'MALFORMED');
  await rejectsWith(readNifti(put('garbage.nii', Buffer.alloc(600, 7))), 'MALFORMED');
  await rejectsWith(readNifti(put('corrupt.nii.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(100, 0xff)]))), 'MALFORMED');
  const cplx = Buffer.from(ok);
  cplx.writeInt16LE(32, 70);
  await rejectsWith(readNifti(put('complex.nii', cplx)), 'UNSUPPORTED_FORMAT');
  await rejectsWith(readNifti(join(dir, 'missing.nii')), 'NOT_FOUND');
  // Non-integer values are not labels.
  await rejectsWith(readLabelMap(put('frac.nii', Buffer.concat([ok.subarray(0, 352), Buffer.from(new Float32Array(512).fill(0.5).buffer)]))), 'MALFORMED');
});

test('readLabelMap narrows integer labels to Uint8/Uint16 and names them', async () => {
  const g = geometry([3, 2, 2]);
  const data = Int32Array.from([0, 1, 1, 0, 7, 7, 0, 0, 1, 0, 0, 7]);
  const p = join(dir, 'labels.nii.gz');
  await writeNifti(p, volumeOf(data, g));
  const lm = await readLabelMap(p, new Map([[7, 'L1']]));
  assert.ok(lm.data instanceof Uint8Array);
  assert.deepEqual(Array.from(lm.data), Array.from(data));
  assert.deepEqual([...lm.labels], [[1, 'label 1'], [7, 'L1']]);
  data[0] = 300;
  await writeNifti(p, volumeOf(data, g));
  assert.ok((await readLabelMap(p)).data instanceof Uint16Array);
});
