/**
 * Trabecular bone density (HU) per vertebra and the opportunistic osteoporosis screen at L1
 * (clinical-reference §3). Two documented ROIs:
 * - 'eroded-body' (default): the vertebral-body mask, repaired (body-repair.ts: marrow darker than
 *   the engine's bone threshold left holes in it), eroded by `cortexMm` (3 mm, and at least two
 *   voxels on coarse grids, where partial volume smears the cortex inward) to drop the cortex,
 *   kept only in the central `centralFraction` (60 %) of the body's extent along the column axis
 *   (away from the endplates) and in front of the posterior `posteriorExclusion` (25 %) of its depth,
 *   where the basivertebral venous plexus enters, and at least `archClearanceMm` (8 mm) across the
 *   body's axis from the vertebra's posterior elements (the pedicle bases).
 * - 'circle-200mm2': a 200 mm² axial disc centred on the body centroid, intersected with the body
 *   mask (Osteoporos Int 2025, PMID 40493237: "200 mm² circle centred on the axial L1 centroid").
 */
import { dilate, erode, statistics, worldToIndex, type Mask, type Vec3, type Volume } from '@rachis/imaging';
import type { SpineSegmentation, VertebraName } from '@rachis/spine';
import { dot, median, PART_ARCH, sub, worldOfIndex } from './body-mask.js';
import { prepareBodies, type PreparedBody, type RepairedBody } from './body-repair.js';
import { measured, notMeasured, type Measured, type OpportunisticBmd, type PickhardtCategory, type Provenance, type RoiStatistics, type VertebraDensity, type VertebraFrame } from './types.js';

export type TrabecularRoi = 'eroded-body' | 'circle-200mm2';

export interface DensityOptions {
  roi?: TrabecularRoi;
  /** Cortex removed by erosion: mm, or per axis (i, j, k) e.g. [4, 4, 0] for an in-plane erosion. */
  cortexMm?: number | Vec3;
  /**
   * The erosion is at least this many voxels along each axis where `cortexMm` is not 0 (default 2):
   * on coarse grids the partial-volume blur spreads the bright cortex over the mask's outer two
   * voxel layers (example_ct, 3 mm: a 3 mm = 1-voxel erosion leaves ~20 HU of cortex in the mean).
   */
  partialVolumeVoxels?: number;
  centralFraction?: number;
  posteriorExclusion?: number;
  /**
   * ROI voxels at or above this HU are left out ('eroded-body'; default 600, `Infinity` keeps all):
   * cortical bone or a sclerotic focus (bone island), never trabecular bone (adult trabecular HU
   * is below ~350; clinical-reference §3 places the ROI away from cortex and focal lesions).
   */
  maxHU?: number;
  /**
   * 'eroded-body': ROI voxels more than this above the median of the ROI (HU; default 200,
   * `Infinity` keeps all), and more than 6 robust SDs above it, are left out as well. See
   * MAX_ABOVE_MEDIAN_HU.
   */
  maxAboveMedianHU?: number;
  /**
   * 'eroded-body': ROI voxels closer than this (mm, across the body's axis) to a posterior-element
   * voxel of the same vertebra are left out (default 8; 0 keeps them). See ARCH_CLEARANCE_MM.
   */
  archClearanceMm?: number;
  /** Frames already computed by the morphometry, by instance (saves recomputing them). */
  frames?: ReadonlyMap<number, VertebraFrame>;
  /** `prepareBodies(spine)` already computed by the caller (the repair is the costly step). */
  bodies?: ReadonlyMap<number, PreparedBody>;
  /** Body masks the morphometry found unreliable (mask-reliability.ts), by instance: the reason becomes a caveat. */
  unreliableMasks?: ReadonlyMap<number, string>;
}

const CIRCLE_AREA_MM2 = 200; // [Osteoporos Int 2025, PMID 40493237]
/**
 * Cortical bone reads 700–1500 HU; trabecular bone below ~350 HU. Where a body mask reaches a
 * little past its endplate (segmentSpineCT on the 1.5 mm kyphotic phantom: the 45 % wedge T7 took
 * its neighbour's endplate), the eroded ROI still holds cortex and the mean reads +19 HU.
 */
