/** Result and option types of the imaging ops (kept apart so implementation files share them). */
import type { Image } from './image.js';

export interface Components {
  /** 0 = background, 1..count component ids, ordered by decreasing size. */
  labels: Image<Int32Array>;
  count: number;
  /** sizes[id-1] = voxel count of component id. */
  sizes: number[];
}

export type Interpolation = 'nearest' | 'linear';

export interface Statistics {
  count: number; mean: number; sd: number; min: number; max: number;
  median: number; p5: number; p95: number; sum: number;
}

export interface Histogram { edges: number[]; counts: number[] }
