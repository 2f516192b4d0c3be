import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import type { LabelMap, Vec3, Volume } from '@rachis/imaging';
import { isRachisError } from '@rachis/imaging';
import {
  composeView, encodePng, labelColour, reformat, reformatLabels, renderAxialOverlay, renderAxialOverlayRgb,
  renderSpineKeyImages, renderSpineKeyViews, renderView, windowTo8bit, WINDOWS, labelCentroidsMm, autoWindow,
} from '@rachis/imaging/render';

const GEOM = { size: [48, 40, 60] as Vec3, spacing: [1.5, 1.5, 2] as Vec3, origin: [-35, -30, -60] as Vec3, direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] as const };

/** Soft tissue (40 HU) with a column of five 'vertebrae' (700 HU boxes) labelled 1..5 from the bottom. */
function spinePhantom(): { ct: Volume<Int16Array>; mask: LabelMap } {
  const [nx, ny, nz] = GEOM.size;
  const ct = new Int16Array(nx * ny * nz).fill(40);
  const lab = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) {
    const level = Math.floor((k - 4) / 10) + 1; // 10 slices (20 mm) per level, 2-slice 'discs'
    if (k < 4 || level > 5 || (k - 4) % 10 >= 8) continue;
    for (let j = 15; j < 27; j++)
      for (let i = 18; i < 30; i++) {
        ct[i + j * nx + k * nx * ny] = 700;
        lab[i + j * nx + k * nx * ny] = level;
      }
  }
  return { ct: { ...GEOM, data: ct, meta: { modality: 'CT' } }, mask: { ...GEOM, data: lab, labels: new Map() } };
}

const NAMES = new Map([[1, 'L5'], [2, 'L4'], [3, 'L3'], [4, 'L2'], [5, 'L1']]);

test('window/level maps HU linearly to 0..255, NaN to black', () => {
  const g = windowTo8bit(Float32Array.of(-500, 400, 1300, 2000, NaN), WINDOWS.bone);
  assert.deepEqual([...g], [0, 128, 255, 255, 0]);
  assert.throws(() => windowTo8bit(Float32Array.of(1), { width: 0, level: 0 }));
});

test('overlay colour appears inside the label and nowhere else', () => {
  const { ct, mask } = spinePhantom();
  const img = reformat(ct, 'coronal', { pixelMm: 0.5 });
  const labels = reformatLabels(mask, img);
  const out = composeView(img, { labels, window: WINDOWS.softTissue, overlayAlpha: 0.5 });
  assert.equal(out.width, img.width);
  assert.equal(out.imageHeight, img.height);
  assert.ok(out.imageTop > 0 && out.height > out.imageTop + img.height); // bands for the top/bottom letters
  let inside = 0, tinted = 0, outsideGrey = 0, outside = 0;
  for (let p = 0; p < labels.length; p++) {
    const q = p + out.imageTop * img.width;
    const [r, g, b] = [out.rgb[q * 3]!, out.rgb[q * 3 + 1]!, out.rgb[q * 3 + 2]!];
    const v = labels[p]!;
    const c = p % img.width;
    // Stay clear of the left/right orientation letters drawn on the image.
    if (c < 25 || c > img.width - 25) continue;
    if (v > 0) {
      inside++;
      const col = labelColour(v);
      // Moved from grey toward the label colour: the dominant channel of the colour is the highest one.
      const want = col.indexOf(Math.max(...col));
      if ([r, g, b][want] === Math.max(r, g, b) && Math.max(r, g, b) - Math.min(r, g, b) > 20) tinted++;
    } else {
      outside++;
      if (r === g && g === b) outsideGrey++;
    }
  }
  assert.ok(inside > 100, `${inside} labelled pixels`);
  assert.equal(tinted, inside);
  assert.equal(outsideGrey, outside);
});

test('spine key images: PNGs decode with the rendered size and show every level colour', () => {
  const { ct, mask } = spinePhantom();
  const views = renderSpineKeyViews(ct, mask, NAMES, { annotations: ['L1 180 HU'], sizePx: 400 });
  const pngs = renderSpineKeyImages(ct, mask, NAMES, { annotations: ['L1 180 HU'], sizePx: 400 });
  for (const key of ['sagittal', 'coronal'] as const) {
    const v = views[key];
    assert.equal(v.rgb.length, v.width * v.height * 3);
    const png = PNG.sync.read(pngs[key]);
    assert.equal(png.width, v.width);
    assert.equal(png.height, v.height);
    assert.ok(Math.max(v.width, v.height) > 300 && Math.max(v.width, v.height) < 500);
    // The outline is drawn in the exact label colour: every level must be there.
    for (const value of NAMES.keys()) {
      const c = labelColour(value);
      let found = false;
      for (let p = 0; p < png.data.length && !found; p += 4) found = png.data[p] === c[0] && png.data[p + 1] === c[1] && png.data[p + 2] === c[2];
      assert.ok(found, `${key}: colour of label ${value}`);
    }
  }
});

