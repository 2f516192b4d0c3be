/**
 * segmentSpineCT: classical CT spine engine. Bone threshold → spinal canal (enclosed soft tissue
 * traced through the slices) → enhanced vessels erased (vessels.ts) → vertebral bodies as the
 * bone components in front of the canal (discs are not bone; fused bodies are cut at their disc,
 * long fused runs at every disc of their profile, runs.ts) → vertebra instances by geodesic
 * growth from each body through bone, plus the arch of the vertebra above the top edge (edge.ts)
 * → labels from anatomy (ribs, sacrum) with explicit uncertainty. Detection runs on an
 * isotropic work grid (default 2 mm); masks are mapped back to the input grid and refined there
 * (refine.ts: rim peeled, hollow bodies filled, L5 and S1 divided at their disc's two endplate
 * planes (disc-split.ts), and disc peeled off the body ends).
 * Pure: no I/O, no console.
 */
import { RachisError, resampleToGeometry } from '@rachis/imaging';
import type { Geometry, LabelMap, Vec3, Volume } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE } from '../types.js';
import type { DiscResult, LabelOverride, SegmentSpineOptions, SpineSegmentation, VertebraName, VertebraResult } from '../types.js';
import { detectCanal } from './canal.js';
import { detectVessels, eraseVessels } from './vessels.js';
import { buildColumn } from './column.js';
import { bodyFromVoxels, bodyWidthMm, detectBodies } from './bodies.js';
import { cranioCaudalAxis, makeWorkGrid, toWorld } from './grid.js';
import type { WorkGrid } from './grid.js';
import type { Body } from './bodies.js';
import { buildInstances } from './instances.js';
import { axialHeight, mergeSacrum, pitchGaps, tallBodies } from './merge.js';
import { combineDetections, joinHalves, repairFragments } from './hybrid.js';
import { refineAtInputResolution } from './refine.js';
import { splitCaudalRun, splitLongRuns } from './runs.js';
import { findEdgeArch } from './edge.js';
import { labelsFromOverride, labelVertebrae } from './labelling.js';
import type { Observation } from './labelling.js';

export const ALGORITHM = { name: 'rachis-classical-ct-spine', version: '0.1.0' } as const;
/** Bone volume (mL, 2 mm grid) reached ≥ 60 mm lateral of the canal that counts as a rib. */
const RIB_ML = 0.5;
/** Rib heads lie up to this far (mm) above a thoracic body's upper endplate (they articulate at the disc above). */
const RIB_HEAD_MM = 10;
/** Bone volume (mL) ≥ 40 mm lateral within the bottom vertebra's height that marks the sacrum (alae + ilium). */
const SACRUM_WING_ML = 20;
/** Centroid gap (in median vertebral pitches) beyond which a level may have been missed. */
const MISSED_LEVEL_PITCHES = 1.6;
/** Height along the column (× the median of two neighbours on either side) that suggests a fused pair (a normal body is within ~1.25× its neighbours, tilted ones included). */
const FUSED_HEIGHT_RATIO = 1.4;

function checkInput(volume: Volume, options: SegmentSpineOptions): number {
  const mod = volume.meta.modality;
  if (mod !== undefined && mod !== 'CT') throw new RachisError('WRONG_MODALITY', `spine CT engine needs a CT, got modality ${mod}`);
  const ws = options.workingSpacingMm ?? 2;
  if (!(ws >= 0.5 && ws <= 4)) throw new RachisError('INVALID_ARGUMENT', `workingSpacingMm must be within 0.5..4 mm, got ${ws}`);
  // Slice spacing = spacing of the axis that points most cranio-caudally.
  const zAxis = cranioCaudalAxis(volume.direction);
  const sliceMm = volume.spacing[zAxis]!;
  if (sliceMm > 5) throw new RachisError('INVALID_ARGUMENT', `slice spacing ${sliceMm.toFixed(2)} mm is too coarse for vertebra detection (max 5 mm)`);
  if (volume.size[zAxis]! * sliceMm < 30) throw new RachisError('NO_SPINE', `the scan covers only ${(volume.size[zAxis]! * sliceMm).toFixed(0)} mm cranio-caudally: too short to find a vertebra`);
  return ws;
}

