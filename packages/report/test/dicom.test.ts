import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { DicomDataset } from 'dcmjs';
import type { Mat3 } from '@rachis/imaging';
import { buildReport, formatValue, type ReportV1 } from '../src/index.js';
import { writeSeg } from '../src/dicom/seg.js';
import { writeSr } from '../src/dicom/sr.js';
import { writeSecondaryCaptures, pngToRgb } from '../src/dicom/sc.js';
import { fromPart10 } from '../src/dicom/part10.js';
import { makeFixture, type Fixture } from './fixtures/synthetic.js';
import { decodeSegToLabels } from './helpers/seg-reader.js';
import { needTool, run, scratch, writeTemp } from './helpers/tools.js';

const AT = new Date('2026-03-04T05:06:07Z');

type Setup = { f: Fixture; r: ReportV1; seg: Buffer; sr: Buffer; sc: Buffer[] };
const cache = new Map<string, Setup>();

/** Outputs are deterministic (seeded), so each variant is built once per file. */
function setup(opts: { dicom?: boolean; direction?: Mat3 } = {}): Setup {
  const key = JSON.stringify(opts);
  const hit = cache.get(key);
  if (hit) return hit;
  const made = make(opts);
  cache.set(key, made);
  return made;
}

function make(opts: { dicom?: boolean; direction?: Mat3 }): Setup {
  const f = makeFixture({ dicom: opts.dicom ?? true });
  if (opts.direction) {
    const d = opts.direction;
    Object.assign(f.volume, { direction: d });
    for (const m of [f.spine.vertebraMask, f.spine.instanceMask, f.spine.partMask]) Object.assign(m, { direction: d });
  }
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 'dicom-test', createdAt: AT, keyImages: f.keyImages });
  const src = { sourceSopInstanceUIDs: f.volume.meta.sourceSopInstanceUIDs ?? [] };
  return { f, r, seg: writeSeg(r, f.spine.vertebraMask, src), sr: writeSr(r, src), sc: writeSecondaryCaptures(r, f.keyImages.map((k) => k.png)) };
}

/**
 * dciodvfy warnings we accept (explained):
 * - "needed to build DICOMDIR - Study Time / Study ID / Patient ID": the input carries no study
 *   time/ID (or, when de-identified, no patient ID); these are Type 2 and left empty as the standard
 *   allows (we never invent identity); only building a DICOMDIR would need them.
 * - "Unrecognized defined term <99RACHIS>": our private coding scheme for concepts with no
 *   verified standard code; declared in CodingSchemeIdentificationSequence as PS3.3 requires.
 */
const ACCEPTED_WARNINGS = [/needed to build DICOMDIR - (Study Time|Study ID|Patient ID)$/, /Unrecognized defined term <99RACHIS>/];

function dciodvfy(t: TestContext, name: string, bytes: Uint8Array): void {
  if (!needTool(t, 'dciodvfy', 'dicom3tools')) return;
  const p = writeTemp(scratch(t), name, bytes);
  const { out } = run('dciodvfy', [p]);
  const errors = out.split('\n').filter((l) => l.startsWith('Error'));
  assert.deepEqual(errors, [], out);
  const unexplained = out.split('\n').filter((l) => l.startsWith('Warning') && !ACCEPTED_WARNINGS.some((w) => w.test(l)));
  assert.deepEqual(unexplained, [], out);
}

test('dciodvfy: SEG, SR and SC have 0 errors and only explained warnings (DICOM input)', (t) => {
  const { seg, sr, sc } = setup();
  dciodvfy(t, 'seg.dcm', seg);
  dciodvfy(t, 'sr.dcm', sr);
  for (const [i, b] of sc.entries()) dciodvfy(t, `sc${i}.dcm`, b);
});

test('dciodvfy: SEG and SR from NIfTI-like input (no source references) are valid too', (t) => {
  const { seg, sr } = setup({ dicom: false });
  dciodvfy(t, 'seg.dcm', seg);
  dciodvfy(t, 'sr.dcm', sr);
});

