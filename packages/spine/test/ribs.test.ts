import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpinePhantom, segmentSpineCT } from '@rachis/spine';

// Ribs whose joints with the spine read as a gap (thin or noisy slices) still anchor the
// thoracolumbar junction: the lowest rib-bearing vertebra is T12.
test('ribs cut off from the spine still count as ribs of their vertebra', async () => {
  const ph = makeSpinePhantom({ seed: 11, spacingMm: [2, 2, 2], fov: { from: 'T9', to: 'L3' } });
  const v = ph.volume;
  const [nx, ny, nz] = v.size;
  const t12 = ph.truth.vertebrae.find((x) => x.name === 'T12')!;
  const midX = (t12.centroidMm![0] - v.origin[0]) / v.spacing[0];
  // Soft tissue in two sagittal slabs 26–32 mm either side of the midline, through every slice:
  // costotransverse and costovertebral joints (and transverse process tips) are gone.
  const data = Int16Array.from(v.data);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const d = Math.abs(i - midX) * v.spacing[0];
    if (d >= 26 && d <= 32) data[i + j * nx + k * nx * ny] = 40;
  }
  const seg = await segmentSpineCT({ ...v, data });
  assert.ok(seg.labelling.anchors.includes('lowest-rib'), `anchors: ${seg.labelling.anchors.join(', ')}`);
  const mine = seg.vertebrae.find((x) => x.label === 'T12');
  assert.ok(mine, `labels: ${seg.vertebrae.map((x) => x.label).join(' ')}`);
  assert.ok(Math.abs(mine.centroidMm[2] - t12.centroidMm![2]) < 15, 'T12 is the truth T12');
});