const MAX_TRABECULAR_HU = 600;
/**
 * Within one vertebra's central trabecular ROI the HU spread is image noise and trabecular texture
 * (SD ~10–40 HU); a voxel 200 HU above the ROI's median is something else: cortex reached through
 * partial volume (segmentSpineCT on the slice-integrated phantoms: voxels of 300–500 HU from the
 * endplates of a 45 % wedge raised its mean by 8.4 HU, from the pedicle bases of low-density L2
 * by 5.4 HU; the 600 HU cut leaves them) or a focal sclerotic lesion, which the ROI is meant to
 * avoid (clinical-reference §3). 200 was chosen on those phantoms (300 left the partial-volume
 * cortex in; no literature number). example_ct L1 holds a ~1 cm focus of 300–770 HU in the
 * anterior body: its eroded-body ROI mean reads 97.4 HU instead of 107.4 on TotalSegmentator's
 * masks (median 96–97 HU either way).
 */
const MAX_ABOVE_MEDIAN_HU = 200;
/**
 * ...and at least this many robust SDs (1.4826 × median absolute deviation) above it: on thin-slice
 * CT with sharp kernels trabecular texture has a heavy upper tail (IRCAD 1.1, 0.7 mm pixels, ROI SD
 * ~55 HU: 200 HU alone took 2–4 % of each lumbar ROI and lowered the means by 3–10 HU; with 6
 * robust SDs 9–44 voxels of 11 000–28 000 at T11–L3, means within 1 HU of the 600 HU cut alone;
 * one-off `rachis measure`). Pickhardt's thresholds come from ROI means that include that texture.
 */
const ABOVE_MEDIAN_ROBUST_SDS = 6;
/**
 * Where a pedicle joins the body its cortical walls and denser cancellous bone run a few mm into
 * the body, and a segmentation's body/arch border there is a guess: segmentSpineCT gives the
 * pedicle bases to the body. On the phantoms (pedicle cancellous bone 300 HU, body 95–200 HU) they
 * were ~4 % of the eroded-body ROI and raised it by 5.5–8.4 HU; with 5 mm of clearance 2.2–4.4 HU
 * was left on the lumbar phantom, with 8 mm ≤ 4.4 HU on all (eval:measure). Checked on example_ct, where our masks' L1–L5 ROI read
 * 3.1 HU above the same ROI on TotalSegmentator's masks on average, 2.5 HU with it. Chosen on
 * the phantoms, so a tuned value: about one lumbar pedicle width, no literature number.
 */
const ARCH_CLEARANCE_MM = 8;
const MIN_ROI_VOXELS = 10;
/** Voxels within this distance of the body's axis give the height the central band is a fraction of. */
const AXIS_RADIUS_MM = 5;

/** Erosion radii (i, j, k) in mm: the cortex, but never less than the partial-volume layers. */
export function erosionRadii(cortexMm: number | Vec3, spacing: Vec3, partialVolumeVoxels: number): Vec3 {
  const c = typeof cortexMm === 'number' ? [cortexMm, cortexMm, cortexMm] : cortexMm;
  const r = [0, 1, 2].map((a) => (c[a]! > 0 ? Math.max(c[a]!, partialVolumeVoxels * spacing[a]!) : 0));
  return [r[0]!, r[1]!, r[2]!];
}

function roiMethod(o: Required<Omit<DensityOptions, 'frames' | 'cortexMm' | 'unreliableMasks' | 'bodies'>> & { cortexMm: Vec3 }): string {
  const limits = [...(Number.isFinite(o.maxHU) ? [`≥ ${o.maxHU} HU`] : []), ...(Number.isFinite(o.maxAboveMedianHU) ? [`≥ ${o.maxAboveMedianHU} HU and ${ABOVE_MEDIAN_ROBUST_SDS} robust SDs above the ROI median`] : [])];
  const cut = limits.length ? `; voxels ${limits.join(' or ')} (cortex and its partial volume, sclerotic foci) left out` : '';
  const arch = o.archClearanceMm > 0 ? `, at least ${o.archClearanceMm} mm across the body axis from the posterior elements (pedicle bases)` : '';
  return o.roi === 'circle-200mm2'
    ? '200 mm² axial disc at the vertebral-body centroid ∩ body mask (Osteoporos Int 2025, PMID 40493237); mean/median/SD of HU'
    : `repaired vertebral-body mask (holes and column gaps filled) eroded by [${o.cortexMm.map((x) => +x.toFixed(2)).join(', ')}] mm along i, j, k (cortex, at least ${o.partialVolumeVoxels} voxels of partial volume), central ${Math.round(o.centralFraction * 100)} % of its height, anterior ${Math.round((1 - o.posteriorExclusion) * 100)} % of its depth (excludes the basivertebral plexus)${arch}${cut}; mean/median/SD of HU`;
}

