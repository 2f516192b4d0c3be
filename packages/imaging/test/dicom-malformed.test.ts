/**
 * Hostile-input corpus, generated in os.tmpdir() from one valid synthetic file by truncating,
 * corrupting and rewriting bytes. Every case must end in a specific RachisError code, quickly
 * (per-test timeout), never a crash, hang or huge allocation.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import dcmjs from 'dcmjs';
import { isRachisError, type ErrorCode, type Volume } from '@rachis/imaging';
import { readDicomSeries, listDicomSeries, scanDicom, TransferSyntax } from '../src/dicom/index.js';
import { withTransferSyntaxUID, writeDicomSeries } from '../src/dicom/write.js';

let root = '';
let valid: Uint8Array = new Uint8Array();
let validJ2k: Uint8Array = new Uint8Array();

function phantom(nz: number, z0 = 0, spacing = 2): Volume {
  const data = new Int16Array(16 * 12 * nz).map((_, i) => (i % 500) - 200);
  return { size: [16, 12, nz], spacing: [0.8, 0.8, spacing], origin: [0, 0, z0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT' } };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'rachis-malformed-'));
  const w = await writeDicomSeries(phantom(1), join(root, 'src'), { seriesDescription: 'valid' });
  valid = new Uint8Array(readFileSync(w.files[0]!));
  const j = await writeDicomSeries(phantom(1), join(root, 'src-j2k'), { transferSyntax: TransferSyntax.J2kLossless });
  validJ2k = new Uint8Array(readFileSync(j.files[0]!));
});
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function put(bytes: Uint8Array | string): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  const f = join(dir, 'x.dcm');
  writeFileSync(f, bytes);
  return f;
}

/** Offset of an explicit-LE element header (tag + VR) in `bytes`. */
function findElement(bytes: Uint8Array, group: number, element: number, vr: string): number {
  const pat = [group & 0xff, group >> 8, element & 0xff, element >> 8, vr.charCodeAt(0), vr.charCodeAt(1)];
  for (let i = 132; i < bytes.length - 6; i++) if (pat.every((b, k) => bytes[i + k] === b)) return i;
  throw new Error(`element ${group.toString(16)},${element.toString(16)} not found`);
}

/** Re-encodes the valid file with dcmjs after changing naturalized attributes. */
function rewrite(mutate: (ds: Record<string, unknown>) => void): Uint8Array {
  const dict = dcmjs.data.DicomMessage.readFile(valid.buffer.slice(valid.byteOffset, valid.byteOffset + valid.byteLength) as ArrayBuffer);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
  ds._meta = { TransferSyntaxUID: { Value: [TransferSyntax.ExplicitLE] }, MediaStorageSOPClassUID: { Value: ['1.2.840.10008.5.1.4.1.1.2'] }, MediaStorageSOPInstanceUID: { Value: [String(ds.SOPInstanceUID)] } };
  ds._vrMap = { PixelData: 'OW' };
  mutate(ds);
  return new Uint8Array(dcmjs.data.datasetToBuffer(ds));
}

