import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { isRachisError, readDicomSeries, readImage2D, readNifti, readVolume, writeVolume } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { geometry, rotation } from '../ops/random.js';

const dir = mkdtempSync(join(tmpdir(), 'rachis-2d-'));
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

function png(width: number, height: number, rgba: number[]): Buffer {
  const img = new pngjs.PNG({ width, height });
  img.data = Buffer.from(rgba);
  return pngjs.PNG.sync.write(img);
}

test('readImage2D: grayscale PNG exact, RGB → luminance, 16-bit kept, JPEG close, 1 mm with a warning', async () => {
  const gray = await readImage2D(put('g.png', png(3, 2, [0, 0, 0, 255, 10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255, 40, 40, 40, 255, 250, 250, 250, 255])));
  assert.deepEqual([...gray.size], [3, 2, 1]);
  assert.deepEqual(Array.from(gray.data), [0, 10, 20, 30, 40, 250]);
  assert.deepEqual([...gray.spacing], [1, 1, 1]);
  assert.match(gray.meta.warnings?.join() ?? '', /without patient geometry/);

  const rgb = await readImage2D(put('c.png', png(2, 1, [255, 0, 0, 255, 0, 0, 255, 255])));
  assert.deepEqual(Array.from(rgb.data), [Math.round(0.299 * 255), Math.round(0.114 * 255)]);
  assert.match(rgb.meta.warnings?.join() ?? '', /luminance/);

  const p16 = new pngjs.PNG({ width: 2, height: 1, bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  p16.data = Buffer.from(new Uint16Array([1000, 65535]).buffer);
  const sixteen = await readImage2D(put('16.png', pngjs.PNG.sync.write(p16, { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false })));
  assert.ok(sixteen.data instanceof Uint16Array);
  assert.deepEqual(Array.from(sixteen.data), [1000, 65535]);

  const w = 16;
  const h = 8;
  const raw = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) raw.fill(p % w < 8 ? 40 : 200, 4 * p, 4 * p + 3).writeUInt8(255, 4 * p + 3);
  const jpg = await readImage2D(put('x.jpg', jpeg.encode({ width: w, height: h, data: raw }, 95).data));
  assert.deepEqual([...jpg.size], [16, 8, 1]);
  assert.ok(Math.abs(jpg.data[0]! - 40) <= 3 && Math.abs(jpg.data[15]! - 200) <= 3, `${jpg.data[0]} ${jpg.data[15]}`);

  const preview = sharedData('totalseg-example-ct', 'example_seg_fast', 'preview_total.png');
  if (preview) assert.ok((await readImage2D(preview)).data.length > 1000);
});

test('readImage2D: hostile and broken images give typed errors', async () => {
  const ok = png(4, 4, new Array<number>(64).fill(128));
  const huge = Buffer.from(ok);
  huge.writeUInt32BE(200000, 16);
  huge.writeUInt32BE(200000, 20);
  await rejectsWith(readImage2D(put('huge.png', huge)), 'ABSURD_DIMENSIONS');
  const cut = await readImage2D(put('cut.png', ok.subarray(0, 40))).catch((e: unknown) => e);
  assert.ok(isRachisError(cut) && ['TRUNCATED', 'MALFORMED'].includes(cut.code), String(cut));
  await rejectsWith(readImage2D(put('text.png', 'hello')), 'UNSUPPORTED_FORMAT');
  const badJpeg = await readImage2D(put('bad.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]))).catch((e: unknown) => e);
  assert.ok(isRachisError(badJpeg) && ['TRUNCATED', 'MALFORMED'].includes(badJpeg.code), String(badJpeg));
});

test('readVolume / writeVolume dispatch on path kind and extension', async () => {
  const vol = { ...geometry([3, 2, 2], [0.5, 0.6, 0.7], rotation(0.1, 0.2, 0.3)), data: Int16Array.from({ length: 12 }, (_, i) => i), meta: {} };
  for (const name of ['v.nii', 'v.nii.gz', 'v.nrrd', 'v.nhdr']) {
    await writeVolume(join(dir, name), vol);
    assert.deepEqual(Array.from((await readVolume(join(dir, name))).data), Array.from(vol.data), name);
  }
  assert.equal((await readNifti(join(dir, 'v.nii'))).size[2], 2);
  assert.deepEqual([...(await readVolume(join(dir, 'g.png'))).size], [3, 2, 1]);
  await rejectsWith(readVolume(join(dir, 'nothing-here.nii')), 'NOT_FOUND');
  await rejectsWith(readVolume(put('notes.txt', 'plain text, not an image')), 'UNSUPPORTED_FORMAT');
  await rejectsWith(writeVolume(join(dir, 'out.mha'), vol), 'UNSUPPORTED_FORMAT');
  // Folders and DICM files go to the DICOM reader: same outcome as calling it directly.
  const empty = join(dir, 'empty-folder');
  mkdirSync(empty);
  const viaDispatch = await readVolume(empty).then(() => 'ok', (e: unknown) => (e as Error).message);
  const direct = await readDicomSeries(empty).then(() => 'ok', (e: unknown) => (e as Error).message);
  assert.equal(viaDispatch, direct);
  const fake = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(16)]);
  const f = put('noext', fake);
  assert.equal(
    await readVolume(f).then(() => 'ok', (e: unknown) => (e as Error).message),
    await readDicomSeries([f]).then(() => 'ok', (e: unknown) => (e as Error).message),
  );
  assert.ok(readFileSync(join(dir, 'v.nhdr')).length > 0);
});
