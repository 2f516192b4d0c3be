/**
 * Is a vertebral-body mask good enough to grade a fracture from? A Genant grade is a statement
 * about bone; a segmentation failure (a body merged with its neighbour across an unsegmented disc,
 * or a small ragged fragment where the engine lost most of the body) produces the same low height
 * ratios as a fracture. Such a body gets "not graded" with the reason instead of a grade.
 *
 * The rules need evidence of a failure in the mask itself, not only a low height, so a real
 * fracture on a clean mask (phantom wedge/biconcave/crush, 20–45 % loss) is still graded:
 * 1. merged: its body shares a face with a neighbour's body over ≥ 50 % of its mean axial
 *    cross-section — there is no disc between them over half the endplate, so the endplate between
 *    the two is the engine's guess;
 * 2. small and ragged: volume < 60 % of each measured neighbour's AND the mask is ragged (≥ 15 % of
 *    the measured mask had to be filled in, or the raw mask is split into pieces with < 85 % in the
 *    largest). A real grade-3 crush keeps ~55–60 % of the volume on a solid mask;
 * 3. implausibly tall: the tallest height exceeds 1.6 × the neighbours' mean tallest height, or
 *    50 mm (adult lumbar bodies are ~20–30 mm, clinical-reference §8.2): a disc or part of a
 *    neighbour is inside the mask;
 * 4. middle taller than both walls by > 15 %: endplates are flat or concave (clinical-reference
 *    §8.2: 1.5 / 0.7 mm concavity), so a body whose middle is the tallest is missing a corner in
 *    the mask (the demo phantom's low-density L1 loses its posterior-superior third) — grading it
 *    would call a wedge "normal" or a normal body "crushed".
 */
import type { SpineSegmentation } from '@rachis/spine';
import { PART_BODY, type BodyVoxels } from './body-mask.js';
import type { RepairedBody } from './body-repair.js';

export const MERGED_CONTACT_FRACTION = 0.5;
export const SMALL_VOLUME_FRACTION = 0.6;
export const RAGGED_FILLED_FRACTION = 0.15;
export const RAGGED_LARGEST_PIECE = 0.85;
export const TALL_VS_NEIGHBOURS = 1.6;
export const MAX_BODY_HEIGHT_MM = 50;
export const MIDDLE_OVER_WALLS = 1.15;

export interface BodyMaskEvidence {
  label: string;
  /** Repaired (measured) mask volume, mm³. */
  volumeMm3: number;
  /** Share of the measured mask that the repair added (holes, gaps, relabelled corners). */
  filledFraction: number;
  /** Share of the raw body voxels in the largest 6-connected piece. */
  largestPieceFraction: number;
  /** Mean axial cross-section of the measured mask, mm² (volume / extent along the column axis). */
  meanSectionMm2: number;
  /** Face area shared with the body of the vertebra above / below, mm². */
  contactAboveMm2: number;
  contactBelowMm2: number;
  /** Tallest of Ha, Hm, Hp when measured. */
  maxHeightMm?: number;
  /** Ha, Hm, Hp when measured. */
  heightsMm?: [number, number, number];
}

/** Evidence for one body; `above`/`below` are the neighbouring instances (or undefined). */
export function bodyMaskEvidence(spine: SpineSegmentation, label: string, body: BodyVoxels, repaired: RepairedBody, above: number | undefined, below: number | undefined, heightsMm?: [number, number, number]): BodyMaskEvidence {
  const g = spine.instanceMask;
  const [nx, ny, nz] = g.size;
  const [sx, sy, sz] = g.spacing;
  const faceMm2 = [sy * sz, sx * sz, sx * sy];
  let contactAbove = 0, contactBelow = 0;
  for (const idx of body.indices) {
    const i = idx % nx, j = Math.floor(idx / nx) % ny, k = Math.floor(idx / (nx * ny));
    const steps: [number, boolean, number][] = [[1, i < nx - 1, 0], [-1, i > 0, 0], [nx, j < ny - 1, 1], [-nx, j > 0, 1], [nx * ny, k < nz - 1, 2], [-nx * ny, k > 0, 2]];
    for (const [d, ok, a] of steps) {
      if (!ok || spine.partMask.data[idx + d] !== PART_BODY) continue;
      const n = g.data[idx + d];
      if (n === above) contactAbove += faceMm2[a]!;
      else if (n === below) contactBelow += faceMm2[a]!;
    }
  }
  const m = repaired.mask;
  const stride = [1, m.size[0], m.size[0] * m.size[1]];
  const slices = new Set<number>();
  m.data.forEach((x, q) => {
    if (x) slices.add(Math.floor(q / stride[repaired.axis]!) % m.size[repaired.axis]);
  });
  const voxelMm3 = sx * sy * sz;
  const volumeMm3 = repaired.repairedVoxels * voxelMm3;
  return {
    label,
    volumeMm3,
    filledFraction: (repaired.repairedVoxels - repaired.originalVoxels) / repaired.repairedVoxels,
    largestPieceFraction: largestPiece(body, g.size) / body.indices.length,
    meanSectionMm2: volumeMm3 / (slices.size * g.spacing[repaired.axis]),
    contactAboveMm2: contactAbove,
    contactBelowMm2: contactBelow,
    ...(heightsMm ? { heightsMm, maxHeightMm: Math.max(...heightsMm) } : {}),
  };
}

