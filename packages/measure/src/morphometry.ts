/**
 * Vertebral body heights (anterior / middle / posterior) in each vertebra's own mid-sagittal
 * plane, and the Genant grade they imply. Method (clinical-reference §4.3, implementation synthesis):
 * 0. body = instance mask ∩ partMask "body", repaired (body-repair.ts): on real CT the marrow of an
 *    osteopenic body falls below the engine's bone threshold, and a line stopping at such a hole
 *    measured 11–18 mm on 33 mm bodies (example_ct L1, L4) and graded them as crush fractures;
 * 1. frame = centroid of the repaired body, column axis (chord between the
 *    neighbouring body centroids), anterior axis (from the whole-vertebra centroid, which sits in the
 *    posterior elements, to the body centroid), lateral = their cross product; on fine grids the
 *    frame is then turned in its sagittal plane to the line through the midpoints between the
 *    anterior and posterior walls (`wallAlignedFrame`: six-point heights run along the walls);
 * 2. AP depth at mid-height along the anterior axis; the middle height half-way between the walls;
 * 3. each height = endplate-to-endplate distance along the column axis (surfaces at the 0.5 level
 *    of the trilinearly interpolated mask, i.e. sub-voxel), median over the parallel sagittal
 *    planes within ±`planeHalfWidthMm` (trimmed mean: drops the extremes, averages the voxel staircase);
 *    a line that leaves the body into posterior-element voxels of the same vertebra runs on through
 *    them (≤ 9 mm, `archExtender`), and the endplate is then moved to the HU crossing on fine grids
 *    (`endplates`, endplate-hu.ts), moved in to the face of a plate thinner than the blur
 *    (`thinPlateCorrection`); where the endplate carries partial volume, each line's endplate
 *    follows the plate's HU centroid instead (plus half the plate's thickness), if that makes the
 *    height profile clearly smoother (`CENTRES_SMOOTHER`);
 * 4. anterior / posterior heights at the walls (the six-point corners): the height profile is
 *    sampled at 13 positions that stay `insetFraction` of the depth inside the walls (the rim and
 *    partial-volume voxels there are unreliable), fitted with a quadratic and read at the walls;
 * 5. each height is uncertain by ±e/√2 (e = voxel extent along the column axis): a binary mask puts
 *    an endplate somewhere in the voxel its edge crosses. A Genant grade whose loss ± the propagated
 *    uncertainty straddles a band is marked borderline. Why: a body whose endplates run nearly
 *    parallel to the voxel faces has integer-voxel heights in every column (phantom T11, true 23.27
 *    mm: 23 or 24 mm), and the wall fit turns that one-voxel step into a slope; the phantom's 22 %
 *    T12 wedge reads 19.4 % (Ha +0.50 mm) at 1 mm voxels, inside 15.2–23.6 %.
 */
import type { Vec3, Volume } from '@rachis/imaging';
import type { SpineSegmentation } from '@rachis/spine';
import { add, bodyOrArchSampler, cross, exitDistance, maskSampler, median, otherVertebraAt, solve3, unit, type Sampler } from './body-mask.js';
import { MAX_GAP_MM, prepareBodies, type RepairedBody } from './body-repair.js';
import { compactBoneHU, huEndplateRefiner, thinPlateCorrection, type EndplateHit, type EndplateRefiner } from './endplate-hu.js';
import { bodyMaskEvidence, unreliableMaskReason } from './mask-reliability.js';
export { vertebraFrame } from './frame.js';
import { GENANT_MILD_LOSS, gradeGenant, intactNeighbours, NEIGHBOUR_REACH, type VertebralHeights } from './genant.js';
import { measured, notMeasured, type HeightColumn, type MorphometryValue, type Provenance, type VertebraFrame, type VertebraMorphometry } from './types.js';