test('SEG read back with dcmjs equals the label map voxel for voxel (identity and flipped axes)', () => {
  for (const direction of [undefined, [-1, 0, 0, 0, 1, 0, 0, 0, -1] as Mat3]) {
    const { f, seg, r } = setup(direction ? { direction } : {});
    const back = decodeSegToLabels(seg, f.spine.vertebraMask);
    assert.deepEqual(back, f.spine.vertebraMask.data);
    const ds = fromPart10(seg);
    assert.equal(ds['SegmentationType'], 'BINARY');
    assert.equal(ds['BitsAllocated'], 1);
    assert.equal(ds['StudyInstanceUID'], f.volume.meta.studyInstanceUID);
    assert.equal(ds['FrameOfReferenceUID'], f.volume.meta.frameOfReferenceUID);
    assert.equal(ds['SeriesInstanceUID'], r.dicom.seg.seriesInstanceUID);
    const segs = ds['SegmentSequence'] as DicomDataset[];
    assert.deepEqual(segs.map((s) => s['SegmentLabel']), ['T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5']);
    const l1 = segs[2]!['SegmentedPropertyTypeCodeSequence'] as DicomDataset[];
    assert.equal((Array.isArray(l1) ? l1[0] : l1)?.['CodeValue'], '66794005');
  }
});

test('SEG read back with itk-wasm readSegmentationNode equals the label map (by world position)', async (t) => {
  const { f, seg, r } = setup();
  const p = writeTemp(scratch(t), 'seg.dcm', seg);
  const { readSegmentationNode } = await import('@itk-wasm/dicom');
  // itk-wasm's pipeline prints geometry debug lines on stdout; keep test output clean.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let result;
  try {
    result = await readSegmentationNode(p);
  } finally {
    process.stdout.write = write;
  }
  const im = result.segImage;
  const dir = Array.from(im.direction, Number);
  const org = Array.from(im.origin, Number);
  const sp = Array.from(im.spacing, Number);
  const data = im.data as ArrayLike<number>;
  const [nx, ny, nz] = [im.size[0]!, im.size[1]!, im.size[2]!];
  const labelOfSegment = new Map(r.levels.filter((l) => l.segmentNumber).map((l) => [l.segmentNumber!, l.labelValue!]));
  const lm = f.spine.vertebraMask;
  // Resample the itk-wasm image onto our grid by world position (identity direction in this fixture).
  const back = new Uint8Array(lm.data.length);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const v = data[i + j * nx + k * nx * ny]!;
    if (v === 0) continue;
    const idx = [0, 1, 2].map((a) => {
      const w = org[a]! + dir[a * 3]! * sp[0]! * i + dir[a * 3 + 1]! * sp[1]! * j + dir[a * 3 + 2]! * sp[2]! * k;
      return Math.round((w - lm.origin[a as 0 | 1 | 2]) / lm.spacing[a as 0 | 1 | 2]);
    });
    back[idx[0]! + idx[1]! * lm.size[0] + idx[2]! * lm.size[0] * lm.size[1]] = labelOfSegment.get(v) ?? 255;
  }
  assert.ok(Buffer.from(back).equals(Buffer.from(lm.data)), 'itk-wasm SEG ≠ label map');
});

function srNums(node: DicomDataset, tracking: string | undefined, out: string[]): string[] {
  const items = (node['ContentSequence'] as DicomDataset[] | undefined) ?? [];
  const id = items.find((c) => c['ValueType'] === 'TEXT' && (c['ConceptNameCodeSequence'] as DicomDataset[])[0]?.['CodeValue'] === '112039');
  // dcmjs does not apply SpecificCharacterSet ISO_IR 192 when reading: decode the UTF-8 bytes here.
  const raw = id?.['TextValue'] as string | undefined;
  const here = raw === undefined ? tracking : Buffer.from(raw, 'latin1').toString('utf8');
  for (const c of items) {
    if (c['ValueType'] === 'NUM') {
      const mv = (c['MeasuredValueSequence'] as DicomDataset[])[0]!;
      const unit = (mv['MeasurementUnitsCodeSequence'] as DicomDataset[])[0]!['CodeValue'];
      out.push(`${here}|${(c['ConceptNameCodeSequence'] as DicomDataset[])[0]!['CodeValue']}|${Number(mv['NumericValue'])}|${String(unit)}`);
    }
    srNums(c, here, out);
  }
  return out;
}