/** Voxels in the largest 6-connected piece of the body. */
function largestPiece(body: BodyVoxels, size: readonly number[]): number {
  const [nx, ny] = size as [number, number];
  const inBody = new Set(body.indices);
  const seen = new Set<number>();
  let best = 0;
  for (const start of body.indices) {
    if (seen.has(start)) continue;
    seen.add(start);
    const stack = [start];
    let n = 0;
    while (stack.length) {
      const p = stack.pop()!;
      n++;
      const i = p % nx, j = Math.floor(p / nx) % ny;
      for (const [q, ok] of [[p + 1, i < nx - 1], [p - 1, i > 0], [p + nx, j < ny - 1], [p - nx, j > 0], [p + nx * ny, true], [p - nx * ny, true]] as [number, boolean][]) {
        if (ok && inBody.has(q) && !seen.has(q)) {
          seen.add(q);
          stack.push(q);
        }
      }
    }
    best = Math.max(best, n);
  }
  return best;
}

/** Why this body's mask cannot support a fracture grade, or undefined when it can. */
export function unreliableMaskReason(e: BodyMaskEvidence, above?: BodyMaskEvidence, below?: BodyMaskEvidence): string | undefined {
  const pct = (x: number) => `${Math.round(100 * x)} %`;
  for (const [contact, n] of [[e.contactAboveMm2, above], [e.contactBelowMm2, below]] as const) {
    const f = contact / e.meanSectionMm2;
    if (f >= MERGED_CONTACT_FRACTION) {
      return `body mask unreliable: it shares ${Math.round(contact)} mm² of surface with the body of ${n?.label ?? 'its neighbour'} (${pct(f)} of its mean cross-section, ${Math.round(e.meanSectionMm2)} mm²): no disc is segmented between them, so the endplate between them is not known`;
    }
  }
  const nbs = [above, below].filter((n): n is BodyMaskEvidence => n !== undefined);
  const ragged = e.filledFraction >= RAGGED_FILLED_FRACTION || e.largestPieceFraction < RAGGED_LARGEST_PIECE;
  if (nbs.length > 0 && ragged && nbs.every((n) => e.volumeMm3 < SMALL_VOLUME_FRACTION * n.volumeMm3)) {
    const why = e.largestPieceFraction < RAGGED_LARGEST_PIECE ? `split into pieces (largest ${pct(e.largestPieceFraction)})` : `hollow (${pct(e.filledFraction)} filled in)`;
    return `body mask unreliable: ${pct(e.volumeMm3 / Math.min(...nbs.map((n) => n.volumeMm3)))} of the smaller neighbour's volume and ${why} — a segmentation failure, not evidence of a fracture`;
  }
  const h = e.maxHeightMm;
  const nbH = nbs.map((n) => n.maxHeightMm).filter((x): x is number => x !== undefined);
  if (h !== undefined && (h > MAX_BODY_HEIGHT_MM || (nbH.length > 0 && h > TALL_VS_NEIGHBOURS * (nbH.reduce((a, b) => a + b, 0) / nbH.length)))) {
    return `body mask unreliable: height ${h.toFixed(1)} mm is implausible for one vertebral body (neighbours ${nbH.map((x) => x.toFixed(1)).join(', ') || 'not measured'} mm): a disc or part of a neighbour is in the mask`;
  }
  if (e.heightsMm) {
    const [ha, hm, hp] = e.heightsMm;
    if (hm > MIDDLE_OVER_WALLS * Math.max(ha, hp)) {
      return `body mask unreliable: the middle height (${hm.toFixed(1)} mm) exceeds both wall heights (${ha.toFixed(1)}, ${hp.toFixed(1)} mm) by more than ${Math.round(100 * (MIDDLE_OVER_WALLS - 1))} %; endplates are flat or concave, so a corner of the body is missing from the mask`;
    }
  }
  return undefined;
}
