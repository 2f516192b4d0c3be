import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRachisError } from '@rachis/imaging';
import type { Image } from '@rachis/imaging';
import { bsplineCoefficients, ibsiGridSize, ibsiPosition, resampleSeparable } from '../src/preprocess/resample.js';
import { discretise } from '../src/preprocess/discretise.js';
import { prepareRoi, resegment } from '../src/preprocess/prepare.js';
import { resolveSettings } from '../src/settings.js';
import { parseSettings } from '../src/io/settings-file.js';
import { extractFeatures } from '../src/extract.js';
import { close } from './helpers.js';

const image = (size: [number, number, number], spacing: [number, number, number], f: (x: number, y: number, z: number) => number): Image<Float32Array> => {
  const data = new Float32Array(size[0] * size[1] * size[2]);
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) data[(z * size[1] + y) * size[0] + x] = f(x, y, z);
  return { size, spacing, origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
};

test('IBSI grid: centre-aligned, n_b = ceil(n_a s_a / s_b)', () => {
  assert.equal(ibsiGridSize(204, 0.977, 2), 100);
  assert.equal(ibsiGridSize(60, 3, 2), 90);
  // grid centres coincide
  assert.ok(close(ibsiPosition((90 - 1) / 2, 60, 3, 90, 2), (60 - 1) / 2));
  assert.ok(close(ibsiPosition(0, 60, 3, 90, 2), 29.5 - 44.5 * (2 / 3)));
});

test('linear and cubic-spline resampling reproduce a linear ramp exactly inside the grid', () => {
  // spline coefficients use mirror boundaries, so test away from the edges (error ∝ 0.268^distance)
  const dims: [number, number, number] = [30, 28, 26];
  const ramp = image(dims, [1, 1, 1], (x, y, z) => 3 * x - 2 * y + z + 5);
  const pos: [number[], number[], number[]] = [[12.25, 15.5, 17.75], [13.1, 14.9], [12.5, 14]];
  const lin = resampleSeparable(ramp.data, dims, pos, 'linear').data;
  const spl = resampleSeparable(bsplineCoefficients(ramp.data, dims), dims, pos, 'cubic-spline').data;
  let k = 0;
  for (const z of pos[2]) for (const y of pos[1]) for (const x of pos[0]) {
    const truth = 3 * x - 2 * y + z + 5;
    assert.ok(close(lin[k], truth, 1e-9), `linear ${lin[k]} vs ${truth}`);
    assert.ok(close(spl[k], truth, 1e-4), `spline ${spl[k]} vs ${truth}`);
    k++;
  }
});

test('discretisation: FBN and FBS follow the IBSI formulas', () => {
  const v = Float64Array.from([-1000, -510, -500, -476, 0, 399, 400]);
  const m = new Uint8Array(v.length).fill(1);
  const fbs = discretise(v, m, { method: 'fbs', width: 25 }, [-500, 400]);
  assert.deepEqual(Array.from(fbs.levels.slice(2)), [1, 1, 21, 36, 37]);
  const fbn = discretise(Float64Array.from([0, 1, 2, 10]), new Uint8Array(4).fill(1), { method: 'fbn', bins: 5 }, null);
  assert.deepEqual(Array.from(fbn.levels), [1, 1, 2, 5]);
  assert.equal(fbn.ng, 5);
});

test('re-segmentation: range, then outlier on what remains', () => {
  const v = Float64Array.from([0, 1, 2, 3, 4, 1000, -2000]);
  const m = new Uint8Array(v.length).fill(1);
  assert.deepEqual(Array.from(resegment(v, m, { range: [-10, 100], outlierSigma: null })), [1, 1, 1, 1, 1, 0, 0]);
  const many = Float64Array.from([...Array(50).fill(10), 11, 9, 1e4]);
  const out = resegment(many, new Uint8Array(many.length).fill(1), { range: null, outlierSigma: 3 });
  assert.equal(out[many.length - 1], 0);
  assert.equal(out[0], 1);
});