function gridVector(g: WorkGrid, v: Vec3): Vec3 {
  const m = g.geometry.direction;
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

function toInput(g: WorkGrid, data: Uint8Array, target: Geometry): Uint8Array {
  const img = { ...g.geometry, data };
  return resampleToGeometry(img, target, 'nearest', 0).data;
}

export async function segmentSpineCT(volume: Volume, options: SegmentSpineOptions = {}): Promise<SpineSegmentation> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };
  const ws = checkInput(volume, options);
  const warnings: string[] = [];
  if (!volume.meta.contrastAgent) warnings.push('contrast phase unknown: no Contrast/Bolus Agent recorded (trabecular HU rises ~10–25 HU with enhancement)');
  const g = makeWorkGrid(volume, ws);
  lap('resample');
  const canal = detectCanal(g);
  if (canal.k1 - canal.k0 < 25 / ws) throw new RachisError('NO_SPINE', 'no spinal canal found: no soft-tissue channel enclosed by bone runs through the slices');
  lap('canal');
  const col = buildColumn(g, canal);
  // Enhanced vessels touching a body would join it (and the levels above and below) as bone:
  // from here on the work grid reads their lumen as unenhanced blood.
  eraseVessels(g, detectVessels(g, canal));
  const plain = detectBodies(g, canal, col);
  // Low-density bodies (hollow cortical shells on the work grid) are found whole only with their
  // ring-enclosed marrow; the plain detection's disc gaps then divide what the rings fused.
  const ring = detectBodies(g, canal, col, true);
  const combined = combineDetections(ring.bodies, plain.bodies, g, ring.columnPos);
  const repaired = joinHalves(repairFragments(combined, g, ring.columnPos), g, ring.columnPos, (b) => axialHeight(b, g, col));
  const found = splitLongRuns(repaired, g, ring.columnPos);
  if (found.length === 0) throw new RachisError('NO_SPINE', 'a canal was found but no vertebral body in front of it');
  if (found.length > plain.bodies.length) warnings.push('some vertebral bodies were found only from their cortical ring (low trabecular density?)');
  lap('bodies');
  // The ring detection's filled bone contains the plain one's, plus the enclosed marrow.
  const instancesOf = (b: Body[]) => {
    const inst = buildInstances(g, canal, b, ring.filledBone, ring.columnPos);
    return { inst, ...mergeSacrum(b, inst, SACRUM_WING_ML, g.nx, g.ny, g.sp, RIB_ML) };
  };
  let built = instancesOf(found);
  // A tall caudal body is left whole above as the likely sacrum; without sacral evidence it is a
  // lumbar run (the scan ends above the sacrum), and every level above it would be labelled one
  // or more too high: cut it at its discs and measure the pieces' evidence again.
  const cut = built.sacrum ? undefined : splitCaudalRun(found, g, ring.columnPos);
  if (cut) built = instancesOf(cut);
  const { inst, bodies, sacrum: hasSacrum } = built;
  // The arch of the vertebra above the top edge (no body in view) becomes instance 1.
  const edge = findEdgeArch(g, canal, ring.filledBone, inst.instance, inst.part, bodies[0]!.k0);
  const archOnly = edge ? 1 : 0;
  if (edge) {
    for (let p = 0; p < inst.instance.length; p++) if (inst.instance[p]) inst.instance[p]! += 1;
    for (const p of edge.voxels) inst.instance[p] = 1;
    bodies.unshift({ ...bodyFromVoxels(edge.voxels, g, ring.columnPos), truncated: true });
    inst.evidence.unshift({ lateralLeftMl: 0, lateralRightMl: 0, wingMl: 0, looseRibLeftMl: 0, looseRibRightMl: 0, voxels: edge.voxels.length });
  }
  lap('instances');
  const obs: Observation[] = bodies.map((b, i) => {
    if (i < archOnly) return { ribs: 'unknown', sacrum: 'no' };
    const e = inst.evidence[i]!;
    // No rib is evidence only where the rib heads would be in view: they articulate at the upper
    // disc, so a body whose upper endplate lies within RIB_HEAD_MM of the top of the scan may have
    // ribs above the field of view.
    const headsCut = i === archOnly && (g.nz - 1 - b.k1) * g.sp < RIB_HEAD_MM;
    const ribs = Math.max(e.lateralLeftMl, e.lateralRightMl, e.looseRibLeftMl, e.looseRibRightMl) >= RIB_ML ? 'yes' : b.truncated || headsCut ? 'unknown' : 'no';
    const bottom = i === bodies.length - 1;
    const sacrum = bottom && hasSacrum ? 'yes' : bottom ? 'unknown' : 'no';
    return { ribs: sacrum === 'yes' ? 'unknown' : ribs, sacrum, bodyWidthMm: bodyWidthMm(b, g, 0.5) };
  });
  const lab = labelVertebrae(obs);
  if (edge) lab.evidence[0]!.push('posterior elements only (laminae, spinous process): the body is above the field of view; separated from the vertebra below at its interlaminar gap');
  // The consistency checks below compare bodies: the arch-only vertebra has none.
  const withBody = bodies.slice(archOnly);
  // Never skip a level silently: a gap of well over one pitch along the column may hide a
  // vertebra that was not found (e.g. very low density), so the labels below it may be shifted.
  // (The sacrum's centroid lies well below its S1 body, so the gap above it is not a pitch.)
  for (const raw of pitchGaps(withBody, MISSED_LEVEL_PITCHES, ws)) {
    const gap = { ...raw, index: raw.index + archOnly };
    if (obs[gap.index + 1]!.sacrum === 'yes') continue;
    lab.confident = false;
    warnings.push(`possible missed vertebra between ${lab.labels[gap.index]} and ${lab.labels[gap.index + 1]}: ${gap.gapMm.toFixed(0)} mm apart, median spacing ${gap.medianMm.toFixed(0)} mm`);
    lab.evidence[gap.index]!.push(`next vertebra ${gap.gapMm.toFixed(0)} mm below (median spacing ${gap.medianMm.toFixed(0)} mm): a level may be missing`);
  }
  // Nor merge two levels silently: a body much taller along the column than its neighbours may be
  // two bodies whose disc was not found, and every label above it would be one level off.
  for (const i of tallBodies(withBody, FUSED_HEIGHT_RATIO, (b) => axialHeight(b, g, col)).map((x) => x + archOnly)) {
    if (obs[i]!.sacrum === 'yes' || i === bodies.length - 1) continue;
    lab.confident = false;
    warnings.push(`${lab.labels[i]} is much taller than its neighbours: possibly two vertebrae segmented as one`);
    lab.evidence[i]!.push('much taller than its neighbours along the column: may be two vertebrae');
  }
  lap('labelling');

  const target: Geometry = { size: volume.size, spacing: volume.spacing, origin: volume.origin, direction: volume.direction };
  // Instance (≤ 63) and part (≤ 3) travel together through one nearest-neighbour resampling.
  const packed = new Uint8Array(inst.instance.length);
  for (let p = 0; p < packed.length; p++) packed[p] = (inst.instance[p]! << 2) | inst.part[p]!;
  const both = toInput(g, packed, target);
  const instanceData = new Uint8Array(both.length);
  const partData = new Uint8Array(both.length);
  const counts = new Float64Array(bodies.length + 1);
  for (let p = 0; p < both.length; p++) {
    const v = both[p]!;
    if (v === 0) continue;
    instanceData[p] = v >> 2;
    partData[p] = v & 3;
  }
  // Only the lumbosacral disc is a wedge steep enough (its endplates ~10° apart, tilted ~40°) for
  // the single cut to leave L5's front lip and the disc in S1 (example_ct). Elsewhere the faces are
  // near parallel and the cut holds; on IRCAD 1.1 (contrast CT, a vacuum L4–L5 disc) dividing
  // L4–L5 at two fitted planes took 4–6 mm off L4 and moved its Cobb from 5.8° to 9.7–10.2°.
  const lumbosacral = new Set(hasSacrum && bodies.length >= 2 ? [bodies.length - 1] : []);
  refineAtInputResolution(volume, instanceData, partData, lumbosacral);
  for (let p = 0; p < instanceData.length; p++) if (instanceData[p]) counts[instanceData[p]!]! += 1;
  const bodyAtEdge = bodiesOnEndSlices(volume, instanceData, partData, bodies.length);
  lap('resample-back');

  // Centroids on the work grid (grid mm), voxel counts on the input grid.
  const nW = bodies.length;
  const sums = new Float64Array(nW * 8);
  const { nx, ny, sp } = g;
  inst.instance.forEach((l, p) => {
    if (!l) return;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    const o = (l - 1) * 8;
    sums[o]! += i; sums[o + 1]! += j; sums[o + 2]! += k; sums[o + 3]! += 1;
    if (inst.part[p] === 1) { sums[o + 4]! += i; sums[o + 5]! += j; sums[o + 6]! += k; sums[o + 7]! += 1; }
  });
  const vertebrae: VertebraResult[] = bodies.map((b, si) => {
    const o = si * 8;
    const c = (a: number, w: number): Vec3 => (w > 0 ? toWorld(g, [(sums[a]! / w) * sp, (sums[a + 1]! / w) * sp, (sums[a + 2]! / w) * sp]) : toWorld(g, b.centroid));
    const prob = lab.hypotheses[0]?.probability ?? 0;
    return {
      instance: si + 1,
      label: lab.labels[si]!,
      centroidMm: c(o, sums[o + 3]!),
      bodyCentroidMm: c(o + 4, sums[o + 7]!),
      confidence: lab.confident ? Math.max(0.8, prob) : prob,
      // Cut by the field of view: on the work grid, or its body on the input's first or last slice
      // (the 2 mm work grid may end a slice short of the scan: IRCAD 1.1's T11 touched the top).
      truncated: b.truncated || bodyAtEdge[si + 1] === 1,
      evidence: lab.evidence[si]!,
      voxelCount: counts[si + 1]!,
    };
  });
  const discs: DiscResult[] = [];
  for (let i = archOnly; i + 1 < bodies.length; i++) discs.push(discBetween(g, bodies[i]!, bodies[i + 1]!));
  const centrelineMm: Vec3[] = [];
  for (let i = 0; i < col.frames.length; i += 4) centrelineMm.push(toWorld(g, col.frames[i]!.p));

  const result: SpineSegmentation = {
    instanceMask: labelMap(target, instanceData, new Map(vertebrae.map((v) => [v.instance, `instance ${v.instance}`]))),
    vertebraMask: labelMap(target, new Uint8Array(0), new Map()),
    partMask: labelMap(target, partData, new Map([[1, 'vertebral body'], [2, 'posterior elements'], [3, 'spinal canal']])),
    centrelineMm,
    vertebrae,
    discs,
    labelling: { state: lab.confident ? 'confident' : 'uncertain', hypotheses: lab.hypotheses, anchors: lab.anchors },
    warnings,
    timings,
    algorithm: { ...ALGORITHM },
  };
  applyLabels(result, vertebrae.map((v) => v.label));
  if (options.override) return relabelSpine(result, options.override);
  timings.total = Object.values(timings).reduce((a, b) => a + b, 0);
  return result;
}


