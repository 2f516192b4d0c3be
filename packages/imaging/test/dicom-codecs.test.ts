/**
 * Transfer-syntax coverage. Series are encoded by *independent* tools (dcmtk, GDCM) and by our
 * writer (dcmjs-codecs), then read with readDicomSeries and compared with the source voxels:
 * exact for lossless syntaxes, bounded error for lossy ones. Plus real files from
 * ../shared/data (pydicom test files, JPEG-baseline colour photos cross-checked with dcmdjpeg).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '@rachis/imaging';
import { sharedData } from '@rachis/imaging/testing';
import { readDicomSeries, TransferSyntax } from '../src/dicom/index.js';
import { writeDicomSeries, type WriteDicomOptions } from '../src/dicom/write.js';

let root = '';
const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
const toolsMissing = (...tools: string[]): string | undefined => {
  const missing = tools.filter((t) => !has(t));
  if (missing.length === 0) return undefined;
  if (process.env.CI === 'true') throw new Error(`missing in CI: ${missing.join(', ')}`);
  return `not installed: ${missing.join(', ')}`;
};

function phantom(bits: 8 | 12): Volume {
  const [nx, ny, nz] = [40, 30, 2];
  const data = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const s = Math.sin(i / 5) * Math.cos(j / 4) + 0.3 * k;
        data[i + nx * (j + ny * k)] = bits === 8 ? Math.round(120 + 90 * Math.tanh(s)) : Math.round(800 * s + 100 * ((i * 7 + j * 3) % 5)) - 200;
      }
  return { size: [nx, ny, nz], spacing: [0.5, 0.6, 1.5], origin: [10, -20, 30], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, meta: { modality: 'CT' } };
}

const SOURCES: Record<string, { vol: Volume; opts: WriteDicomOptions }> = {};
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'rachis-codecs-'));
  SOURCES.ct12 = { vol: phantom(12), opts: { bitsStored: 12, unsigned: true, rescaleIntercept: -1024 } };
  SOURCES.gray8 = { vol: phantom(8), opts: { bitsStored: 8, unsigned: true } };
  for (const [name, s] of Object.entries(SOURCES)) await writeDicomSeries(s.vol, join(root, name), s.opts);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Applies `tool args in out` to every file of a source series. */
function encodeWith(source: string, tool: string, args: string[]): string {
  const out = join(root, `${source}-${tool}-${args.join('')}`);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(join(root, source))) {
    const r = spawnSync(tool, [...args, join(root, source, f), join(out, f)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  }
  return out;
}

function diff(a: Volume, b: Volume): { max: number; mean: number } {
  assert.deepEqual(a.size, b.size);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.data.length };
}

const INDEPENDENT: Array<{ name: string; source: string; tool: string; args: string[]; ts: string; maxErr: number; meanErr?: number }> = [
  { name: 'implicit VR LE (dcmconv +ti)', source: 'ct12', tool: 'dcmconv', args: ['+ti'], ts: TransferSyntax.ImplicitLE, maxErr: 0 },
  { name: 'explicit VR big endian (dcmconv +tb)', source: 'ct12', tool: 'dcmconv', args: ['+tb'], ts: TransferSyntax.ExplicitBE, maxErr: 0 },
  { name: 'deflated explicit LE (dcmconv +td)', source: 'ct12', tool: 'dcmconv', args: ['+td'], ts: TransferSyntax.DeflatedExplicitLE, maxErr: 0 },
  { name: 'RLE lossless (dcmcrle)', source: 'ct12', tool: 'dcmcrle', args: [], ts: TransferSyntax.Rle, maxErr: 0 },
  { name: 'JPEG lossless SV1 (dcmcjpeg +e1)', source: 'ct12', tool: 'dcmcjpeg', args: ['+e1'], ts: TransferSyntax.JpegLosslessSV1, maxErr: 0 },
  { name: 'JPEG lossless process 14, selection value 6 (dcmcjpeg +el)', source: 'ct12', tool: 'dcmcjpeg', args: ['+el'], ts: TransferSyntax.JpegLossless, maxErr: 0 },
  { name: 'JPEG-LS lossless (dcmcjpls)', source: 'ct12', tool: 'dcmcjpls', args: [], ts: TransferSyntax.JpegLsLossless, maxErr: 0 },
  { name: 'JPEG-LS near-lossless NEAR=2 (dcmcjpls +en +md 2)', source: 'ct12', tool: 'dcmcjpls', args: ['+en', '+md', '2'], ts: TransferSyntax.JpegLsNearLossless, maxErr: 2 },
  { name: 'JPEG 2000 lossless (gdcmconv --j2k)', source: 'ct12', tool: 'gdcmconv', args: ['--j2k'], ts: TransferSyntax.J2kLossless, maxErr: 0 },
  { name: 'JPEG baseline 8-bit (dcmcjpeg +eb)', source: 'gray8', tool: 'dcmcjpeg', args: ['+eb'], ts: TransferSyntax.JpegBaseline, maxErr: 12, meanErr: 1.5 },
  { name: 'JPEG extended 12-bit (dcmcjpeg +ee)', source: 'ct12', tool: 'dcmcjpeg', args: ['+ee'], ts: TransferSyntax.JpegExtended, maxErr: 60, meanErr: 6 },
];