/** Trabecular ROI statistics for every vertebra. Pure: volume + segmentation in, numbers out. */
export function measureTrabecularDensity(volume: Volume, spine: SpineSegmentation, options: DensityOptions = {}): VertebraDensity[] {
  const partialVolumeVoxels = options.partialVolumeVoxels ?? 2;
  const cortexMm = erosionRadii(options.cortexMm ?? 3, volume.spacing, partialVolumeVoxels);
  const roiKind = options.roi ?? 'eroded-body';
  const o = { roi: roiKind, cortexMm, partialVolumeVoxels, centralFraction: options.centralFraction ?? 0.6, posteriorExclusion: options.posteriorExclusion ?? 0.25, maxHU: roiKind === 'eroded-body' ? (options.maxHU ?? MAX_TRABECULAR_HU) : Infinity, maxAboveMedianHU: roiKind === 'eroded-body' ? (options.maxAboveMedianHU ?? MAX_ABOVE_MEDIAN_HU) : Infinity, archClearanceMm: roiKind === 'eroded-body' ? (options.archClearanceMm ?? ARCH_CLEARANCE_MM) : 0 } as const;
  if (!(o.archClearanceMm >= 0 && Number.isFinite(o.archClearanceMm))) throw new RangeError(`archClearanceMm must be a finite number ≥ 0, got ${o.archClearanceMm}`);
  const bodies = options.bodies ?? prepareBodies(spine);
  const verts = [...spine.vertebrae].sort((a, b) => a.instance - b.instance);
  const voxelMm3 = volume.spacing[0] * volume.spacing[1] * volume.spacing[2];
  return verts.map((v): VertebraDensity => {
    const p: Provenance = { method: roiMethod(o), inputs: [`CT (${volume.meta.unit ?? 'HU'})`, `instanceMask = ${v.instance}`, 'partMask = 1 (vertebral body)'], caveats: [] };
    if (v.truncated) p.caveats.push('vertebra cut by the field of view: the ROI may not be central');
    const unreliable = options.unreliableMasks?.get(v.instance);
    if (unreliable) p.caveats.push(`${unreliable}; the ROI may include endplate or neighbouring bone`);
    const body = bodies.get(v.instance);
    if (!body || body.original.indices.length < MIN_ROI_VOXELS) return { label: v.label, instance: v.instance, trabecular: notMeasured('no vertebral-body voxels', p) };
    const frame = options.frames?.get(v.instance) ?? body.frame;
    // The repaired body (holes and column gaps filled, body-repair.ts): marrow darker than the
    // engine's bone threshold belongs to the trabecular compartment and must be in the ROI.
    const rep = body.repaired;
    if (rep.repairedVoxels > rep.originalVoxels) p.caveats.push(`ROI drawn in the repaired body mask (${rep.repairedVoxels - rep.originalVoxels} voxels of holes filled)`);
    const [bx, by] = rep.mask.size;
    let uMin = Infinity, uMax = -Infinity, aMin = Infinity, aMax = -Infinity;
    const axisRadius = Math.max(AXIS_RADIUS_MM, 1.5 * Math.max(...volume.spacing));
    const repWorld = worldOfIndex(rep.mask);
    rep.mask.data.forEach((x, q) => {
      if (!x) return;
      const d = sub(repWorld(q % bx, Math.floor(q / bx) % by, Math.floor(q / (bx * by))), frame.centreMm);
      const u = dot(d, frame.superior), an = dot(d, frame.anterior);
      aMin = Math.min(aMin, an); aMax = Math.max(aMax, an);
      // The height band is taken from the voxels near the body's own axis (the middle height), not
      // from the whole mask: a tilted body or a corner that reaches into the disc would stretch the
      // "central" band into the subchondral bone under the endplates, which reads high.
      if (Math.hypot(an, dot(d, frame.lateral)) > axisRadius) return;
      uMin = Math.min(uMin, u); uMax = Math.max(uMax, u);
    });
    const ct = ctOnBox(volume, rep);
    const bodyMask: Mask = rep.mask;
    const maskData = rep.mask.data;
    const base = o.roi === 'eroded-body' ? erode(bodyMask, o.cortexMm) : bodyMask;
    const roi = new Uint8Array(maskData.length);
    if (!Number.isFinite(uMin)) return { label: v.label, instance: v.instance, trabecular: notMeasured('no body voxels near the body axis (hollow or fragmented mask)', p) };
    const uMid = (uMin + uMax) / 2, uHalf = ((uMax - uMin) * o.centralFraction) / 2;
    const aLimit = aMin + o.posteriorExclusion * (aMax - aMin);
    const radius = Math.sqrt(CIRCLE_AREA_MM2 / Math.PI);
    const [cx, cy] = ct.size;
    const ctWorld = worldOfIndex(ct);
    const kCentre = Math.round(worldToIndex(ct, frame.centreMm)[2] - 1e-6);
    for (let q = 0; q < roi.length; q++) {
      if (!base.data[q]) continue;
      const w = ctWorld(q % cx, Math.floor(q / cx) % cy, Math.floor(q / (cx * cy)));
      const d = sub(w, frame.centreMm);
      if (o.roi === 'eroded-body') {
        if (Math.abs(dot(d, frame.superior) - uMid) <= uHalf && dot(d, frame.anterior) >= aLimit) roi[q] = 1;
      } else if (Math.floor(q / (cx * cy)) === kCentre && Math.hypot(d[0], d[1]) <= radius) {
        roi[q] = 1; // the one axial slice nearest the centroid
      }
    }
    if (o.archClearanceMm > 0) {
      const nearArch = nearPosteriorElements(spine, v.instance, rep, o.archClearanceMm);
      for (let q = 0; q < roi.length; q++) if (nearArch[q]) roi[q] = 0;
    }
    let limit = o.maxHU;
    if (Number.isFinite(o.maxAboveMedianHU)) {
      const below: number[] = [];
      for (let q = 0; q < roi.length; q++) if (roi[q] && ct.data[q]! < o.maxHU) below.push(ct.data[q]!);
      if (below.length > 0) {
        const m = median(below);
        const robustSd = 1.4826 * median(below.map((x) => Math.abs(x - m)));
        limit = Math.min(o.maxHU, m + Math.max(o.maxAboveMedianHU, ABOVE_MEDIAN_ROBUST_SDS * robustSd));
      }
    }
    let dense = 0;
    for (let q = 0; q < roi.length; q++) {
      if (roi[q] && ct.data[q]! >= limit) {
        roi[q] = 0;
        dense++;
      }
    }
    if (dense > 0) p.caveats.push(`${dense} ROI voxel${dense === 1 ? '' : 's'} ≥ ${+limit.toFixed(1)} HU left out (cortex reached by the ROI or its partial volume, or a sclerotic focus)`);
    const s = statistics(ct, { ...bodyMask, data: roi });
    if (s.count < MIN_ROI_VOXELS) return { label: v.label, instance: v.instance, trabecular: notMeasured(`ROI has only ${s.count} voxels (body too small for the ROI at this resolution)`, p) };
    if (s.count < 100) p.caveats.push(`small ROI (${s.count} voxels): coarse voxels, the mean is noisy`);
    const value: RoiStatistics = { meanHU: s.mean, medianHU: s.median, sdHU: s.sd, count: s.count, volumeMm3: s.count * voxelMm3 };
    return { label: v.label, instance: v.instance, trabecular: measured(value, p) };
  });
}

