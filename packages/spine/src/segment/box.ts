/**
 * Index bounding box (inclusive, grown by one voxel and clamped) of the labelled voxels: the
 * spine fills a small part of a large input, and the passes at the input resolution only need to
 * look there.
 */
export type Box = { lo: [number, number, number]; hi: [number, number, number] };

export function labelledBox(size: readonly [number, number, number], instance: Uint8Array): Box {
  const [nx, ny] = size;
  const lo: [number, number, number] = [Infinity, Infinity, Infinity];
  const hi: [number, number, number] = [-1, -1, -1];
  for (let p = 0; p < instance.length; p++) {
    if (!instance[p]) continue;
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    if (i < lo[0]) lo[0] = i;
    if (i > hi[0]) hi[0] = i;
    if (j < lo[1]) lo[1] = j;
    if (j > hi[1]) hi[1] = j;
    if (k < lo[2]) lo[2] = k;
    if (k > hi[2]) hi[2] = k;
  }
  if (hi[0] < 0) return { lo: [0, 0, 0], hi: [-1, -1, -1] };
  return {
    lo: [Math.max(0, lo[0] - 1), Math.max(0, lo[1] - 1), Math.max(0, lo[2] - 1)],
    hi: [Math.min(size[0] - 1, hi[0] + 1), Math.min(size[1] - 1, hi[1] + 1), Math.min(size[2] - 1, hi[2] + 1)],
  };
}
