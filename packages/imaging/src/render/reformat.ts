/**
 * Multi-planar and curved reformats of a volume or label map onto a ReformatGrid.
 * Sampling is done in LPS world space, so the result is right for any direction matrix
 * and the label map may have a different geometry from the image it overlays.
 */
import type { Geometry, Vec3, VoxelArray } from '../core/volume.js';
import { RachisError } from '../core/errors.js';
import { curvedGrid, planeGrid, type GridOptions, type Plane, type ReformatGrid } from './grid.js';
import { indexAffine, linearSampler, nearestSampler, toIndex, toIndexStep } from './sample.js';

type Sampled = Geometry & { readonly data: VoxelArray };

/**
 * How a thick slab is collapsed: maximum (MIP), mean, or — for label maps — the
 * non-zero label nearest the slab centre ('label').
 */
export type SlabMode = 'mip' | 'mean' | 'label';

export interface SampleOptions {
  interpolation?: 'nearest' | 'linear';
  slabMode?: SlabMode;
}

/** A reformatted 2-D image: `data[col + row*width]`, NaN where the view lies outside the volume. */
export interface Image2D extends ReformatGrid {
  readonly data: Float32Array;
}

/** Sample an image (volume or label map) on a grid. */
export function sampleGrid(img: Sampled, grid: ReformatGrid, opts: SampleOptions = {}): Float32Array {
  if (img.data.length !== img.size[0] * img.size[1] * img.size[2]) {
    throw new RachisError('GEOMETRY_MISMATCH', `voxel data length ${img.data.length} does not match size ${img.size.join('×')}`);
  }
  const mode = opts.slabMode ?? 'mean';
  const sample = (opts.interpolation ?? (mode === 'label' ? 'nearest' : 'linear')) === 'nearest' ? nearestSampler(img) : linearSampler(img);
  const f = indexAffine(img);
  const [i0, j0, k0] = toIndex(f, grid.originMm);
  const scale = (v: Vec3, s: number): Vec3 => [v[0] * s, v[1] * s, v[2] * s];
  const du = toIndexStep(f, scale(grid.colDir, grid.pixelMm));
  const dv = toIndexStep(f, scale(grid.rowDir, grid.pixelMm));
  const dn = toIndexStep(f, grid.normal);
  const offs = grid.slabOffsetsMm;
  const out = new Float32Array(grid.width * grid.height);
  for (let row = 0; row < grid.height; row++) {
    const ro = grid.rowOffsetMm?.[row] ?? 0;
    const ri = i0 + row * dv[0] + ro * dn[0];
    const rj = j0 + row * dv[1] + ro * dn[1];
    const rk = k0 + row * dv[2] + ro * dn[2];
    for (let col = 0; col < grid.width; col++) {
      const pi = ri + col * du[0];
      const pj = rj + col * du[1];
      const pk = rk + col * du[2];
      let acc = mode === 'mip' ? -Infinity : 0;
      let n = 0;
      for (let s = 0; s < offs.length; s++) {
        const t = offs[s]!;
        const v = sample(pi + t * dn[0], pj + t * dn[1], pk + t * dn[2]);
        if (Number.isNaN(v)) continue;
        if (mode === 'label') {
          // Offsets are ordered centre-out: the first non-zero label is the nearest one.
          if (v !== 0) {
            acc = v;
            n = 1;
            break;
          }
          n = -1; // inside the volume, background so far
        } else if (mode === 'mip') {
          if (v > acc) acc = v;
          n++;
        } else {
          acc += v;
          n++;
        }
      }
      out[col + row * grid.width] = n === 0 ? NaN : mode === 'mean' ? acc / n : n < 0 ? 0 : acc;
    }
  }
  return out;
}

export interface ReformatOptions extends GridOptions {
  slabMode?: 'mip' | 'mean';
  interpolation?: 'nearest' | 'linear';
}

/** Reformat a volume to an axial, sagittal or coronal view in radiological display convention. */
export function reformat(volume: Sampled, plane: Plane, opts: ReformatOptions = {}): Image2D {
  const grid = planeGrid(volume, plane, opts);
  return { ...grid, data: sampleGrid(volume, grid, { slabMode: opts.slabMode ?? 'mean', interpolation: opts.interpolation ?? 'linear' }) };
}

/**
 * Curved planar reformat along a spine centreline (LPS mm points, any order): each row of the
 * sagittal (or coronal) view is taken at the centreline's left-right (or antero-posterior) position
 * for that height, so a scoliotic spine is not cut out of a flat plane.
 */
export function curvedReformat(
  volume: Sampled,
  plane: 'sagittal' | 'coronal',
  centrelineMm: readonly Vec3[],
  opts: ReformatOptions = {},
): Image2D {
  const grid = curvedGrid(volume, plane, centrelineMm, opts);
  return { ...grid, data: sampleGrid(volume, grid, { slabMode: opts.slabMode ?? 'mean', interpolation: opts.interpolation ?? 'linear' }) };
}

export function curvedSagittal(volume: Sampled, centrelineMm: readonly Vec3[], opts: ReformatOptions = {}): Image2D {
  return curvedReformat(volume, 'sagittal', centrelineMm, opts);
}

/** Label map on the same grid: nearest-neighbour, nearest non-zero label across a slab. */
export function reformatLabels(labels: Sampled, grid: ReformatGrid): Float32Array {
  return sampleGrid(labels, grid, { slabMode: 'label', interpolation: 'nearest' });
}