export interface MorphometryOptions {
  /**
   * 'walls': anterior/posterior heights at the walls, from a quadratic fitted to the height profile
   * sampled within the inset; 'linear': the straight line through the two inset columns, extended
   * to the walls; 'inset': read directly at the inset columns (biased: a wedge reads 2·inset of
   * its anterior–posterior difference short); 'auto' (default): walls when the voxels are ≤ 1.6 mm,
   * linear otherwise (a 2–3 mm staircase does not support a quadratic fit).
   */
  heightsAt?: 'walls' | 'linear' | 'inset' | 'auto';
  /** The profile (or the inset columns) stays this fraction of the AP depth inside the walls (doc: 10–15 %). */
  insetFraction?: number;
  /** Sagittal planes from −w to +w mm around the mid-sagittal plane. */
  planeHalfWidthMm?: number;
  planeStepMm?: number;
  /** Take body corners the engine labelled posterior elements back into the body (RepairOptions; default true). */
  absorbPosteriorParts?: boolean;
  /**
   * 'mask': endplates at the body-mask edge; 'hu' (needs the CT): the mask edge moved to the
   * half-way HU crossing between endplate cortex and disc (endplate-hu.ts); 'auto' (default): 'hu'
   * when the CT is given and its voxels are ≤ 1.6 mm, 'mask' otherwise
   * (eval:measure: on segmentSpineCT masks at 1–1.5 mm the HU edge is closer to the truth in every
   * phantom; at 3 mm the endplate is smeared over the slice and it is not).
   */
  endplates?: 'mask' | 'hu' | 'auto';
}

/** Largest change the wall extrapolation may make to the outermost measured height. */
const MAX_EXTRAPOLATION_MM = 3;
const MAX_EXTRAPOLATION_FRACTION = 0.25;
/** Above this voxel size the height profile is too coarsely quantised to extrapolate to the walls, and the HU endplate edge is no closer to the truth than the mask edge (the slice smears the endplate). */
export const FINE_GRID_MAX_MM = 1.6;

/** Voxels ≤ 1.6 mm (within 1 µm: DICOM spacings such as 1.6000000238 are 1.6 mm slices). */
export function isFineGrid(spacing: readonly number[]): boolean {
  return Math.max(...spacing) <= FINE_GRID_MAX_MM + 1e-3;
}

/** Which endplate edge the vertebrae are measured with (MorphometryOptions.endplates). */
export function resolveEndplates(spine: SpineSegmentation, options: MorphometryOptions, haveVolume: boolean): 'mask' | 'hu' {
  const e = options.endplates ?? 'auto';
  if (e !== 'auto') return e;
  return haveVolume && isFineGrid(spine.instanceMask.spacing) ? 'hu' : 'mask';
}

/** 'auto' (default): walls on grids of ≤ 1.6 mm, the linear extension of the inset columns on coarser grids (e.g. 3 mm). */
export function resolveHeightsAt(spine: SpineSegmentation, options: MorphometryOptions): 'walls' | 'linear' | 'inset' {
  const h = options.heightsAt ?? 'auto';
  if (h !== 'auto') return h;
  return isFineGrid(spine.instanceMask.spacing) ? 'walls' : 'linear';
}

/**
 * 'linear' wall heights: h(±1) from the columns at u = ±uMax extend the line by a = (1 − uMax)/(2·uMax)
 * of their difference; each read is (1 + a)·h_near − a·h_far, so its uncertainty grows by √((1+a)² + a²).
 */
function linearExtension(inset: number): { a: number; uncertaintyFactor: number } {
  const uMax = 1 - 2 * inset;
  const a = (1 - uMax) / (2 * uMax);
  return { a, uncertaintyFactor: Math.hypot(1 + a, a) };
}

const GRADED = /^(C[3-7]|T\d+|L\d)$/; // Genant SQ is used C3–L5; C1/C2 and the sacrum have no comparable body.
/** Mean without the lowest and highest value (when ≥ 5): robust like a median, but it averages the
 * voxel staircase of a tilted endplate across planes instead of snapping to one step. */
function trimmedMean(v: number[]): number {
  if (v.length < 5) return median(v);
  const s = [...v].sort((a, b) => a - b).slice(1, -1);
  return s.reduce((a, b) => a + b, 0) / s.length;
}