test('SR numbers equal report.json (every NUM, both ways) and reference the SEG segments', () => {
  const { r, sr } = setup();
  const json = JSON.parse(JSON.stringify(r)) as ReportV1;
  const expected: string[] = [];
  for (const l of json.levels) for (const m of l.measurements) expected.push(`${l.name}|${m.concept.value}|${m.value}|${m.unit.ucum}`);
  for (const f of json.findings) for (const m of f.measurements) expected.push(`${f.key === 'alignment' ? m.name : f.title}|${m.concept.value}|${m.value}|${m.unit.ucum}`);
  const ds = fromPart10(sr);
  const got = srNums(ds, undefined, []);
  assert.deepEqual([...got].sort(), [...expected].sort());
  assert.equal(ds['StudyInstanceUID'], r.dicom.studyInstanceUID);
  const text = JSON.stringify(ds);
  for (const l of r.levels.filter((x) => x.segmentNumber)) assert.ok(text.includes(`"ReferencedSegmentNumber":${l.segmentNumber}`), l.name);
});

test('dsrdump shows the full TID 1500 tree', (t) => {
  if (!needTool(t, 'dsrdump', 'dcmtk')) return;
  const { sr, r } = setup();
  const { status, out } = run('dsrdump', ['+Pl', '-Ec', writeTemp(scratch(t), 'sr.dcm', sr)]);
  assert.equal(status, 0, out);
  assert.match(out, /Imaging Measurement Report/);
  assert.match(out, /contains NUM:\(,,"Attenuation Coefficient"\)="130" \(\[hnsf'U\],UCUM,"Hounsfield unit"\)/);
  assert.match(out, /Referenced Segment"\)=\(SG image,,3\)/);
  assert.match(out, /"Genant semi-quantitative fracture grade"\)=\(genant-2,99RACHIS/);
  for (const line of r.impression) assert.ok(out.includes(line), `impression line missing: ${line}`);
  // The digits stored in the SR are the digits every other output prints (e.g. "17.0", not 17).
  for (const m of [...r.levels, ...r.findings].flatMap((x) => x.measurements)) {
    assert.ok(out.includes(`"${m.concept.meaning}")="${formatValue(m.value, m.decimals)}" (${m.unit.ucum},UCUM`), m.key);
  }
  assert.equal((out.match(/Measurement Group/g) ?? []).length, 7 + 6 + 1 + 2 + 1 + 1 + 1, 'vertebrae, discs, fractures, 2 angles, scoliosis, BMD, body comp');
});

test('SC round trip: RGB pixels equal the key-image PNG', () => {
  const { f, sc, r } = setup();
  for (const [i, b] of sc.entries()) {
    const ds = fromPart10(b);
    const want = pngToRgb(f.keyImages[i]!.png);
    assert.equal(ds['Rows'], want.height);
    assert.equal(ds['Columns'], want.width);
    assert.equal(ds['PhotometricInterpretation'], 'RGB');
    assert.equal(ds['SOPInstanceUID'], r.dicom.sc.sopInstanceUIDs[i]);
    const px = new Uint8Array((ds['PixelData'] as ArrayBuffer[])[0]!).subarray(0, want.rgb.length);
    assert.deepEqual(px, want.rgb);
  }
});

test('non-ASCII identity and text are written as UTF-8 under ISO_IR 192', () => {
  const f = makeFixture();
  f.volume.meta.patientName = 'Müller^Jürgen';
  f.volume.meta.studyDescription = 'Wirbelsäule ≥ 3 mm';
  const r = buildReport(f.volume, f.spine, f.measurements, { seed: 'utf8', createdAt: AT });
  for (const bytes of [writeSr(r), writeSeg(r, f.spine.vertebraMask)]) {
    assert.equal(fromPart10(bytes)['SpecificCharacterSet'], 'ISO_IR 192');
    assert.ok(bytes.includes(Buffer.from('Müller^Jürgen', 'utf8')));
    assert.ok(bytes.includes(Buffer.from('Wirbelsäule ≥ 3 mm', 'utf8')));
  }
});