/** Disc between two bodies: midway between the upper body's lowest and the lower body's highest slice centroids. */
function discBetween(g: WorkGrid, upper: Body, lower: Body): DiscResult {
  const { nx, ny, sp } = g;
  const sliceCentroid = (b: Body, k: number): Vec3 => {
    let sx = 0;
    let sy = 0;
    let c = 0;
    for (const p of b.voxels) {
      if (Math.floor(p / (nx * ny)) !== k) continue;
      const i = p % nx;
      sx += i;
      sy += ((p - i) / nx) % ny;
      c++;
    }
    return [(sx / Math.max(1, c)) * sp, (sy / Math.max(1, c)) * sp, k * sp];
  };
  const a = sliceCentroid(upper, upper.k0);
  const b = sliceCentroid(lower, lower.k1);
  const mid: Vec3 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  const d: Vec3 = [lower.centroid[0] - upper.centroid[0], lower.centroid[1] - upper.centroid[1], lower.centroid[2] - upper.centroid[2]];
  const len = Math.hypot(d[0], d[1], d[2]) || 1;
  return { name: '', centreMm: toWorld(g, mid), axis: gridVector(g, [d[0] / len, d[1] / len, d[2] / len]) };
}

function labelMap(g: Geometry, data: Uint8Array, labels: ReadonlyMap<number, string>): LabelMap {
  return { size: g.size, spacing: g.spacing, origin: g.origin, direction: g.direction, data, labels };
}