/**
 * Where a height line leaves the body mask into posterior-element voxels of the same vertebra, it
 * runs on through them (at most MAX_GAP_MM): along the column axis within the body's depth and
 * ±3 mm of its mid-sagittal plane there is no neural arch (the pedicles are lateral, the laminae
 * behind the canal), so those voxels are a body corner that the engine's body/arch split gave the
 * arch. On a tilted body the corner's image columns are oblique and the repair does not take it
 * back (1.5 mm kyphotic phantom T5 through segmentSpineCT: posterior 13.9 vs 18.9 mm, a false grade 2).
 */
export type ExitExtender = (pMm: Vec3, dir: Vec3, maskExitMm: number) => number;

function archExtender(whole: Sampler): ExitExtender {
  return (p, dir, t0) => {
    const t = exitDistance(whole, p, dir);
    return t !== undefined && t > t0 && t - t0 <= MAX_GAP_MM ? t : t0;
  };
}

/** One height line: where it leaves the body through the superior and the inferior endplate. */
interface LineHit {
  p: Vec3;
  up: EndplateHit;
  dn: EndplateHit;
}

function lineHits(sample: Sampler, f: VertebraFrame, t: number, offsets: number[], refine?: EndplateRefiner, extend?: ExitExtender): LineHit[] {
  const hits: LineHit[] = [];
  const down: Vec3 = [-f.superior[0], -f.superior[1], -f.superior[2]];
  for (const s of offsets) {
    const p = add(add(f.centreMm, f.lateral, s), f.anterior, t);
    let up = exitDistance(sample, p, f.superior);
    let dn = exitDistance(sample, p, down);
    if (up === undefined || dn === undefined) continue;
    if (extend) {
      up = extend(p, f.superior, up);
      dn = extend(p, down, dn);
    }
    hits.push({ p, up: refine ? refine(p, f.superior, up) : { edgeMm: up }, dn: refine ? refine(p, down, dn) : { edgeMm: dn } });
  }
  return hits;
}

/**
 * The plate centre → edge distance of one endplate: the median over all its lines of the HU edge
 * minus the plate centre. Each line's endplate is then its plate centre plus this distance, so the
 * edge keeps the half-way-crossing definition on average while its position along the body follows
 * the phase-independent plate centre (endplate-hu.ts, plateCentre).
 */
function plateToEdgeMm(hits: EndplateHit[]): number | undefined {
  const d = hits.flatMap((h) => (h.plateCentreMm === undefined ? [] : [h.edgeMm - h.plateCentreMm]));
  return d.length ? median(d) : undefined;
}

/**
 * An endplate's distance along its line. The plate-centre position stays within `maxShiftMm` of
 * the HU edge: the phase error it corrects is at most ~±0.3 of a voxel, and a line that meets
 * something else bright near the plate (a wall near the body's rim) must not move far.
 */
function endplateMm(hit: EndplateHit, plateToEdge: number | undefined, maxShiftMm: number): number {
  if (hit.plateCentreMm === undefined || plateToEdge === undefined) return hit.edgeMm;
  const t = hit.plateCentreMm + plateToEdge;
  return Math.min(hit.edgeMm + maxShiftMm, Math.max(hit.edgeMm - maxShiftMm, t));
}

function column(hits: LineHit[], f: VertebraFrame, upToEdge: number | undefined, dnToEdge: number | undefined, maxShiftMm: number): HeightColumn | undefined {
  if (hits.length === 0) return undefined;
  const down: Vec3 = [-f.superior[0], -f.superior[1], -f.superior[2]];
  const found = hits.map(({ p, up, dn }) => {
    const u = endplateMm(up, upToEdge, maxShiftMm);
    const d = endplateMm(dn, dnToEdge, maxShiftMm);
    return { h: u + d, sup: add(p, f.superior, u), inf: add(p, down, d) };
  });
  const h = trimmedMean(found.map((x) => x.h));
  const mid = [...found].sort((x, y) => Math.abs(x.h - h) - Math.abs(y.h - h))[0]!;
  return { heightMm: h, superiorPointMm: mid.sup, inferiorPointMm: mid.inf, planes: found.length };
}

