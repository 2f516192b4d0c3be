import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Geometry, VoxelArray } from '@rachis/imaging';
import { isRachisError, readLabelMap, readNrrd, writeNrrd } from '@rachis/imaging';
import { geometry, rng, rotation } from '../ops/random.js';

const dir = mkdtempSync(join(tmpdir(), 'rachis-nrrd-'));
const put = (name: string, b: Buffer | string): string => {
  writeFileSync(join(dir, name), b);
  return join(dir, name);
};

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isRachisError(e), `expected RachisError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

function close(a: Geometry, b: Geometry, tol = 1e-9): void {
  assert.deepEqual([...a.size], [...b.size]);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(a.spacing[i]! - b.spacing[i]!) < tol, `spacing ${a.spacing} vs ${b.spacing}`);
    assert.ok(Math.abs(a.origin[i]! - b.origin[i]!) < tol, `origin ${a.origin} vs ${b.origin}`);
  }
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(a.direction[i]! - b.direction[i]!) < tol, `direction ${a.direction} vs ${b.direction}`);
}

const ctors = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array] as const;

test('NRRD write→read round trip is exact (all types; gzip, raw, detached .nhdr; oblique)', async () => {
  const r = rng(2);
  const g = geometry([5, 4, 3], [0.7, 1.1, 2.3], rotation(0.3, -0.2, 1.1), [-12.5, 30.25, 7.123456789]);
  for (const C of ctors) {
    const data: VoxelArray = new C(60);
    for (let i = 0; i < 60; i++) data[i] = C === Float32Array || C === Float64Array ? (r() - 0.5) * 1e4 : Math.floor(r() * 120);
    for (const [name, encoding] of [['a.nrrd', 'gzip'], ['b.nrrd', 'raw'], ['c.nhdr', 'gzip'], ['d.nhdr', 'raw']] as const) {
      const p = join(dir, `${C.name}-${name}`);
      await writeNrrd(p, { ...g, data, meta: {} }, { encoding });
      const back = await readNrrd(p);
      assert.equal(back.data.constructor, C);
      assert.deepEqual(Array.from(back.data), Array.from(data));
      close(back, g);
      assert.equal(back.meta.warnings, undefined);
    }
  }
});

const header = (fields: string[]): string => ['NRRD0004', '# test', ...fields].join('\n') + '\n\n';

test('NRRD variants: RAS and LAS spaces, big-endian, ascii, line skip, 2-D, vector axis', async () => {
  const vals = Int16Array.from({ length: 24 }, (_, i) => i * 11 - 100);
  const be = Buffer.alloc(48);
  vals.forEach((v, i) => be.writeInt16BE(v, 2 * i));
  const ras = await readNrrd(put('ras.nrrd', Buffer.concat([Buffer.from(header([
    'type: short', 'dimension: 3', 'space: right-anterior-superior', 'sizes: 4 3 2',
    'space directions: (0.5,0,0) (0,0.75,0) (0,0,2)', 'endian: big', 'encoding: raw', 'space origin: (10,20,30)',
  ])), be])));
  assert.deepEqual(Array.from(ras.data), Array.from(vals));
  close(ras, { size: [4, 3, 2], spacing: [0.5, 0.75, 2], origin: [-10, -20, 30], direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] });

  const las = await readNrrd(put('las.nrrd', header([
    'type: float', 'dimension: 3', 'space: LAS', 'sizes: 2 2 1', 'space directions: (1,0,0) (0,1,0) (0,0,1)',
    'encoding: ascii', 'space origin: (1,2,3)', 'line skip: 1',
  ]) + 'this line is skipped\n1.5 2.5\n-3 4e2\n'));
  assert.deepEqual(Array.from(las.data), [1.5, 2.5, -3, 400]);
  close(las, { size: [2, 2, 1], spacing: [1, 1, 1], origin: [1, -2, 3], direction: [1, 0, 0, 0, -1, 0, 0, 0, 1] });

  const flat = await readNrrd(put('2d.nrrd', Buffer.concat([Buffer.from(header(['type: uint8', 'dimension: 2', 'sizes: 3 2', 'spacings: 0.2 0.3', 'encoding: gzip'])), gzipSync(Buffer.from([1, 2, 3, 4, 5, 6]))])));
  assert.deepEqual([...flat.size], [3, 2, 1]);
  assert.deepEqual([...flat.spacing], [0.2, 0.3, 1]);
  assert.match(flat.meta.warnings?.join() ?? '', /no space directions/);

  const rgb = await readNrrd(put('rgb.nrrd', Buffer.concat([Buffer.from(header([
    'type: uint8', 'dimension: 4', 'space: LPS', 'sizes: 3 2 1 1', 'space directions: none (1,0,0) (0,1,0) (0,0,1)', 'kinds: RGB-color domain domain domain', 'encoding: raw',
  ])), Buffer.from([10, 11, 12, 20, 21, 22])])));
  assert.deepEqual(Array.from(rgb.data), [10, 20]);
  assert.deepEqual([...rgb.size], [2, 1, 1]);
});

test('NRRD: hostile and broken files give typed errors', async () => {
  const p = join(dir, 'ok.nrrd');
  await writeNrrd(p, { ...geometry([8, 8, 8]), data: new Float32Array(512).fill(1), meta: {} }, { encoding: 'raw' });
  const ok = readFileSync(p);
  await rejectsWith(readNrrd(put('trunc.nrrd', ok.subarray(0, ok.length - 100))), 'TRUNCATED');
  const gz = join(dir, 'gz.nrrd');
  await writeNrrd(gz, { ...geometry([8, 8, 8]), data: new Float32Array(512).fill(1), meta: {} });
  const gzb = readFileSync(gz);
  await rejectsWith(readNrrd(put('truncgz.nrrd', gzb.subarray(0, gzb.length - 20))), 'TRUNCATED');
  const text = ok.toString('latin1');
  await rejectsWith(readNrrd(put('huge.nrrd', text.replace('sizes: 8 8 8', 'sizes: 100000 100000 100000'))), 'ABSURD_DIMENSIONS');
  await rejectsWith(readNrrd(put('nosizes.nrrd', text.replace(/sizes: .*\n/, ''))), 'MALFORMED');
  await rejectsWith(readNrrd(put('bz.nrrd', text.replace('encoding: raw', 'encoding: bzip2'))), 'UNSUPPORTED_FORMAT');
  await rejectsWith(readNrrd(put('type.nrrd', text.replace('type: float', 'type: block'))), 'UNSUPPORTED_FORMAT');
  await rejectsWith(readNrrd(put('magic.nrrd', 'PNG not nrrd')), 'MALFORMED');
  await rejectsWith(readNrrd(put('nodata.nhdr', header(['type: uint8', 'dimension: 3', 'sizes: 2 2 2', 'encoding: raw', 'data file: missing.raw']))), 'NOT_FOUND');
  await rejectsWith(readNrrd(put('vec.nrrd', text.replace(/space directions: .*\n/, 'space directions: (1,0,0) (0,1) (0,0,1)\n'))), 'UNSUPPORTED_FORMAT');
});

test('readLabelMap reads an int-typed NRRD label image', async () => {
  const p = join(dir, 'lab.nrrd');
  await writeNrrd(p, { ...geometry([3, 2, 1]), data: Int32Array.from([0, 2, 2, 0, 5, 0]), meta: {} });
  const lm = await readLabelMap(p);
  assert.ok(lm.data instanceof Uint8Array);
  assert.deepEqual([...lm.labels.keys()], [2, 5]);
});