for (const c of INDEPENDENT) {
  test(`decodes ${c.name}`, async (t) => {
    const skip = toolsMissing(c.tool);
    if (skip) return t.skip(skip);
    const dir = encodeWith(c.source, c.tool, c.args);
    const [ref, v] = await Promise.all([readDicomSeries(join(root, c.source)), readDicomSeries(dir)]);
    const d = diff(ref, v);
    assert.ok(d.max <= c.maxErr, `max error ${d.max} > ${c.maxErr}`);
    if (c.meanErr !== undefined) assert.ok(d.mean <= c.meanErr, `mean error ${d.mean}`);
    assert.deepEqual([...v.origin], [...ref.origin]);
  });
}

const OURS: Array<[string, number]> = [
  [TransferSyntax.ImplicitLE, 0],
  [TransferSyntax.ExplicitBE, 0],
  [TransferSyntax.DeflatedExplicitLE, 0],
  [TransferSyntax.Rle, 0],
  [TransferSyntax.JpegLosslessSV1, 0],
  [TransferSyntax.JpegLsLossless, 0],
  [TransferSyntax.J2kLossless, 0],
  [TransferSyntax.HtJ2kLossless, 0],
  [TransferSyntax.HtJ2kLosslessRpcl, 0],
];
for (const [ts, maxErr] of OURS) {
  test(`writer round trip is exact: ${ts}`, async () => {
    const s = SOURCES.ct12!;
    const dir = join(root, `ours-${ts}`);
    await writeDicomSeries(s.vol, dir, { ...s.opts, transferSyntax: ts });
    const v = await readDicomSeries(dir);
    assert.ok(diff(s.vol, v).max <= maxErr);
    const dump = spawnSync('dcmdump', ['-q', join(dir, readdirSync(dir)[0]!)], { encoding: 'utf8' });
    if (dump.error === undefined) assert.equal(dump.status, 0, dump.stderr);
    if (dump.error === undefined) assert.equal(dump.stderr, '', 'dcmdump warnings');
  });
}

test('real pydicom files: explicit and implicit LE MR are identical; CT_small in HU', async (t) => {
  const dir = sharedData('dicom-deid-testdata', 'pydicom-test-files');
  if (!dir) return t.skip('shared data missing');
  const [ex, im, ct] = await Promise.all(['MR_small.dcm', 'MR_small_implicit.dcm', 'CT_small.dcm'].map((f) => readDicomSeries(join(dir, f))));
  assert.deepEqual(ex!.size, [64, 64, 1]);
  assert.equal(diff(ex!, im!).max, 0);
  assert.equal(ct!.meta.unit, 'HU');
  assert.deepEqual(ct!.size, [128, 128, 1]);
  // Big-endian raw dataset without meta: parses (sniffed), then says it holds no image.
  await assert.rejects(readDicomSeries(join(dir, 'ExplVR_BigEndNoMeta.dcm')), { code: 'NO_PIXEL_DATA' });
  await assert.rejects(readDicomSeries(join(dir, 'rtstruct.dcm')), { code: 'NO_PIXEL_DATA' });
});

test('real JPEG-baseline colour photos (YBR_FULL_422) match dcmdjpeg within JPEG decoder tolerance', async (t) => {
  const src = sharedData('dicom-deid-testdata', 'deid-dicom-cookies', 'image1.dcm');
  if (!src) return t.skip('shared data missing');
  const skip = toolsMissing('dcmdjpeg');
  if (skip) return t.skip(skip);
  const out = join(root, 'cookie-raw.dcm');
  assert.equal(spawnSync('dcmdjpeg', [src, out]).status, 0);
  const [v, ref] = await Promise.all([readDicomSeries(src), readDicomSeries(out)]);
  assert.deepEqual(v.size, [2048, 1536, 1]);
  assert.ok(v.meta.warnings?.some((w) => w.includes('luminance')));
  const d = diff(ref, v);
  assert.ok(d.mean < 1 && d.max <= 8, JSON.stringify(d));
});

test('decoding in worker threads gives the same volume as the main thread, and corrupt frames still fail typed', async () => {
  const s = SOURCES.ct12!;
  const dir = join(root, 'pool-j2k');
  const w = await writeDicomSeries(s.vol, dir, { ...s.opts, transferSyntax: TransferSyntax.J2kLossless });
  const [a, b] = [await readDicomSeries(dir, { decodeThreads: 0 }), await readDicomSeries(dir, { decodeThreads: 2 })];
  assert.equal(diff(a, b).max, 0);
  assert.equal(diff(s.vol, b).max, 0);
  const bytes = readFileSync(w.files[0]!);
  // Destroy the codestream header (after the SOC marker): OpenJPEG must refuse the frame.
  const soc = bytes.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51]));
  assert.ok(soc > 0);
  bytes.fill(0x5a, soc + 2, bytes.length - 20);
  writeFileSync(w.files[0]!, bytes);
  await assert.rejects(readDicomSeries(dir, { decodeThreads: 2 }), { code: 'MALFORMED' });
});

test('single-frame CT written by writeDicomSeries passes dciodvfy without errors', async (t) => {
  const skip = toolsMissing('dciodvfy');
  if (skip) return t.skip(skip);
  const s = SOURCES.ct12!;
  const dir = join(root, 'iod');
  const w = await writeDicomSeries(s.vol, dir, { ...s.opts, bodyPartExamined: 'SPINE', kvp: 100 });
  const r = spawnSync('dciodvfy', [w.files[0]!], { encoding: 'utf8' });
  const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('Error'));
  assert.deepEqual(errors, []);
});