/** Tilts of the body's walls against the neighbour axis below this are left alone; above the upper one the walls are irregular (a vessel on the front). */
const MIN_WALL_TILT_DEG = 2;
const MAX_WALL_TILT_DEG = 20;

/**
 * The frame turned in its sagittal plane to the body's own axis: the line through the midpoints
 * between the anterior and posterior walls at five heights (Theil–Sen slope). The neighbour chord
 * can lean ~10° on the body in a lordotic curve (IRCAD 1.1 L2: both walls shift 4 mm forward over
 * 20 mm), and a height line 10 % inside the posterior wall then leaves through the wall instead of
 * the endplate (Hp 22.6 against Hm 34.5 mm, a false crush). Six-point morphometry measures each
 * height between the corners, i.e. along the walls. Undefined when there is nothing to correct.
 */
function wallAlignedFrame(sample: Sampler, f: VertebraFrame): VertebraFrame | undefined {
  const down: Vec3 = [-f.superior[0], -f.superior[1], -f.superior[2]];
  const back: Vec3 = [-f.anterior[0], -f.anterior[1], -f.anterior[2]];
  const up = exitDistance(sample, f.centreMm, f.superior);
  const dn = exitDistance(sample, f.centreMm, down);
  if (up === undefined || dn === undefined) return undefined;
  const mids: [number, number][] = [];
  for (const k of [-0.3, -0.15, 0, 0.15, 0.3]) {
    const h = (up - dn) / 2 + k * (up + dn);
    const p = add(f.centreMm, f.superior, h);
    const a = exitDistance(sample, p, f.anterior);
    const b = exitDistance(sample, p, back);
    if (a !== undefined && b !== undefined) mids.push([h, (a - b) / 2]);
  }
  if (mids.length < 3) return undefined;
  const slopes: number[] = [];
  for (let i = 0; i < mids.length; i++) for (let j = i + 1; j < mids.length; j++) slopes.push((mids[j]![1] - mids[i]![1]) / (mids[j]![0] - mids[i]![0]));
  const slope = median(slopes);
  const deg = (Math.atan(Math.abs(slope)) * 180) / Math.PI;
  if (!(deg >= MIN_WALL_TILT_DEG && deg <= MAX_WALL_TILT_DEG)) return undefined;
  const superior = unit(add(f.superior, f.anterior, slope));
  const anterior = unit(add(f.anterior, f.superior, -slope));
  return { ...f, superior, anterior, lateral: cross(superior, anterior) };
}

/**
 * Plate centres replace the HU edges only where they make the height profile at least this much
 * smoother (RMS residual about its quadratic). Chosen on the phantoms (one-off runs): on
 * partial-volume endplates of tilted bodies the centres cut it to 0.44–0.75 of the edges'; on
 * binary voxel-centre endplates the two differ by noise (0.86–1.05) and the centres, which carry
 * no sub-voxel information there, moved single heights by up to 0.7 mm.
 */
const CENTRES_SMOOTHER = 0.8;

/** RMS residual of the quadratic fitted to the height profile (Infinity when it cannot be fitted). */
function profileRoughness(us: number[], at: (u: number) => HeightColumn | undefined): number {
  const pts = us.flatMap((u) => {
    const c = at(u);
    return c ? [{ u, h: c.heightMm }] : [];
  });
  const f = fitQuadratic(pts.map((x) => x.u), pts.map((x) => x.h));
  if (!f) return Infinity;
  return Math.sqrt(pts.reduce((a, { u, h }) => a + (h - f[0] - f[1] * u - f[2] * u * u) ** 2, 0) / pts.length);
}

/** Least-squares quadratic h(u) = c0 + c1·u + c2·u²; undefined when under-determined. */
function fitQuadratic(us: number[], hs: number[]): [number, number, number] | undefined {
  if (us.length < 4) return undefined;
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  us.forEach((u, i) => {
    for (let k = 0; k < 5; k++) S[k]! += u ** k;
    for (let k = 0; k < 3; k++) T[k]! += hs[i]! * u ** k;
  });
  return solve3([S[0]!, S[1]!, S[2]!, S[1]!, S[2]!, S[3]!, S[2]!, S[3]!, S[4]!], T);
}