/**
 * Voxels of the body box within `mm` of a posterior-element voxel of the same instance, measured
 * across the body's axis only (the image axis the repair took as the column axis gets no reach: the
 * pedicle lies at mid-height, and a 3-D reach would also take the central band under the laminae).
 */
function nearPosteriorElements(spine: SpineSegmentation, instance: number, rep: RepairedBody, mm: number): Uint8Array {
  const arch = new Uint8Array(rep.mask.data.length);
  let any = false;
  forEachBoxVoxel(spine.instanceMask.size, rep, (b, g) => {
    if (spine.instanceMask.data[g] === instance && spine.partMask.data[g] === PART_ARCH) {
      arch[b] = 1;
      any = true;
    }
  });
  if (!any) return arch;
  const radii: Vec3 = [rep.axis === 0 ? 0 : mm, rep.axis === 1 ? 0 : mm, rep.axis === 2 ? 0 : mm];
  return dilate({ ...rep.mask, data: arch }, radii).data;
}

/** The CT on the repaired body's box (voxels outside the image are −1024 HU; the ROI never uses them). */
function ctOnBox(volume: Volume, rep: RepairedBody): Volume {
  const data = new Float32Array(rep.mask.data.length).fill(-1024);
  forEachBoxVoxel(volume.size, rep, (b, g) => {
    data[b] = volume.data[g]!;
  });
  return { ...volume, size: rep.mask.size, origin: rep.mask.origin, data };
}

/** Visits the voxels of the body box that lie inside the full grid: (box index, full-grid index). */
function forEachBoxVoxel(grid: Vec3, rep: RepairedBody, fn: (boxIdx: number, gridIdx: number) => void): void {
  const [nx, ny, nz] = grid;
  const [bx, by, bz] = rep.mask.size;
  for (let k = 0; k < bz; k++) {
    const z = k + rep.lo[2];
    if (z < 0 || z >= nz) continue;
    for (let j = 0; j < by; j++) {
      const y = j + rep.lo[1];
      if (y < 0 || y >= ny) continue;
      for (let i = 0; i < bx; i++) {
        const x = i + rep.lo[0];
        if (x >= 0 && x < nx) fn(i + bx * (j + by * k), x + nx * (y + ny * z));
      }
    }
  }
}

