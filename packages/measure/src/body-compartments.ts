/**
 * Compartments of one axial CT slice for body composition (see body-composition.ts for the windows):
 * subcutaneous fat, the region inside it, and skeletal muscle, from HU connectivity and anatomy.
 * 1. body = largest connected region > −500 HU, holes filled;
 * 2. subcutaneous compartment = fat-window pixels connected (4-neighbour) to fat within `skinMm` of
 *    the body edge: the abdominal wall muscle stops the growth.
 * 3. inner region = the body inside the subcutaneous compartment;
 * 4. skeletal muscle comes from three anatomical places only:
 *    (a) the abdominal / posterior wall: a sheet at the edge of the inner region, no thicker than
 *        WALL_THICKNESS_FACTOR × the wall band's median half-thickness (liver, spleen, kidney and
 *        bowel pressed on the wall make it look thick, so their depth is cut off);
 *    (b, c) the spine zone: behind the front of the vertebral body and no further from the midline
 *        than the vertebra's own lateral extent on the slice + `spineMarginMm` — psoas, quadratus
 *        lumborum and the paraspinals lie here, kidneys, liver and spleen lie lateral to it;
 *    candidate pixels count when, after a 2 mm opening (cuts thin contacts with bowel and vessels),
 *    they connect to the wall band or touch the vertebra behind its centroid; the opening is then undone;
 *    Wall gaps let skin-grown fat leak into the abdomen: step 2 keeps only the fat of a shell under
 *    the skin whose thickness is smoothed over angle (subcutaneous-shell.ts).
 */
import {
  close, connectedComponents, dilate, distanceInside, fillHoles, open, pad, threshold,
  type Image, type Mask, type Vec3, type Volume,
} from '@rachis/imaging';
import { limitToShell, type ShellOptions } from './subcutaneous-shell.js';

/** Wall pixels may be this many times thicker than the wall band's median half-thickness (heuristic). */
const WALL_THICKNESS_FACTOR = 2;

export interface CompartmentOptions {
  skinMm?: number;
  /** Muscle-window pixels within this depth of the inner region's edge seed the abdominal wall. */
  wallBandMm?: number;
  /** Outside the spine zone, muscle is only accepted within this depth of the inner region's edge. */
  wallMaxMm?: number;
  /** Half AP depth of the vertebral body used to place its anterior surface (mm). */
  bodyHalfDepthMm?: number;
  /** In front of the body's centroid, the spine zone reaches this far beyond the vertebra's lateral extent on the slice (mm). */
  spineMarginMm?: number;
  /** Behind the body's centroid (quadratus lumborum), the spine zone reaches this far beyond it (mm). */
  spineBackMarginMm?: number;
  openMm?: number;
  /** Closing radius that shuts the vertebral arch so the canal is never muscle (mm). */
  canalCloseMm?: number;
  /** Cut skin-grown fat that leaked through wall gaps (subcutaneous-shell.ts); false = off. */
  shell?: ShellOptions | false;
}

export interface Compartments {
  body: Mask;
  /** Fat-window (SAT/IMAT window) pixels of the body. */
  fat: Mask;
  /** Subcutaneous compartment (fat-window pixels outside the wall). */
  sat: Mask;
  inner: Mask;
  muscle: Mask;
}

export const and = (a: Mask, b: Mask, not = false): Mask => ({ ...a, data: a.data.map((v, i) => (v && (not ? !b.data[i] : b.data[i]) ? 1 : 0)) });
export const flat = (r: number): Vec3 => [r, r, 0];

/** 2-D hole filling on a one-slice mask: pad with foreground above and below so only in-plane borders seed. */
export function fillHoles2D(m: Mask): Mask {
  const filled = fillHoles(pad(m, [0, 0, 1], [0, 0, 1], 1));
  const n = m.size[0] * m.size[1];
  return { ...m, data: filled.data.slice(n, 2 * n) };
}

export function keepComponents(m: Mask, keep: (id: number) => boolean, labels: Image<Int32Array>): Mask {
  return { ...m, data: Uint8Array.from(labels.data, (id) => (id > 0 && keep(id) ? 1 : 0)) };
}

function largest(m: Mask): Mask {
  const cc = connectedComponents(m, 6);
  return keepComponents(m, (id) => id === 1, cc.labels);
}

/** Components of `m` (4-neighbour) that contain at least one pixel of `seeds`. */
function touching(m: Mask, seeds: Mask): Mask {
  const cc = connectedComponents(m, 6);
  const hit = new Set<number>();
  cc.labels.data.forEach((id, i) => {
    if (id > 0 && seeds.data[i]) hit.add(id);
  });
  return keepComponents(m, (id) => hit.has(id), cc.labels);
}

/**
 * @param slice one axial CT slice (HU), size [nx, ny, 1]
 * @param bone vertebra mask on the same slice (non-zero = vertebra)
 * @param bodyCentroidMm the vertebral body centroid (LPS mm)
 * @param fatHU / muscleHU windows, inclusive
 */