/** Heights of one vertebral body (see the file comment for the method). */
export function measureVertebraHeights(
  spine: SpineSegmentation,
  body: RepairedBody,
  neighbourFrame: VertebraFrame,
  options: MorphometryOptions = {},
  volume?: Volume,
  instance?: number,
  compactBone?: number,
): { value?: MorphometryValue; reason?: string; caveats?: string[] } {
  // Only on fine grids: 2–3 mm voxels quantise the wall positions more than the tilt moves them.
  const sample = maskSampler(body.mask);
  const frame = (isFineGrid(spine.instanceMask.spacing) ? wallAlignedFrame(sample, neighbourFrame) : undefined) ?? neighbourFrame;
  const inset = options.insetFraction ?? 0.1;
  const w = options.planeHalfWidthMm ?? 3;
  const step = options.planeStepMm ?? 1;
  const back: Vec3 = [-frame.anterior[0], -frame.anterior[1], -frame.anterior[2]];
  const tAnt = exitDistance(sample, frame.centreMm, frame.anterior);
  const tPost = exitDistance(sample, frame.centreMm, back);
  if (tAnt === undefined || tPost === undefined) return { reason: 'body centroid is not inside the body mask (hollow or fragmented body)' };
  const depth = tAnt + tPost;
  const mid = (tAnt - tPost) / 2;
  const offsets: number[] = [];
  for (let s = -w; s <= w + 1e-9; s += step) offsets.push(s);
  const e = voxelAlongMm(spine, frame);
  const refine = volume && resolveEndplates(spine, options, true) === 'hu' ? huEndplateRefiner(volume, e, instance === undefined ? undefined : otherVertebraAt(spine, instance)) : undefined;
  const extend = instance !== undefined && (options.absorbPosteriorParts ?? true) ? archExtender(bodyOrArchSampler(spine, instance, body.mask, body.lo)) : undefined;
  const mode = resolveHeightsAt(spine, options);
  const uMax = 1 - 2 * inset;
  // Wall heights: the AP height profile sampled inside the walls (|u| ≤ 1 − 2·inset, where the rim
  // and partial-volume voxels do not disturb it), fitted by a quadratic and read at the walls (u = ±1).
  const profileUs = mode === 'walls' ? Array.from({ length: 13 }, (_, i) => ((i - 6) / 6) * uMax) : [uMax, -uMax];
  const lines = new Map<number, LineHit[]>();
  for (const u of [0, ...profileUs]) lines.set(u, lineHits(sample, frame, mid + (u * depth) / 2, offsets, refine, extend));
  // A plate thinner than the blur has its half-way HU crossing outside its face: the crossings of
  // each endplate move in by that offset, and its plate centres lie half the plate's thickness
  // inside it (thinPlateCorrection).
  const all = [...lines.values()].flat();
  const upPlate = refine && compactBone !== undefined ? thinPlateCorrection(all.map((l) => l.up), compactBone, e / 2) : undefined;
  const dnPlate = refine && compactBone !== undefined ? thinPlateCorrection(all.map((l) => l.dn), compactBone, e / 2) : undefined;
  const moveIn = (h: EndplateHit, shift = 0): EndplateHit => (h.huEdge && shift > 0 ? { ...h, edgeMm: h.edgeMm - shift } : h);
  for (const l of all) Object.assign(l, { up: moveIn(l.up, upPlate?.edgeShiftMm), dn: moveIn(l.dn, dnPlate?.edgeShiftMm) });
  // Plate centres are used where they make the height profile smoother than the HU edges do:
  // on a partial-volume endplate they remove the sampling saw-tooth; on a binary (voxel-centre)
  // endplate they carry no sub-voxel information and add the plate's one-or-two-voxel aliasing.
  const upToEdge = upPlate?.halfThicknessMm ?? plateToEdgeMm(all.map((l) => l.up));
  const dnToEdge = dnPlate?.halfThicknessMm ?? plateToEdgeMm(all.map((l) => l.dn));
  const profile = (withCentres: boolean) => (u: number) =>
    column(lines.get(u) ?? [], frame, withCentres ? upToEdge : undefined, withCentres ? dnToEdge : undefined, e / 4);
  const edgeRoughness = upToEdge !== undefined || dnToEdge !== undefined ? profileRoughness(profileUs, profile(false)) : Infinity;
  const withCentres = Number.isFinite(edgeRoughness) && profileRoughness(profileUs, profile(true)) <= CENTRES_SMOOTHER * edgeRoughness;
  const at = profile(withCentres);
  const middle = at(0);
  if (!middle) return { reason: 'the middle endplate-to-endplate line left the body mask (irregular mask)' };
  if (mode !== 'walls') {
    const ant = at(uMax);
    const post = at(-uMax);
    if (!ant || !post) return { reason: 'an endplate-to-endplate line left the body mask (irregular mask)' };
    if (mode === 'inset') return { value: { anterior: ant, middle, posterior: post, depthMm: depth, frame } };
    const { a } = linearExtension(inset);
    const d = ant.heightMm - post.heightMm;
    return {
      value: { anterior: { ...ant, heightMm: ant.heightMm + a * d }, middle, posterior: { ...post, heightMm: post.heightMm - a * d }, depthMm: depth, frame },
    };
  }
  const us: number[] = [];
  const cols: HeightColumn[] = [];
  for (const u of profileUs) {
    const c = at(u);
    if (!c) continue;
    us.push(u);
    cols.push(c);
  }
  const fit = fitQuadratic(us, cols.map((c) => c.heightMm));
  const first = cols[0];
  const last = cols[cols.length - 1];
  if (!fit || !first || !last || us[0]! > -uMax / 2 || us[us.length - 1]! < uMax / 2) {
    return { reason: 'the height profile across the body could not be sampled (irregular mask)' };
  }
  const h = (u: number): number => fit[0] + fit[1] * u + fit[2] * u * u;
  // Guard the extrapolation: an irregular profile (fragmented mask, coarse voxels) can make the
  // quadratic run away beyond the outermost sample; then the outermost measured height is used.
  const caveats: string[] = [];
  const wall = (u: number, edge: HeightColumn, side: string): HeightColumn => {
    const x = h(u);
    if (Number.isFinite(x) && Math.abs(x - edge.heightMm) <= Math.max(MAX_EXTRAPOLATION_MM, MAX_EXTRAPOLATION_FRACTION * edge.heightMm)) return { ...edge, heightMm: x };
    caveats.push(`${side} height profile irregular near the wall: the height ${Math.round(inset * 100)} % inside the wall is reported`);
    return edge;
  };
  return {
    value: { anterior: wall(1, last, 'anterior'), middle, posterior: wall(-1, first, 'posterior'), depthMm: depth, frame },
    caveats,
  };
}