async function expectCode(input: string | string[], code: ErrorCode, mentions?: string): Promise<void> {
  await assert.rejects(readDicomSeries(input), (e: unknown) => {
    assert.ok(isRachisError(e), `expected RachisError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (mentions) assert.ok(e.message.includes(mentions), e.message);
    return true;
  });
}

const opts = { timeout: 10_000 };

test('the untouched synthetic file reads (control)', opts, async () => {
  const v = await readDicomSeries(put(valid));
  assert.deepEqual(v.size, [16, 12, 1]);
});

test('text file → NOT_DICOM', opts, () => expectCode(put('patient,age\nfoo,42\n'), 'NOT_DICOM'));
test('empty file → NOT_DICOM', opts, () => expectCode(put(new Uint8Array()), 'NOT_DICOM'));
test('random bytes → NOT_DICOM', opts, () => expectCode(put(Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)), 'NOT_DICOM'));
test('wrong magic (DICM → DICX) with a preamble → NOT_DICOM', opts, () => {
  const b = valid.slice();
  b[131] = 0x58;
  return expectCode(put(b), 'NOT_DICOM');
});
test('missing path → NOT_FOUND', opts, () => expectCode(join(root, 'nope'), 'NOT_FOUND'));

test('truncated inside PixelData → TRUNCATED', opts, () => expectCode(put(valid.subarray(0, valid.length - 101)), 'TRUNCATED'));
test('truncated inside the header → TRUNCATED', opts, () => expectCode(put(valid.subarray(0, findElement(valid, 0x0028, 0x0010, 'US') + 3)), 'TRUNCATED'));
test('truncated J2K codestream → TRUNCATED', opts, () => expectCode(put(validJ2k.subarray(0, validJ2k.length - 40)), 'TRUNCATED'));

test('bad VR length (PatientName length 0xFFF0) → MALFORMED', opts, () => {
  const b = valid.slice();
  const at = findElement(b, 0x0010, 0x0010, 'PN');
  b[at + 6] = 0xf0;
  b[at + 7] = 0xff;
  return expectCode(put(b), 'MALFORMED');
});
test('bad VR length (odd, shifts the parse into garbage) → MALFORMED', opts, () => {
  const b = valid.slice();
  const at = findElement(b, 0x0008, 0x0060, 'CS');
  b[at + 6] = 3;
  return expectCode(put(b), 'MALFORMED');
});
test('corrupt VR code → MALFORMED', opts, () => {
  const b = valid.slice();
  const at = findElement(b, 0x0020, 0x0013, 'IS');
  b[at + 4] = 0x3f;
  b[at + 5] = 0x21;
  return expectCode(put(b), 'MALFORMED');
});

test('meta without TransferSyntaxUID, dataset unrecognisable → MALFORMED', opts, () => {
  const b = valid.slice();
  const at = findElement(b, 0x0002, 0x0010, 'UI');
  b[at + 2] = 0x11; // the element becomes (0002,0011): no transfer syntax left
  const ds = findElement(b, 0x0008, 0x0005, 'CS');
  b.fill(0xee, ds, ds + 16);
  return expectCode(put(b), 'MALFORMED');
});
test('no preamble and no file meta (raw explicit LE dataset) still reads', opts, async () => {
  const start = findElement(valid, 0x0008, 0x0005, 'CS');
  const v = await readDicomSeries(put(valid.subarray(start)));
  assert.deepEqual(v.size, [16, 12, 1]);
  assert.equal(v.data[5], 5 - 200);
});

test('no PixelData → NO_PIXEL_DATA', opts, () => expectCode(put(valid.subarray(0, findElement(valid, 0x7fe0, 0x0010, 'OW'))), 'NO_PIXEL_DATA'));
test('Rows 65535 with a small PixelData → ABSURD_DIMENSIONS (no allocation from the header)', opts, () => {
  const b = valid.slice();
  const at = findElement(b, 0x0028, 0x0010, 'US');
  b[at + 8] = 0xff;
  b[at + 9] = 0xff;
  return expectCode(put(b), 'ABSURD_DIMENSIONS');
});
test('NumberOfFrames 999999999 → ABSURD_DIMENSIONS', opts, () => expectCode(put(rewrite((ds) => (ds.NumberOfFrames = '999999999'))), 'ABSURD_DIMENSIONS'));
test('NumberOfFrames "-3" → ABSURD_DIMENSIONS', opts, () => expectCode(put(rewrite((ds) => (ds.NumberOfFrames = '-3'))), 'ABSURD_DIMENSIONS'));
test('BitsAllocated 12 → ABSURD_DIMENSIONS', opts, () => expectCode(put(rewrite((ds) => (ds.BitsAllocated = 12))), 'ABSURD_DIMENSIONS'));
test('Rows 0 → MALFORMED', opts, () => expectCode(put(rewrite((ds) => (ds.Rows = 0))), 'MALFORMED'));
test('unknown transfer syntax → UNSUPPORTED_TRANSFER_SYNTAX naming the UID', opts, async () => {
  const uid = '1.2.840.10008.1.2.4.100'; // MPEG-2
  await expectCode(put(withTransferSyntaxUID(valid, uid)), 'UNSUPPORTED_TRANSFER_SYNTAX', uid);
});
test('corrupt J2K codestream → MALFORMED', opts, () => {
  const b = validJ2k.slice();
  const at = findElement(b, 0x7fe0, 0x0010, 'OB');
  b.fill(0x5a, at + 40, b.length - 20);
  return expectCode(put(b), 'MALFORMED');
});
test('corrupt deflate stream → MALFORMED', opts, async () => {
  const w = await writeDicomSeries(phantom(1), join(root, 'deflate'), { transferSyntax: TransferSyntax.DeflatedExplicitLE });
  const b = new Uint8Array(readFileSync(w.files[0]!));
  b.fill(0xff, b.length - 200, b.length - 100);
  await expectCode(put(b), 'MALFORMED');
});
test('a deflate stream that ends cleanly inside the pixel data → MALFORMED, not a truncated file', opts, async () => {
  // What a damaged stream does when zlib happens to end it without an error (the overwrite above
  // does, for some generated UIDs): the file is whole, its inflated dataset is short.
  const w = await writeDicomSeries(phantom(1), join(root, 'deflate-short'), { transferSyntax: TransferSyntax.DeflatedExplicitLE });
  const b = new Uint8Array(readFileSync(w.files[0]!));
  const metaEnd = 132 + 12 + new DataView(b.buffer, b.byteOffset + 140, 4).getUint32(0, true);
  const dataset = inflateRawSync(b.subarray(metaEnd));
  const short = deflateRawSync(dataset.subarray(0, dataset.length - 100));
  await expectCode(put(Uint8Array.from([...b.subarray(0, metaEnd), ...short])), 'MALFORMED');
});

test('mixed series: two series in one folder → MULTIPLE_SERIES listing both; choosing one works', opts, async () => {
  const dir = join(root, 'two-series');
  await writeDicomSeries(phantom(3), dir, { seriesDescription: 'Bone 1.0', filePrefix: 'a' });
  await writeDicomSeries(phantom(4), dir, { seriesDescription: 'Soft 3.0', filePrefix: 'b' });
  await expectCode(dir, 'MULTIPLE_SERIES', 'Soft 3.0');
  assert.equal((await listDicomSeries(dir)).length, 2);
  assert.equal((await readDicomSeries(dir, { series: 'soft' })).size[2], 4);
  await assert.rejects(readDicomSeries(dir, { series: 'nothing-like-this' }), (e: unknown) => isRachisError(e, 'NO_SERIES'));
});
test('mixed sizes under one SeriesInstanceUID → INCONSISTENT_SERIES', opts, async () => {
  const dir = join(root, 'mixed-size');
  const a = await writeDicomSeries(phantom(3), dir, { filePrefix: 'a' });
  const big = { ...phantom(2, 10), size: [12, 16, 2] as const };
  await writeDicomSeries(big, dir, { filePrefix: 'b', seriesInstanceUID: a.seriesInstanceUID });
  await expectCode(dir, 'INCONSISTENT_SERIES', 'mixed image sizes');
});
test('duplicate slice positions from different instances → INCONSISTENT_SERIES', opts, async () => {
  const dir = join(root, 'dupes');
  const a = await writeDicomSeries(phantom(3), dir, { filePrefix: 'a' });
  await writeDicomSeries(phantom(1, 2), dir, { filePrefix: 'b', seriesInstanceUID: a.seriesInstanceUID });
  await expectCode(dir, 'INCONSISTENT_SERIES', 'duplicate slice position');
});
test('missing slice → INCONSISTENT_SERIES, or a warning when irregular spacing is allowed', opts, async () => {
  const dir = join(root, 'gap');
  const w = await writeDicomSeries(phantom(6), dir);
  rmSync(w.files[3]!);
  await expectCode(dir, 'INCONSISTENT_SERIES', 'missing slice');
  const v = await readDicomSeries(dir, { allowIrregularSpacing: true });
  assert.ok(v.meta.warnings?.some((m) => m.includes('missing slice')));
});
test('a non-DICOM file beside a series is skipped with a note', opts, async () => {
  const dir = join(root, 'with-junk');
  await writeDicomSeries(phantom(3), dir);
  writeFileSync(join(dir, 'README.txt'), 'not an image');
  const v = await readDicomSeries(dir);
  assert.equal(v.size[2], 3);
  assert.ok(v.meta.warnings?.some((m) => m.includes('skipped')));
  const scan = await scanDicom(dir);
  assert.equal(scan.skipped.length, 1);
  assert.equal(scan.skipped[0]?.code, 'NOT_DICOM');
});
test('a truncated file blocks only its own series; the listing reports it as skipped', opts, async () => {
  const dir = join(root, 'truncated-other');
  await writeDicomSeries(phantom(3), dir, { seriesDescription: 'Good', filePrefix: 'a' });
  const bad = await writeDicomSeries(phantom(2, 10), dir, { seriesDescription: 'Broken', filePrefix: 'b' });
  const bytes = readFileSync(bad.files[0]!);
  writeFileSync(bad.files[0]!, bytes.subarray(0, bytes.length - 50));
  assert.equal((await readDicomSeries(dir, { series: 'good' })).size[2], 3);
  await assert.rejects(readDicomSeries(dir, { series: 'broken' }), { code: 'TRUNCATED' });
  const scan = await scanDicom(dir);
  assert.equal(scan.series.length, 2);
  assert.deepEqual(scan.skipped.map((s) => s.code), ['TRUNCATED']);
});
test('mixed orientations under one SeriesInstanceUID → INCONSISTENT_SERIES', opts, async () => {
  const dir = join(root, 'mixed-orientation');
  const a = await writeDicomSeries(phantom(3), dir, { filePrefix: 'a' });
  const sag: Volume = { ...phantom(3, 50), direction: [0, 0, -1, 1, 0, 0, 0, -1, 0] };
  await writeDicomSeries(sag, dir, { filePrefix: 'b', seriesInstanceUID: a.seriesInstanceUID });
  await expectCode(dir, 'INCONSISTENT_SERIES', 'ImageOrientationPatient');
});
test('J2K codestream larger than Rows/Columns say → MALFORMED, not a sheared image', opts, () => {
  const b = validJ2k.slice();
  const at = findElement(b, 0x0028, 0x0010, 'US');
  b[at + 8] = 6; // Rows 12 → 6
  return expectCode(put(b), 'MALFORMED', 'codestream is 16×12');
});
test('unreadable file inside a folder → typed NOT_FOUND, not a raw fs error', opts, async (t) => {
  if (process.getuid?.() === 0) return t.skip('root can read mode-000 files');
  const dir = join(root, 'unreadable');
  const w = await writeDicomSeries(phantom(2), dir);
  chmodSync(w.files[0]!, 0);
  await expectCode(dir, 'NOT_FOUND', 'EACCES');
});
test('a named pipe in the folder is ignored (no hang waiting for a writer)', opts, async () => {
  const dir = join(root, 'fifo');
  await writeDicomSeries(phantom(2), dir);
  execFileSync('mkfifo', [join(dir, 'pipe.dcm')]);
  assert.equal((await readDicomSeries(dir)).size[2], 2);
});