/** Writes `labels` into vertebrae, discs' names and the vertebra mask (mutates `r`, which the caller owns). */
function applyLabels(r: SpineSegmentation, labels: readonly VertebraName[]): void {
  const lut = new Uint8Array(256);
  r.vertebrae.forEach((v, i) => {
    v.label = labels[i]!;
    lut[v.instance] = VERTEBRA_LABEL_VALUE[v.label];
  });
  const src = r.instanceMask.data;
  const out = new Uint8Array(src.length);
  for (let p = 0; p < src.length; p++) out[p] = lut[src[p]!]!;
  r.vertebraMask = labelMap(r.instanceMask, out, new Map(r.vertebrae.map((v) => [VERTEBRA_LABEL_VALUE[v.label], v.label])));
  // Disc i lies between the vertebrae whose segments it separates (by position along the column).
  r.discs.forEach((d) => {
    const above = [...r.vertebrae].filter((v) => v.bodyCentroidMm[2] > d.centreMm[2] || Number.isNaN(d.centreMm[2])).at(-1);
    const below = r.vertebrae.find((v) => v.bodyCentroidMm[2] < d.centreMm[2]);
    d.name = `${above?.label ?? '?'}-${below?.label ?? '?'}`;
  });
}

/** Re-label a segmentation from a user override without re-segmenting (returns a new result). */
export function relabelSpine(result: SpineSegmentation, override: LabelOverride): SpineSegmentation {
  const current = result.vertebrae.map((v) => v.label);
  const labels = labelsFromOverride(result.vertebrae.length, current, override);
  const r: SpineSegmentation = {
    ...result,
    vertebrae: result.vertebrae.map((v) => ({ ...v, evidence: [...v.evidence, `label set by user override (${override.label} = instance ${override.instance})`], confidence: 1 })),
    discs: result.discs.map((d) => ({ ...d })),
    labelling: {
      state: 'confident',
      hypotheses: [{ labels, probability: 1, reason: `user override: instance ${override.instance} is ${override.label}` }],
      anchors: [...result.labelling.anchors, 'user-override'],
      override: { ...override },
    },
    timings: { ...result.timings },
    warnings: [...result.warnings],
  };
  applyLabels(r, labels);
  return r;
}

/** Per instance (1..n): 1 when a vertebral-body voxel (part 1) lies on the first or last input slice along the cranio-caudal axis. */
export function bodiesOnEndSlices(volume: Volume, instance: Uint8Array, part: Uint8Array, n: number): Uint8Array {
  const axis = cranioCaudalAxis(volume.direction);
  const size = volume.size;
  const stride = [1, size[0], size[0] * size[1]];
  const [u, v] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
  const out = new Uint8Array(n + 1);
  for (const c of new Set([0, size[axis]! - 1])) {
    for (let b = 0; b < size[v]!; b++) {
      for (let a = 0; a < size[u]!; a++) {
        const p = c * stride[axis]! + a * stride[u]! + b * stride[v]!;
        if (instance[p] && part[p] === 1) out[instance[p]!] = 1;
      }
    }
  }
  return out;
}