/**
 * ± uncertainty of one height from a binary mask: each endplate lies somewhere inside the voxel
 * that the mask edge crosses (the mask carries no sub-voxel position), i.e. ±e/2 for the voxel
 * extent e along the column axis; two independent endplates give ±e/√2 (covers ~92 % of the
 * triangular sum). Perfect-mask phantoms: largest height error 0.97 mm at 1 and 1.5 mm voxels.
 */
export function heightUncertaintyMm(spine: SpineSegmentation, frame: VertebraFrame): number {
  return voxelAlongMm(spine, frame) / Math.SQRT2;
}

/** Extent of one voxel along the column axis (mm). */
export function voxelAlongMm(spine: SpineSegmentation, frame: VertebraFrame): number {
  const { direction: d, spacing: s } = spine.instanceMask;
  const up = frame.superior;
  let e = 0;
  for (let a = 0; a < 3; a++) e += s[a]! * Math.abs(d[a]! * up[0] + d[3 + a]! * up[1] + d[6 + a]! * up[2]);
  return e;
}

const heightsOf = (m: MorphometryValue): VertebralHeights => ({
  anteriorMm: m.anterior.heightMm,
  middleMm: m.middle.heightMm,
  posteriorMm: m.posterior.heightMm,
});

/** Heights and Genant grades for every vertebra of the segmentation, cranial → caudal. */
export function measureMorphometry(spine: SpineSegmentation, options: MorphometryOptions = {}, volume?: Volume): VertebraMorphometry[] {
  if (options.endplates === 'hu' && !volume) throw new RangeError("morphometry endplates: 'hu' needs the CT volume");
  const bodies = prepareBodies(spine, { absorbPosteriorParts: options.absorbPosteriorParts ?? true });
  const verts = [...spine.vertebrae].sort((a, b) => a.instance - b.instance);
  const inset = options.insetFraction ?? 0.1;
  const heightsAt = resolveHeightsAt(spine, options);
  const endplates = resolveEndplates(spine, options, volume !== undefined);
  const boneHU = volume && endplates === 'hu' ? compactBoneHU(volume, spine) : undefined;
  const walls = heightsAt === 'walls';
  const uncertaintyFactor = heightsAt === 'linear' ? linearExtension(inset).uncertaintyFactor : 1;
  const method =
    `body mask repaired first (holes, column gaps ≤ ${MAX_GAP_MM} mm, body corners labelled posterior elements); ` +
    `endplate-to-endplate distance along the column axis in the vertebra's mid-sagittal plane${endplates === 'hu' ? ' (endplates at the half-way HU crossing between endplate cortex and disc, within one voxel of the mask edge; for a plate thinner than the blur, moved in to its face: thickness = its HU excess over marrow / (the vertebra\'s 98th-percentile HU − marrow))' : ' (endplates at the body-mask edge)'}, trimmed mean over sagittal planes ±${options.planeHalfWidthMm ?? 3} mm; ` +
    (walls
      ? `anterior/posterior heights at the walls from a quadratic fit of the height profile sampled ${Math.round(inset * 100)} % of the AP depth inside them`
      : heightsAt === 'linear'
        ? `anterior/posterior heights at the walls on the straight line through the columns ${Math.round(inset * 100)} % of the AP depth inside them`
        : `anterior/posterior columns ${Math.round(inset * 100)} % of the AP depth inside the walls`);
  const raw = verts.map((v) => {
    const inputs = [`instanceMask = ${v.instance}`, 'partMask = 1 (vertebral body)', `label ${v.label}`];
    const body = bodies.get(v.instance);
    const p: Provenance = { method, inputs, caveats: [] };
    if (!body || body.original.indices.length < 50) return { v, p, reason: 'no vertebral-body voxels for this instance' };
    const frame = body.frame;
    const added = body.repaired.repairedVoxels - body.repaired.originalVoxels;
    // The repair is part of the method (above); only one large enough to change a height is a caveat.
    if (added >= 0.1 * body.repaired.repairedVoxels) p.caveats.push(`body mask repaired before measuring: ${added} voxels (${Math.round((100 * added) / body.repaired.repairedVoxels)} %) (holes, column gaps ≤ ${MAX_GAP_MM} mm, body corners labelled posterior elements) added`);
    if (frame.axisSource === 'image-superior') p.caveats.push('no neighbouring vertebra: column axis taken as the image superior axis');
    if (v.truncated) p.caveats.push('vertebra touches the edge of the field of view: heights may be cut');
    const r = measureVertebraHeights(spine, body.repaired, frame, options, volume, v.instance, boneHU?.get(v.instance));
    p.caveats.push(...(r.caveats ?? []));
    const h = r.value;
    if (h && ![h.anterior, h.middle, h.posterior].every((c) => Number.isFinite(c.heightMm) && c.heightMm > 1)) {
      return { v, p, reason: 'implausible height (< 1 mm): fragmented body mask' };
    }
    if (h) h.heightUncertaintyMm = uncertaintyFactor * heightUncertaintyMm(spine, h.frame);
    return { v, p, value: h, reason: r.reason };
  });
  const withinLoss = raw.map((r) => (r.value ? gradeGenant(heightsOf(r.value), {}, { level: r.v.label }).withinVertebraLoss : undefined));
  const evidence = raw.map((r, i) => {
    const b = bodies.get(r.v.instance);
    if (!b) return undefined;
    const h: [number, number, number] | undefined = r.value ? [r.value.anterior.heightMm, r.value.middle.heightMm, r.value.posterior.heightMm] : undefined;
    return bodyMaskEvidence(spine, r.v.label, b.original, b.repaired, verts[i - 1]?.instance, verts[i + 1]?.instance, h);
  });
  const unreliable = evidence.map((e, i) => (e ? unreliableMaskReason(e, evidence[i - 1], evidence[i + 1]) : undefined));
  return raw.map((r, i): VertebraMorphometry => {
    if (r.value && unreliable[i]) r.p.caveats.push(unreliable[i]);
    const heights = r.value ? measured(r.value, r.p) : notMeasured<MorphometryValue>(r.reason ?? 'not measured', r.p);
    const gp: Provenance = {
      method: 'Genant semi-quantitative grade from the height-loss fraction: max(1 − min/max of the three heights, loss vs the mean of intact neighbours; at L5 the middle and posterior heights are first divided by the normal L5 shape, Hm/Ha 0.934 and Hp/Ha 0.868 from Cook & Baker 2021); bands 20/25/40 % (Genant 1993 via Wáng, QIMS 2019); borderline when the loss ± its uncertainty (one voxel of endplate position) straddles a band',
      inputs: [`heights of ${r.v.label}`, `heights of the nearest intact vertebra above and below (within ${NEIGHBOUR_REACH} levels)`],
      caveats: ['area loss is not assessed; a grade from heights alone is a morphometric surrogate of the visual SQ grade'],
    };
    let reason: string | undefined;
    if (!r.value) reason = `heights not measured: ${r.reason}`;
    else if (!GRADED.test(r.v.label)) reason = `${r.v.label} is outside the levels Genant grading applies to (C3–L5)`;
    else if (r.v.truncated) reason = 'vertebra cut by the field of view';
    else if (spine.labelling.state === 'uncertain') reason = 'vertebral level labels are uncertain (clinical-reference §4.3: skip grading)';
    else if (unreliable[i]) reason = unreliable[i];
    if (reason || !r.value) return { label: r.v.label, instance: r.v.instance, heights, genant: notMeasured(reason ?? 'not measured', gp) };
    const nb = (j: number) => {
      const n = raw[j];
      const loss = withinLoss[j];
      return n?.value && !n.v.truncated && !unreliable[j] && loss !== undefined && loss < GENANT_MILD_LOSS ? heightsOf(n.value) : undefined;
    };
    const { above, below } = intactNeighbours(i, nb);
    const dh = r.value.heightUncertaintyMm ?? heightUncertaintyMm(spine, r.value.frame);
    const g = gradeGenant(heightsOf(r.value), { ...(above ? { above } : {}), ...(below ? { below } : {}) }, { heightUncertaintyMm: dh, level: r.v.label });
    if (g.gradeBorderline && g.heightLossRange && g.gradeRange) {
      const pc = (x: number) => `${(100 * x).toFixed(0)} %`;
      gp.caveats.push(`borderline grade: height loss ${pc(g.heightLoss)}, ${pc(g.heightLossRange[0])}–${pc(g.heightLossRange[1])} with ±${dh.toFixed(1)} mm per height (endplates located to one voxel); grade ${g.gradeRange[0]} or ${g.gradeRange[1]}`);
    }
    if (!above && !below) gp.caveats.push('no intact neighbour measured: a uniform (crush) height loss cannot be detected');
    // On coarse grids (> 1.6 mm, no sub-voxel wall fit) one voxel of endplate position on the
    // shortest height moves the loss by s / min(H): ~10 percentage points at 3 mm, wider than the
    // grade-1 band (20–25 %).
    const voxelPp = (100 * Math.max(...spine.instanceMask.spacing)) / Math.min(...Object.values(heightsOf(r.value)));
    if (!walls && voxelPp >= 5) gp.caveats.push(`${Math.max(...spine.instanceMask.spacing).toFixed(1)} mm voxels: one voxel of endplate position changes the height loss by ~${Math.round(voxelPp)} percentage points; a grade 1 (20–25 %) is not resolved at this voxel size`);
    return { label: r.v.label, instance: r.v.instance, heights, genant: measured(g, gp) };
  });
}
