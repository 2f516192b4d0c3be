/**
 * Run-based connected-component labelling: voxels are grouped into x-runs, runs are united with
 * overlapping runs in the previous rows (union-find over runs), so the work beyond one scan of
 * the voxels is proportional to the number of runs. Used by connectedComponents and fillHoles.
 */
import type { Vec3, VoxelArray } from '../core/volume.js';
import type { Connectivity } from './image.js';
import { RachisError } from '../core/errors.js';

export interface RunLabels {
  /** Run r covers x = start[r] .. end[r] (inclusive) of row rowOf[r] (row = j + ny·k). */
  start: Int32Array;
  end: Int32Array;
  rowOf: Int32Array;
  /** Root run of each run's component (after full path compression). */
  root: Int32Array;
  count: number;
}

/** Backward neighbour rows: [dy, dz, x-extension] per connectivity. */
const NEIGHBOUR_ROWS: Record<Connectivity, [number, number, number][]> = {
  6: [[-1, 0, 0], [0, -1, 0]],
  18: [[-1, 0, 1], [0, -1, 1], [-1, -1, 0], [1, -1, 0]],
  26: [[-1, 0, 1], [0, -1, 1], [-1, -1, 1], [1, -1, 1]],
};

class GrowableInt32 {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const g = new Int32Array(this.data.length * 2);
      g.set(this.data);
      this.data = g;
    }
    this.data[this.length++] = v;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const p = parent[parent[x]!]!;
    parent[x] = p;
    x = p;
  }
  return x;
}

/** Labels the runs of voxels where (data ≠ 0) === foreground. */
export function labelRuns(data: VoxelArray, size: Vec3, connectivity: Connectivity, foreground: boolean): RunLabels {
  const rows = NEIGHBOUR_ROWS[connectivity];
  if (!rows) throw new RachisError('INVALID_ARGUMENT', `connectivity must be 6, 18 or 26, got ${String(connectivity)}`);
  const [nx, ny, nz] = size;
  const nRows = ny * nz;
  const starts = new GrowableInt32();
  const ends = new GrowableInt32();
  const rowOfRun = new GrowableInt32();
  const rowFirst = new Int32Array(nRows + 1);
  for (let row = 0, p = 0; row < nRows; row++) {
    rowFirst[row] = starts.length;
    for (let i = 0; i < nx; i++, p++) {
      if ((data[p] !== 0) !== foreground) continue;
      const s = i;
      while (i + 1 < nx && (data[p + 1] !== 0) === foreground) {
        i++;
        p++;
      }
      starts.push(s);
      ends.push(i);
      rowOfRun.push(row);
    }
  }
  rowFirst[nRows] = starts.length;
  const start = starts.view();
  const end = ends.view();
  const count = start.length;
  const parent = new Int32Array(count);
  for (let r = 0; r < count; r++) parent[r] = r;

  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = j + ny * k;
      const a0 = rowFirst[row]!;
      const a1 = rowFirst[row + 1]!;
      if (a0 === a1) continue;
      for (const [dy, dz, ext] of rows) {
        const y = j + dy;
        const z = k + dz;
        if (y < 0 || y >= ny || z < 0) continue;
        const nrow = y + ny * z;
        let b = rowFirst[nrow]!;
        const b1 = rowFirst[nrow + 1]!;
        // Two-pointer sweep over both sorted run lists.
        for (let a = a0; a < a1 && b < b1; ) {
          if (end[b]! + ext < start[a]!) b++;
          else if (end[a]! + ext < start[b]!) a++;
          else {
            const ra = find(parent, a);
            const rb = find(parent, b);
            if (ra !== rb) {
              if (ra < rb) parent[rb] = ra;
              else parent[ra] = rb;
            }
            if (end[a]! < end[b]!) a++;
            else b++;
          }
        }
      }
    }
  }
  for (let r = 0; r < count; r++) parent[r] = find(parent, r);
  return { start, end, rowOf: rowOfRun.view(), root: parent, count };
}
