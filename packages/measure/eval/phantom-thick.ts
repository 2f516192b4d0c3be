/**
 * A thick-slice version of a spine phantom: the phantom is rendered on its fine grid and every `n`
 * consecutive axial slices are averaged into one, as a scanner reconstructs thick slices from thin
 * ones. So the thick slices carry partial volume at the endplates (which the phantom, sampled at
 * voxel centres, otherwise lacks), while the label maps are those of the middle thin slice (a
 * perfect segmentation, centre-sampled at the thick slice's centre). Truth is geometric and unchanged.
 */
import type { LabelMap } from '@rachis/imaging';
import type { SpinePhantom } from '@rachis/spine';

export function thickSlices(ph: SpinePhantom, n: number): SpinePhantom {
  if (!Number.isInteger(n) || n < 1 || n % 2 === 0) throw new RangeError(`thick slices need an odd whole number of thin slices, got ${n}`);
  const v = ph.volume;
  const [nx, ny, nz] = v.size;
  if (v.direction.some((d, i) => d !== [1, 0, 0, 0, 1, 0, 0, 0, 1][i])) throw new RangeError('thickSlices expects the phantom identity direction');
  const nzT = Math.floor(nz / n);
  const plane = nx * ny;
  const size: [number, number, number] = [nx, ny, nzT];
  const spacing: [number, number, number] = [v.spacing[0], v.spacing[1], v.spacing[2] * n];
  const origin: [number, number, number] = [v.origin[0], v.origin[1], v.origin[2] + ((n - 1) / 2) * v.spacing[2]];
  const data = new Int16Array(plane * nzT);
  for (let k = 0; k < nzT; k++) {
    for (let p = 0; p < plane; p++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += v.data[p + plane * (k * n + t)]!;
      data[p + plane * k] = Math.round(s / n);
    }
  }
  const middle = (m: LabelMap): LabelMap => {
    const out = new Uint8Array(plane * nzT);
    for (let k = 0; k < nzT; k++) out.set(m.data.subarray(plane * (k * n + (n - 1) / 2), plane * (k * n + (n - 1) / 2 + 1)), plane * k);
    return { ...m, size, spacing, origin, data: out };
  };
  return {
    volume: { ...v, size, spacing, origin, data },
    labels: middle(ph.labels),
    parts: middle(ph.parts),
    tissue: middle(ph.tissue),
    truth: ph.truth,
  };
}