/**
 * Pickhardt et al., Ann Intern Med 2013 (clinical-reference §3.1), L1 trabecular HU at 120 kV:
 * ≤ 110 HU > 90 % specific for osteoporosis; ≤ 160 HU 90 % sensitive; > 200 HU NPV 99 %.
 */
export const PICKHARDT_SPECIFIC_HU = 110; // [Pickhardt 2013, abstract]
export const PICKHARDT_SENSITIVE_HU = 160; // [Pickhardt 2013, abstract]
export const PICKHARDT_NPV_HU = 200; // [Pickhardt 2013, abstract]

export function pickhardtCategory(meanHU: number): { category: PickhardtCategory; meaning: string } {
  if (meanHU <= PICKHARDT_SPECIFIC_HU) return { category: 'osteoporosis-likely', meaning: `≤ ${PICKHARDT_SPECIFIC_HU} HU: > 90 % specific for osteoporosis (Pickhardt 2013)` };
  if (meanHU <= PICKHARDT_SENSITIVE_HU) return { category: 'low-density-possible', meaning: `${PICKHARDT_SPECIFIC_HU}–${PICKHARDT_SENSITIVE_HU} HU: within the 90 %-sensitive band for osteoporosis; DXA may be warranted (Pickhardt 2013)` };
  if (meanHU <= PICKHARDT_NPV_HU) return { category: 'osteoporosis-unlikely', meaning: `${PICKHARDT_SENSITIVE_HU}–${PICKHARDT_NPV_HU} HU: above the 90 %-sensitive threshold (Pickhardt 2013)` };
  return { category: 'normal-likely', meaning: `> ${PICKHARDT_NPV_HU} HU: negative predictive value 99 % for osteoporosis (Pickhardt 2013)` };
}

const FALLBACK: VertebraName[] = ['L1', 'T12', 'L2', 'L3'];

/** L1 screen (falling back to T12, L2, L3 with a note), with contrast and kVp recorded and flagged. */
export function opportunisticBmd(volume: Volume, density: VertebraDensity[], spine: SpineSegmentation): Measured<OpportunisticBmd> {
  const uncertainLabels = spine.labelling.state === 'uncertain';
  const truncated = new Set(spine.vertebrae.filter((v) => v.truncated).map((v) => v.instance));
  const p: Provenance = { method: 'Pickhardt 2013 L1 trabecular-HU thresholds (110 / 160 / 200 HU, 120 kV)', inputs: [], caveats: [] };
  const contrastRecorded = !!volume.meta.contrastAgent && volume.meta.contrastAgent.trim() !== '';
  if (contrastRecorded) p.caveats.push(`contrast agent recorded (${volume.meta.contrastAgent}): enhancement raises trabecular HU by ~10–25 HU (Pompe 2015; Grünewald), thresholds are for non-contrast CT`);
  else p.caveats.push('no contrast agent recorded in the header: if contrast was given, HU is raised by ~10–25 HU');
  if (volume.meta.kvp === undefined) p.caveats.push('kVp unknown: thresholds assume 120 kV');
  else if (Math.abs(volume.meta.kvp - 120) > 1) p.caveats.push(`acquired at ${volume.meta.kvp} kV: bone HU rises as kVp falls; thresholds assume 120 kV (Wessell/Pickhardt)`);
  if (uncertainLabels) p.caveats.push('vertebral level labels are uncertain: the level used may not be L1');
  for (const level of FALLBACK) {
    const d = density.find((x) => x.label === level);
    if (!d || d.trabecular.status !== 'measured' || truncated.has(d.instance)) continue;
    if (level !== 'L1') p.caveats.push(`L1 not measurable; ${level} used instead (Pickhardt: performance similar T12–L5)`);
    p.inputs.push(`${level} trabecular ROI (${d.trabecular.method})`);
    p.caveats.push(...d.trabecular.caveats.filter((c) => c.startsWith('body mask unreliable')));
    const { category, meaning } = pickhardtCategory(d.trabecular.value.meanHU);
    return measured({ level, meanHU: d.trabecular.value.meanHU, category, meaning, contrast: contrastRecorded ? 'contrast-agent-recorded' : 'none-recorded', kvp: volume.meta.kvp }, p);
  }
  return notMeasured('none of L1, T12, L2, L3 is fully in the field of view with a measurable trabecular ROI', p);
}