test('settings: defaults, validation errors and YAML loading', () => {
  const s = resolveSettings({});
  assert.equal(s.discretisation.texture.method, 'fbn');
  assert.throws(() => resolveSettings({ discretisation: { texture: { method: 'fbn', bins: 0 } } }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => resolveSettings({ families: ['glcm', 'nope' as 'glcm'] }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  const y = parseSettings('interpolation:\n  spacingMm: [2, 2, 2]\n  image: cubic-spline\nresegmentation:\n  range: [-1000, 400]\n  outlierSigma: 3\n');
  assert.equal(y.interpolation?.image, 'cubic-spline');
  assert.equal(y.interpolation?.maskThreshold, 0.5);
  assert.deepEqual(y.resegmentation.range, [-1000, 400]);
  assert.throws(() => parseSettings('[1, 2]'), (e) => isRachisError(e, 'MALFORMED'));
  assert.throws(() => parseSettings('a: [1,'), (e) => isRachisError(e, 'MALFORMED'));
});

test('bad input: empty ROI and geometry mismatch are typed errors', () => {
  const img = image([4, 4, 4], [1, 1, 1], (x) => x);
  const empty = image([4, 4, 4], [1, 1, 1], () => 0);
  assert.throws(() => prepareRoi(img, empty, resolveSettings({})), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  const other = image([4, 4, 5], [1, 1, 1], () => 1);
  assert.throws(() => extractFeatures(img, other, {}), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
  const shifted = { ...image([4, 4, 4], [1, 1, 1], () => 1), origin: [0, 0, 5] as [number, number, number] };
  assert.throws(() => extractFeatures(img, shifted, {}), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
  const ones = image([4, 4, 4], [1, 1, 1], () => 1);
  assert.throws(() => extractFeatures(img, ones, { label: 2 }), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  const withNaN = image([4, 4, 4], [1, 1, 1], (x, y, z) => (x === 1 && y === 1 && z === 1 ? NaN : x));
  assert.throws(() => extractFeatures(withNaN, ones, {}), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});

test('a constant single-voxel ROI gives finite first-order features and no crash', () => {
  const img = image([3, 3, 3], [1, 1, 1], () => 7);
  const mask = image([3, 3, 3], [1, 1, 1], (x, y, z) => (x === 1 && y === 1 && z === 1 ? 1 : 0));
  const res = extractFeatures(img, mask, { families: ['statistics', 'intensity_histogram', 'glcm', 'glszm', 'morphology'] });
  const get = (t: string): number | undefined => res.features.find((f) => f.tag === t)?.value;
  assert.equal(get('stat_mean'), 7);
  assert.equal(get('stat_var'), 0);
  assert.equal(get('szm_sze_3D'), 1);
  assert.ok(close(get('morph_volume'), 1 / 6));
});

test('shipped settings files load; the config C file equals the eval configuration', async () => {
  const { loadSettingsFile } = await import('../src/io/settings-file.js');
  const { IBSI_CASES } = await import('../eval/ibsi-configs.js');
  const dir = new URL('../settings/', import.meta.url).pathname;
  const c = await loadSettingsFile(`${dir}ibsi-ct-config-c.yaml`);
  const evalC = resolveSettings(IBSI_CASES.find((x) => x.id === 'config C')!.settings);
  assert.deepEqual(c, { ...evalC });
  const spine = await loadSettingsFile(`${dir}spine-ct-default.yaml`);
  assert.equal(spine.interpolation?.spacingMm[0], 1);
  await assert.rejects(loadSettingsFile(`${dir}missing.yaml`), (e) => isRachisError(e, 'NOT_FOUND'));
});

test('extractFeaturesPerLabel: one result per label, missing label reported', async () => {
  const { extractFeaturesPerLabel } = await import('../src/per-label.js');
  const img = image([6, 4, 4], [1, 1, 1], (x, y) => x * 10 + y);
  const lab = image([6, 4, 4], [1, 1, 1], (x) => (x < 3 ? 1 : 2));
  const labels = { ...lab, data: Uint8Array.from(lab.data), labels: new Map([[1, 'L1'], [2, 'L2'], [3, 'L3']]) };
  const res = extractFeaturesPerLabel(img, labels, { families: ['statistics'] });
  assert.deepEqual(res.map((r) => [r.label, r.name, r.result !== null]), [[1, 'L1', true], [2, 'L2', true], [3, 'L3', false]]);
  const mean = (i: number): number => res[i]!.result!.features.find((f) => f.tag === 'stat_mean')!.value;
  assert.ok(close(mean(0), 10 + 1.5));
  assert.ok(close(mean(1), 40 + 1.5));
});