test('axial overlay: legend colours drawn, classes outside the legend not coloured, slice index and height agree, bad index is a typed error', () => {
  const { ct, mask } = spinePhantom();
  const legend = [{ value: 3, name: 'Skeletal muscle', colour: [220, 40, 40] as const }];
  const bySlice = renderAxialOverlayRgb(ct, { sliceIndex: 26 }, mask, legend, { outline: true });
  const byZ = renderAxialOverlayRgb(ct, { zMm: GEOM.origin[2] + 26 * 2 }, mask, legend, { outline: true });
  assert.deepEqual(bySlice.rgb, byZ.rgb);
  let red = 0;
  for (let p = 0; p < bySlice.rgb.length; p += 3) if (bySlice.rgb[p] === 220 && bySlice.rgb[p + 1] === 40 && bySlice.rgb[p + 2] === 40) red++;
  assert.ok(red > 20, `${red} pixels in the legend colour`);
  // Slice 16 holds label 2 only, which is not in the legend: nothing may be coloured.
  const other = renderAxialOverlayRgb(ct, { sliceIndex: 16 }, mask, legend, { outline: true });
  let coloured = 0;
  for (let p = other.imageTop * other.width * 3; p < (other.imageTop + other.imageHeight) * other.width * 3; p += 3) {
    if (other.rgb[p] !== other.rgb[p + 1] || other.rgb[p + 1] !== other.rgb[p + 2]) coloured++;
  }
  assert.equal(coloured, 0);
  const png = PNG.sync.read(renderAxialOverlay(ct, 0, mask, legend));
  assert.ok(png.width > 0 && png.height > 0);
  assert.throws(() => renderAxialOverlayRgb(ct, { sliceIndex: 99 }, mask, legend), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
  assert.throws(() => renderAxialOverlayRgb(ct, { zMm: NaN }, mask, legend), (e) => isRachisError(e, 'INVALID_ARGUMENT'));
});

test('hostile names and annotations do not crash and keep the image size', () => {
  const { ct, mask } = spinePhantom();
  const nasty = [
    'x'.repeat(5000), '椎骨 L3 — مرحبا 🦴🦴 \u0301\u0301', 'line\nbreak\r\u0000\u001b[31m', '\ud800 lone surrogate', '', '   ',
  ];
  const names = new Map(nasty.slice(0, 5).map((n, i) => [i + 1, n]));
  const a = renderSpineKeyViews(ct, mask, names, { annotations: nasty, sizePx: 300 });
  const b = renderSpineKeyViews(ct, mask, NAMES, { annotations: ['short'], sizePx: 300 });
  assert.equal(a.sagittal.width, b.sagittal.width);
  const legend = nasty.map((name, i) => ({ value: i + 1, name }));
  const png = PNG.sync.read(renderAxialOverlay(ct, { sliceIndex: 10 }, mask, legend, { annotations: nasty, title: nasty[0] }));
  assert.ok(png.width > 0);
});

test('an empty name map falls back to the names the label map carries', () => {
  const { ct, mask } = spinePhantom();
  const named = { ...mask, labels: NAMES };
  const a = renderSpineKeyViews(ct, named, new Map(), { sizePx: 300 });
  const b = renderSpineKeyViews(ct, mask, NAMES, { sizePx: 300 });
  const c = renderSpineKeyViews(ct, mask, new Map(), { sizePx: 300 });
  assert.deepEqual(a.coronal.rgb, b.coronal.rgb);
  assert.notDeepEqual(c.coronal.rgb, b.coronal.rgb); // no names → no text
});

test('a small fragment far from the column does not pull the curved views off the spine', () => {
  const { ct, mask } = spinePhantom();
  const [nx, ny] = mask.size;
  const withFragment = new Uint8Array(mask.data);
  // Label 6: a 2×2×2 fragment 30 mm to the side, level with the top vertebra (label 5, slices 44–51).
  for (let k = 50; k < 52; k++) for (let j = 20; j < 22; j++) for (let i = 2; i < 4; i++) withFragment[i + j * nx + k * nx * ny] = 6;
  const names = new Map([...NAMES, [6, 'T12']]);
  const colourPixels = (rgb: Uint8Array, v: number): number => {
    const c = labelColour(v);
    let n = 0;
    for (let p = 0; p < rgb.length; p += 3) if (rgb[p] === c[0] && rgb[p + 1] === c[1] && rgb[p + 2] === c[2]) n++;
    return n;
  };
  const clean = renderSpineKeyViews(ct, mask, names, { sizePx: 300 }).sagittal;
  const dirty = renderSpineKeyViews(ct, { ...mask, data: withFragment }, names, { sizePx: 300 }).sagittal;
  const a = colourPixels(clean.rgb, 5);
  const b = colourPixels(dirty.rgb, 5);
  assert.ok(a > 50 && b >= 0.9 * a, `top vertebra outline: ${b} pixels with the fragment vs ${a} without`);
});

test('empty mask and absent labels still give plain views', () => {
  const { ct, mask } = spinePhantom();
  const empty = { ...mask, data: new Uint8Array(mask.data.length) };
  const v = renderSpineKeyViews(ct, empty, NAMES, { sizePx: 200 });
  assert.ok(v.sagittal.width > 0 && v.coronal.height > 0);
  assert.ok(encodePng(v.coronal).length > 100);
  assert.throws(() => renderSpineKeyViews(ct, { ...mask, data: new Uint8Array(3) }, NAMES), (e) => isRachisError(e, 'GEOMETRY_MISMATCH'));
});

test('label centroids are LPS mm, for dense (Uint8) and float label data alike', () => {
  const { mask } = spinePhantom();
  // Label 3 occupies i 18..29, j 15..26, k 24..31 → index centre (23.5, 20.5, 27.5).
  const want: Vec3 = [-35 - 23.5 * 1.5, -30 - 20.5 * 1.5, -60 + 27.5 * 2];
  for (const m of [mask, { ...mask, data: Float32Array.from(mask.data) }]) {
    const c = labelCentroidsMm(m).get(3);
    assert.ok(c, 'label 3 found');
    for (let r = 0; r < 3; r++) assert.ok(Math.abs(c[r]! - want[r]!) < 1e-9, `axis ${r}: ${c[r]} vs ${want[r]}`);
  }
});

test('renderView: any plane, explicit pixel size, overlay from a label map on another grid', () => {
  const { ct, mask } = spinePhantom();
  // The same labels stored on a flipped (LPS) grid must land on the same pixels.
  const [nx, ny, nz] = mask.size;
  const flipped = new Uint8Array(mask.data.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) flipped[(nx - 1 - i) + (ny - 1 - j) * nx + k * nx * ny] = mask.data[i + j * nx + k * nx * ny]!;
  const far: Vec3 = [GEOM.origin[0] - (nx - 1) * 1.5, GEOM.origin[1] - (ny - 1) * 1.5, GEOM.origin[2]];
  const lps: LabelMap = { ...mask, origin: far, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: flipped };
  // 0.7 mm pixels: no pixel centre falls exactly on a voxel boundary (where nearest-neighbour ties break by grid).
  const a = renderView(ct, 'axial', { labels: mask, pixelMm: 0.7, centreMm: [0, 0, -20] });
  const b = renderView(ct, 'axial', { labels: lps, pixelMm: 0.7, centreMm: [0, 0, -20] });
  assert.equal(a.pixelMm, 0.7);
  let diff = 0;
  let coloured = 0;
  for (let p = 0; p < a.rgb.length; p++) if (a.rgb[p] !== b.rgb[p]) diff++;
  for (let p = 0; p < a.rgb.length; p += 3) if (a.rgb[p] !== a.rgb[p + 1] || a.rgb[p + 1] !== a.rgb[p + 2]) coloured++;
  assert.ok(coloured > 100, `${coloured} coloured pixels`);
  assert.equal(diff, 0);
});

test('non-HU images (MR, unknown) get a window from their own values; HU images the CT preset', () => {
  const w = autoWindow(Float32Array.from({ length: 1001 }, (_, i) => i / 1000));
  assert.ok(Math.abs(w.level - 0.5) < 0.01 && Math.abs(w.width - 0.98) < 0.01, JSON.stringify(w));
  assert.deepEqual(autoWindow(Float32Array.of(NaN, NaN)), { width: 1, level: 0 });
  const { ct } = spinePhantom();
  // MR-like: values 0..1 in a smooth ramp along x; a bone window would paint it one flat grey.
  const ramp = Float32Array.from(ct.data, (_, p) => (p % ct.size[0]) / ct.size[0]);
  const greys = (img: { rgb: Uint8Array; imageTop: number; imageHeight: number; width: number }): number => {
    const set = new Set<number>();
    for (let p = img.imageTop * img.width * 3; p < (img.imageTop + img.imageHeight) * img.width * 3; p += 3) set.add(img.rgb[p]!);
    return set.size;
  };
  assert.ok(greys(renderView({ ...ct, data: ramp, meta: { modality: 'MR' } }, 'axial', { pixelMm: 0.5 })) > 50);
  assert.ok(greys(renderView({ ...ct, data: ramp, meta: {} }, 'axial', { pixelMm: 0.5 })) > 50);
  // HU data without a modality (NIfTI): air at −1000 → bone window, so 40 HU soft tissue and 700 HU bone differ.
  const hu = Int16Array.from(ct.data, (v, p) => (p % ct.size[0] < 3 ? -1000 : v));
  const out = renderView({ ...ct, data: hu, meta: {} }, 'axial', { pixelMm: 1.5, centreMm: [0, 0, -20] });
  const expectSoft = windowTo8bit(Float32Array.of(40), WINDOWS.bone)[0]!;
  let soft = 0;
  for (let p = out.imageTop * out.width * 3; p < (out.imageTop + out.imageHeight) * out.width * 3; p += 3) if (out.rgb[p] === expectSoft) soft++;
  assert.ok(soft > 0.3 * out.width * out.imageHeight, `${soft} pixels of bone-window grey ${expectSoft} (40 HU)`);
});