export function sliceCompartments(
  slice: Volume, bone: Image, bodyCentroidMm: Vec3, fatHU: [number, number], muscleHU: [number, number], o: CompartmentOptions = {},
): Compartments {
  const [nx] = slice.size;
  const sx = slice.spacing[0], sy = slice.spacing[1], d = slice.direction;
  const worldXY = (i: number): [number, number] => {
    const ci = i % nx, cj = Math.floor(i / nx);
    return [slice.origin[0] + d[0] * sx * ci + d[1] * sy * cj, slice.origin[1] + d[3] * sx * ci + d[4] * sy * cj];
  };
  const body = fillHoles2D(largest(threshold(slice, -500, Number.POSITIVE_INFINITY)));
  const fat = and(threshold(slice, fatHU[0], fatHU[1]), body);
  const soft = and(threshold(slice, muscleHU[0], muscleHU[1]), body);
  const depth = distanceInside(body);
  const skinMm = o.skinMm ?? 5;
  const skinSeeds: Mask = { ...fat, data: fat.data.map((f, i) => (f && depth.data[i]! <= skinMm ? 1 : 0)) };
  const wallBand = o.wallBandMm ?? 8;
  const wallMax = o.wallMaxMm ?? 20;
  const openMm = o.openMm ?? 2;
  // Vertebrae and what they enclose (canal) are never muscle.
  const boneMask: Mask = { ...body, data: Uint8Array.from(bone.data, (x) => (x ? 1 : 0)) };
  // The canal can be open behind at this slice: close the vertebra before filling it.
  const boneRegion = dilate(fillHoles2D(close(boneMask, flat(o.canalCloseMm ?? 6))), flat(1));
  const [xc, yc] = bodyCentroidMm;
  const yFront = yc - (o.bodyHalfDepthMm ?? 15); // anterior surface of the body (LPS: +y is posterior)
  let halfWidth = 0;
  boneMask.data.forEach((b, i) => {
    if (b) halfWidth = Math.max(halfWidth, Math.abs(worldXY(i)[0] - xc));
  });
  // Psoas hugs the body (narrow margin); quadratus lumborum reaches further out behind the body's centroid.
  const frontHalfWidth = halfWidth + (o.spineMarginMm ?? 10);
  const backHalfWidth = halfWidth + (o.spineBackMarginMm ?? 20);
  const spineZone = Uint8Array.from(body.data, (_, i) => {
    const [x, y] = worldXY(i);
    return y >= yFront && Math.abs(x - xc) <= (y >= yc ? backHalfWidth : frontHalfWidth) ? 1 : 0;
  });
  const near = dilate(boneMask, flat(3));

  const muscleInside = (sat: Mask): { inner: Mask; muscle: Mask } => {
    const innerRaw: Mask = { ...body, data: body.data.map((b, i) => (b && !sat.data[i] && depth.data[i]! > 2 ? 1 : 0)) };
    const inner = fillHoles2D(largest(innerRaw));
    const innerDepth = distanceInside(inner);
    // Local thickness = distance to the nearest non-muscle-window pixel.
    const softIn: Mask = { ...inner, data: soft.data.map((x, i) => (x && inner.data[i] && !boneRegion.data[i] ? 1 : 0)) };
    const thick = distanceInside(softIn);
    const bandThick: number[] = [];
    softIn.data.forEach((x, i) => {
      if (x && innerDepth.data[i]! <= wallBand && !spineZone[i]) bandThick.push(thick.data[i]!);
    });
    bandThick.sort((a, b) => a - b);
    const maxThick = WALL_THICKNESS_FACTOR * (bandThick[bandThick.length >> 1] ?? wallMax) + Math.max(sx, sy);
    const candidate: Mask = {
      ...inner,
      data: softIn.data.map((x, i) => (x && (spineZone[i] || (innerDepth.data[i]! <= wallMax && thick.data[i]! <= maxThick)) ? 1 : 0)),
    };
    // Seeds: the wall band, and pixels next to the vertebra behind its centroid (psoas, paraspinals; not the aorta / IVC).
    const seeds: Mask = {
      ...inner,
      data: candidate.data.map((c, i) => (c && (innerDepth.data[i]! <= wallBand || (near.data[i] && worldXY(i)[1] >= yc - 5)) ? 1 : 0)),
    };
    const core = touching(open(candidate, flat(openMm)), seeds);
    return { inner, muscle: and(candidate, dilate(core, flat(openMm + 0.5))) };
  };

  const grown = touching(fat, skinSeeds);
  const sat = o.shell === false ? grown : touching(limitToShell(grown, body, fat, soft, boneRegion, o.shell), skinSeeds);
  return { body, fat, sat, ...muscleInside(sat) };
}
