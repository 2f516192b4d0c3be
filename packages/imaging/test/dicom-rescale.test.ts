/** applyRescale against the formula v·slope + intercept, over the output-type decisions it makes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRescale, storedView, type Rescale, type StoredFormat } from '../src/dicom/rescale.js';

function run(fmt: StoredFormat, values: number[], perSlice: Rescale[]) {
  const bytes = fmt.bitsAllocated / 8;
  const raw = storedView(new ArrayBuffer(values.length * bytes), fmt);
  values.forEach((v, i) => (raw[i] = v));
  const sliceVoxels = values.length / perSlice.length;
  const expected = values.map((v, i) => v * perSlice[Math.floor(i / sliceVoxels)]!.slope + perSlice[Math.floor(i / sliceVoxels)]!.intercept);
  const out = applyRescale(raw, fmt, perSlice, sliceVoxels);
  return { out, expected };
}

const u16: StoredFormat = { bitsAllocated: 16, bitsStored: 16, signed: false };

test('identity rescale keeps the stored array and type', () => {
  const { out, expected } = run(u16, [0, 1, 65535, 7], [{ slope: 1, intercept: 0 }]);
  assert.ok(out instanceof Uint16Array);
  assert.deepEqual([...out], expected);
});

test('unsigned 16-bit with a negative intercept becomes Int16 in place, including values above 32767', () => {
  const { out, expected } = run(u16, [0, 1024, 40000, 65535, 40000, 32768], [{ slope: 1, intercept: -32768 }, { slope: 1, intercept: -40000 }]);
  assert.ok(out instanceof Int16Array);
  assert.deepEqual([...out], expected);
});

test('12-bit CT with intercept −1024 decides Int16 from the bit depth', () => {
  const { out, expected } = run({ bitsAllocated: 16, bitsStored: 12, signed: false }, [0, 1024, 4095, 2000], [{ slope: 1, intercept: -1024 }]);
  assert.ok(out instanceof Int16Array);
  assert.deepEqual([...out], expected);
});

test('integral slope ≠ 1 that fits → Int16; one that does not fit → Float32', () => {
  const a = run({ bitsAllocated: 16, bitsStored: 16, signed: true }, [-100, 0, 100, 5], [{ slope: 2, intercept: -3 }]);
  assert.ok(a.out instanceof Int16Array);
  assert.deepEqual([...a.out], a.expected);
  const b = run(u16, [0, 60000, 5, 7], [{ slope: 3, intercept: 0 }]);
  assert.ok(b.out instanceof Float32Array);
  assert.deepEqual([...b.out], b.expected);
});

test('fractional slope (e.g. PET/MR) → Float32 per slice', () => {
  const { out, expected } = run({ bitsAllocated: 16, bitsStored: 16, signed: true }, [-5, 10, 300, 7], [{ slope: 0.5, intercept: 1.25 }, { slope: 2.5, intercept: 0 }]);
  assert.ok(out instanceof Float32Array);
  assert.deepEqual([...out], expected);
});

test('8-bit stored with intercept becomes Int16 (new buffer)', () => {
  const { out, expected } = run({ bitsAllocated: 8, bitsStored: 8, signed: false }, [0, 246, 17, 255], [{ slope: 1, intercept: -1024 }]);
  assert.ok(out instanceof Int16Array);
  assert.deepEqual([...out], expected);
});
