/**
 * Alignment from endplate tilts: coronal Cobb angle, thoracic kyphosis T4–T12, lumbar lordosis
 * L1–S1 (clinical-reference §6). Tilts are measured in the image's coronal (L–S) and sagittal
 * (P–S) planes, since that is how the angles are defined on radiographs: each endplate is fitted
 * with a plane through surface points over the central part of the body (see endplatePlanes), and
 * its tilts are the plane's slopes along L and along P. Truncated vertebrae are measured but left
 * out of the Cobb angle.
 */
import type { Vec3, Volume } from '@rachis/imaging';
import type { SpineSegmentation, VertebraName, VertebraResult } from '@rachis/spine';
import { indexToWorld } from '@rachis/imaging';
import { add, bodySampler, collectBodies, exitDistance, maskSampler, median, otherVertebraAt, solve3, type BodyVoxels, type Sampler } from './body-mask.js';
import { prepareBodies, type PreparedBody } from './body-repair.js';
import { isFineGrid, vertebraFrame, voxelAlongMm } from './morphometry.js';
import { huEndplateRefiner, type EndplateRefiner } from './endplate-hu.js';
import { measured, notMeasured, type AlignmentResults, type CobbValue, type EndplateTilts, type Measured, type Provenance, type VertebraFrame } from './types.js';

const DEG = 180 / Math.PI;
/** Scoliosis: Cobb ≥ 10° [SRS definition, clinical-reference §6 — ⚠ confirmed only by a patient-facing source]. */
export const SCOLIOSIS_COBB_DEG = 10;
const GRID = 9;
/** Fraction of the body's half-width / half-depth covered by the sampling footprint. */
const FOOTPRINT = 0.8;

/** Least-squares plane z = a + gx·x + gy·y through world points; returns [gx, gy]. */
function planeGradient(pts: Vec3[]): [number, number] | undefined {
  if (pts.length < 6) return undefined;
  const c = pts.reduce<Vec3>((s, p) => add(s, p, 1 / pts.length), [0, 0, 0]);
  let xx = 0, xy = 0, yy = 0, xz = 0, yz = 0;
  for (const p of pts) {
    const x = p[0] - c[0], y = p[1] - c[1], z = p[2] - c[2];
    xx += x * x; xy += x * y; yy += y * y; xz += x * z; yz += y * z;
  }
  const r = solve3([1, 0, 0, 0, xx, xy, 0, xy, yy], [0, xz, yz]);
  return r ? [r[1], r[2]] : undefined;
}

/** Where the surface search lines start: [min, max] distances from the frame centre along its lateral and anterior axes (mm). */
interface Footprint {
  lateral: [number, number];
  anterior: [number, number];
}

function extentAlong(sample: Sampler, from: Vec3, d: Vec3): [number, number] | undefined {
  const hi = exitDistance(sample, from, d);
  const lo = exitDistance(sample, from, [-d[0], -d[1], -d[2]]);
  return hi === undefined || lo === undefined ? undefined : [-lo, hi];
}

function bodyFootprint(sample: Sampler, f: VertebraFrame): Footprint | undefined {
  const lateral = extentAlong(sample, f.centreMm, f.lateral);
  const anterior = extentAlong(sample, f.centreMm, f.anterior);
  return lateral && anterior ? { lateral, anterior } : undefined;
}

/** A gap in the sacral body mask that its anterior extent bridges (mm). */
const SACRAL_GAP_MM = 6;

/**
 * The sacrum's footprint: its anterior extent is the farthest body voxel along the axis, across
 * gaps of up to SACRAL_GAP_MM. Why: segmentSpineCT labels parts slice by slice (body in front of a
 * per-slice line), and across the tilted sacrum it labelled a 2–3 slice band of S1's body as
 * posterior elements; on the lumbar phantom the footprint stopped at 8.6 mm instead of 25 mm, the
 * lines missed the anterior half of the endplate and its sagittal tilt read 30.5° against 37.4°
 * on the phantom's own masks (lordosis −6.8° off). One-off over the four 1 mm phantom renderings,
 * engine − own masks: −6.96/−1.77/−1.12/+1.23° → +0.76/+0.40/−1.19/+1.52°; eval:measure lordosis
 * through segmentSpineCT, lumbar 1 mm −6.84 → +0.95°, low-BMD −1.52 → +0.68°. The 6 mm bridges the
 * bands seen (~2–5 mm along the axis) and stays short of the gap between the body and the posterior
 * elements behind the sacral canal. Capping the width at the vertebra above (against alae labelled
 * as body) was tried and made one phantom 3.7° worse; the phantom's S1 body is narrower than L5's,
 * so that rule could not be tested fairly here and is not used.
 */
function sacralFootprint(sample: Sampler, f: VertebraFrame): Footprint | undefined {
  const own = bodyFootprint(sample, f);
  if (!own) return undefined;
  const farthest = (d: Vec3): number => {
    let last = 0;
    for (let t = 0; t <= 100 && t - last <= SACRAL_GAP_MM; t += 0.2) if (sample(add(f.centreMm, d, t)) >= 0.5) last = t;
    return last;
  };
  const back: Vec3 = [-f.anterior[0], -f.anterior[1], -f.anterior[2]];
  return { lateral: own.lateral, anterior: [-farthest(back), farthest(f.anterior)] };
}

/**
 * Both endplates of one vertebra as least-squares planes. Surface points are found along the
 * vertebra's own column axis from an elliptic grid over the central 80 % of the footprint (its
 * lateral × anterior axes), so steeply tilted bodies (L5, sacrum) are sampled through their
 * endplates, not their walls. The coronal tilt is atan(∂S/∂L) and the sagittal tilt atan(∂S/∂P)
 * of each plane: fitting the plane (not a line) keeps a large sagittal tilt from leaking into the
 * coronal one.
 */
function endplatePlanes(sample: Sampler, f: VertebraFrame, footprint: Footprint, refine?: EndplateRefiner): { sup: [number, number]; inf: [number, number] } | undefined {
  const down: Vec3 = [-f.superior[0], -f.superior[1], -f.superior[2]];
  const { lateral: el, anterior: ea } = footprint;
  // An elliptic footprint (normalised radius ≤ FOOTPRINT) keeps the lines away from the walls even
  // when the column axis (from the neighbours) is a few degrees off the vertebra's own axis.
  const sup: Vec3[] = [], inf: Vec3[] = [], ups: number[] = [], dns: number[] = [];
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      const u = (2 * i) / (GRID - 1) - 1, w = (2 * j) / (GRID - 1) - 1;
      if (u * u + w * w > 1) continue;
      const along = (e: [number, number], t: number): number => (e[0] + e[1]) / 2 + ((e[1] - e[0]) / 2) * FOOTPRINT * t;
      const p = add(add(f.centreMm, f.lateral, along(el, u)), f.anterior, along(ea, w));
      if (sample(p) < 0.5) continue;
      let up = exitDistance(sample, p, f.superior);
      let dn = exitDistance(sample, p, down);
      if (refine && up !== undefined) up = refine(p, f.superior, up).edgeMm;
      if (refine && dn !== undefined) dn = refine(p, down, dn).edgeMm;
      if (up !== undefined) {
        sup.push(add(p, f.superior, up));
        ups.push(up);
      }
      if (dn !== undefined) {
        inf.push(add(p, down, dn));
        dns.push(dn);
      }
    }
  }
  // A line that left through a wall stops short of the endplate: drop points far below the median.
  const keep = (pts: Vec3[], d: number[]): Vec3[] => {
    const m = median(d);
    return pts.filter((_, k) => d[k]! > 0.7 * m);
  };
  const a = planeGradient(keep(sup, ups));
  const b = planeGradient(keep(inf, dns));
  return a && b ? { sup: a, inf: b } : undefined;
}

/**
 * Frame for the surface search. For the sacrum (S1 + sacrum share a label), whose centroid lies far
 * below and in front of S1's endplate, the centre is the centroid of its top 15 mm and the axis
 * points to L5's body.
 */
function surfaceFrame(spine: SpineSegmentation, body: BodyVoxels, v: VertebraResult, above?: BodyVoxels, below?: BodyVoxels): VertebraFrame {
  if (v.label !== 'S1' && v.label !== 'sacrum') return vertebraFrame(body, v, above?.centroidMm, below?.centroidMm);
  const [nx, ny] = spine.instanceMask.size;
  const pts = body.indices.map((idx) => indexToWorld(spine.instanceMask, [idx % nx, Math.floor(idx / nx) % ny, Math.floor(idx / (nx * ny))]));
  const top = Math.max(...pts.map((p) => p[2]));
  const sel = pts.filter((p) => p[2] > top - 15);
  const c = sel.reduce<Vec3>((acc, p) => add(acc, p, 1 / sel.length), [0, 0, 0]);
  // A stand-in whole-vertebra centroid 10 mm posterior makes the anterior axis point forwards (−P).
  return vertebraFrame({ instance: body.instance, indices: [], centroidMm: c }, { ...v, centroidMm: add(c, [0, 1, 0], 10) }, above?.centroidMm);
}

const SACRUM = /^(S1|sacrum)$/;

/**
 * `volume` (the CT): the endplate surface points are moved to the half-way HU crossing, as for the
 * heights (endplate-hu.ts): on the low-density phantoms segmentSpineCT's L1 mask lost a corner
 * under its superior endplate and its sagittal tilt read −22.3° against −12.4° on the phantom's own
 * masks (lordosis +10.4°).
 * Unlike the heights, this holds on coarse grids too: the crossing's outward bias on a thick slice
 * is the same across an endplate and cancels in its tilt, while a 3 mm mask edge moves in whole
 * slices (one slice across a 40 mm endplate is 4.3°). eval:measure, 3 mm: the false Cobb angle on
 * the low-BMD T10–S1 phantom through segmentSpineCT fell 9.82 → 1.76°; on example_ct the T12–L4
 * endplates and L5's superior one, measured on segmentSpineCT's and on TotalSegmentator's masks,
 * came within 3.1° of each other (sagittal; up to 7.0° with mask edges).
 * Except the sacrum on coarse grids: on example_ct our S1 mask had taken the steep L5–S1 disc, and
 * the crossing near its edge read the S1 endplate's sagittal tilt 5.6° instead of 16.0° (47.9° on
 * TotalSegmentator's masks).
 */
export function measureEndplateTilts(spine: SpineSegmentation, volume?: Volume, prepared?: ReadonlyMap<number, PreparedBody>): EndplateTilts[] {
  const bodies = collectBodies(spine);
  const repaired = prepared ?? prepareBodies(spine);
  const verts = [...spine.vertebrae].sort((a, b) => a.instance - b.instance);
  const fine = isFineGrid(spine.instanceMask.spacing);
  const out: EndplateTilts[] = [];
  verts.forEach((v, i) => {
    const body = bodies.get(v.instance);
    if (!body || body.indices.length < 50) return;
    const f = surfaceFrame(spine, body, v, bodies.get(verts[i - 1]?.instance ?? -1), bodies.get(verts[i + 1]?.instance ?? -1));
    // The repaired body (body-repair.ts: holes and column gaps filled), as for density: on partial-volume images the
    // engine's mask of a biconcave body had holes under its endplate and the coronal tilt of L2's
    // superior endplate read 9.7° against 15.6° (eval:measure, lumbar slice-integrated phantom).
    // Not the sacrum's surface: S1 and the sacrum share a label, and bridging column gaps fills the
    // sacral canal and foramina (the S1 superior endplate's sagittal tilt moved 29.5° → 36.2°).
    const sacral = SACRUM.test(v.label);
    const rep = sacral ? undefined : repaired.get(v.instance);
    const sample = rep ? maskSampler(rep.repaired.mask) : bodySampler(spine, v.instance);
    const footprint = sacral ? sacralFootprint(sample, f) : bodyFootprint(sample, f);
    if (!footprint) return;
    const refine = volume && (fine || !sacral) ? huEndplateRefiner(volume, voxelAlongMm(spine, f), otherVertebraAt(spine, v.instance)) : undefined;
    const planes = endplatePlanes(sample, f, footprint, refine);
    if (!planes) return;
    const deg = (g: number): number => Math.atan(g) * DEG;
    out.push({
      label: v.label, truncated: v.truncated,
      coronalSuperiorDeg: deg(planes.sup[0]), coronalInferiorDeg: deg(planes.inf[0]),
      sagittalSuperiorDeg: deg(planes.sup[1]), sagittalInferiorDeg: deg(planes.inf[1]),
    });
  });
  return out;
}

/** Largest coronal Cobb angle over all pairs of end vertebrae (upper's superior, lower's inferior endplate). */
export function coronalCobb(tiltsCranioCaudal: EndplateTilts[], vertebrae: VertebraResult[], p: Provenance): Measured<CobbValue> {
  if (tiltsCranioCaudal.length < 3) return notMeasured('fewer than 3 vertebrae with measurable endplates', p);
  let best = { angle: 0, i: 0, j: 1 };
  for (let i = 0; i < tiltsCranioCaudal.length; i++) {
    for (let j = i + 1; j < tiltsCranioCaudal.length; j++) {
      const a = tiltsCranioCaudal[i]!.coronalSuperiorDeg - tiltsCranioCaudal[j]!.coronalInferiorDeg;
      if (Math.abs(a) > Math.abs(best.angle)) best = { angle: a, i, j };
    }
  }
  const centre = new Map(vertebrae.map((v) => [v.label, v.bodyCentroidMm] as const));
  const cu = centre.get(tiltsCranioCaudal[best.i]!.label)!;
  const cl = centre.get(tiltsCranioCaudal[best.j]!.label)!;
  // Apex: the vertebra between the end vertebrae farthest (in L) from the chord joining them.
  let apex = tiltsCranioCaudal[best.i]!.label;
  let dev = 0;
  for (let k = best.i; k <= best.j; k++) {
    const c = centre.get(tiltsCranioCaudal[k]!.label);
    if (!c) continue;
    const t = cl[2] === cu[2] ? 0 : (c[2] - cu[2]) / (cl[2] - cu[2]);
    const d = c[0] - (cu[0] + t * (cl[0] - cu[0]));
    if (Math.abs(d) > Math.abs(dev)) {
      dev = d;
      apex = tiltsCranioCaudal[k]!.label;
    }
  }
  const angleDeg = Math.abs(best.angle);
  return measured(
    {
      angleDeg,
      upperEnd: tiltsCranioCaudal[best.i]!.label,
      lowerEnd: tiltsCranioCaudal[best.j]!.label,
      apex,
      convexity: dev > 0 ? 'left' : 'right', // LPS: +L is the patient's left
      scoliosis: angleDeg >= SCOLIOSIS_COBB_DEG,
    },
    p,
  );
}

/**
 * Signed sagittal Cobb angle. The posterior-up tilt falls going caudally through a kyphosis
 * (T4 superior endplate rises posteriorly, T12 inferior falls) and rises through a lordosis, so
 * kyphosis = tilt(upper) − tilt(lower) (sign +1) and lordosis = tilt(lower) − tilt(upper) (sign −1).
 */
function sagittalAngle(
  t: Map<string, EndplateTilts>,
  [upper, upperPlate]: [VertebraName, 'sup' | 'inf'],
  [lower, lowerPlate]: [VertebraName, 'sup' | 'inf'],
  sign: 1 | -1,
  p: Provenance,
): Measured<number> {
  const u = t.get(upper);
  const l = t.get(lower);
  const missing = [!u && upper, !l && lower].filter(Boolean);
  if (!u || !l) return notMeasured(`not measurable: ${missing.join(' and ')} not in the field of view (or endplates not measurable)`, p);
  // The sacrum is nearly always cut caudally, which leaves its superior endplate intact.
  const cut = [u, l].filter((e) => e.truncated && !(e.label === 'S1' || e.label === 'sacrum'));
  if (cut.length > 0) return notMeasured(`not measurable: ${cut.map((e) => e.label).join(' and ')} cut by the field of view`, p);
  if (l.truncated) p.caveats.push(`${l.label} touches the edge of the field of view (its superior endplate was measured)`);
  const a = upperPlate === 'sup' ? u.sagittalSuperiorDeg : u.sagittalInferiorDeg;
  const b = lowerPlate === 'sup' ? l.sagittalSuperiorDeg : l.sagittalInferiorDeg;
  return measured(sign * (a - b), p);
}

/** `prepared`: `prepareBodies(spine)` already computed by the caller. */
export function measureAlignment(spine: SpineSegmentation, volume?: Volume, prepared?: ReadonlyMap<number, PreparedBody>): AlignmentResults {
  const endplates = measureEndplateTilts(spine, volume, prepared);
  const byLabel = new Map(endplates.map((e) => [e.label as string, e] as const));
  const sacral = byLabel.get('S1') ?? byLabel.get('sacrum');
  if (sacral) byLabel.set('S1', sacral);
  const fine = isFineGrid(spine.instanceMask.spacing);
  const inputs = ['vertebral-body masks (holes and column gaps filled; the sacrum as segmented)', 'vertebra labels', ...(volume ? [`CT: endplates at the half-way HU crossing, as for heights${fine ? '' : ' (the sacrum at its mask edge on this coarse grid)'}`] : [])];
  const base = (method: string): Provenance => ({ method, inputs: [...inputs], caveats: [] });
  const cobbLevels = endplates.filter((e) => !e.truncated && /^(C[3-7]|T\d+|L\d)$/.test(e.label));
  const cobb = coronalCobb(cobbLevels, spine.vertebrae, base('largest angle between the superior endplate of an upper and the inferior endplate of a lower vertebra, endplate lines fitted in the coronal (L–S) plane; C3–L6, vertebrae cut by the field of view excluded'));
  if (spine.labelling.state === 'uncertain') cobb.caveats.push('level labels uncertain: end-vertebra names may be shifted');
  const lordosis = sagittalAngle(byLabel, ['L1', 'sup'], ['S1', 'sup'], -1, base('Cobb angle between the L1 superior and S1 superior endplates in the sagittal (P–S) plane; positive = lordosis'));
  const lumbosacral = lumbosacralAngle(endplates, spine.vertebrae);
  if (lordosis.status === 'measured' && lumbosacral && lumbosacral.angleDeg < 0) {
    lordosis.caveats.push(`the ${lumbosacral.upper}–S1 segment reads kyphotic (${lumbosacral.angleDeg.toFixed(1)}°), which is rare: the S1 endplate may be misplaced (segmentation at a steep L5–S1 disc); check it on the sagittal image`);
  }
  return {
    endplates,
    coronalCobb: cobb,
    thoracicKyphosisDeg: sagittalAngle(byLabel, ['T4', 'sup'], ['T12', 'inf'], 1, base('Cobb angle between the T4 superior and T12 inferior endplates in the sagittal (P–S) plane; positive = kyphosis')),
    lumbarLordosisDeg: lordosis,
  };
}

/**
 * Segmental angle of the lowest lumbar disc: S1 superior minus the inferior endplate of the
 * vertebra above it (positive = lordotic, the disc wedged open in front, as it normally is). Why a
 * check on it: an S1 mask that took the steep L5–S1 disc and L5's front lower corner reads this
 * segment kyphotic (segmentSpineCT on example_ct before it fitted each disc face as its own plane:
 * −7.2° against +8.0° on TotalSegmentator's masks, lordosis 20.5° against 55.4°; eval:measure b6).
 * That fit is skipped for low-density bodies, and a kyphotic lumbosacral disc is rare, so it is
 * reported as a caveat.
 */
function lumbosacralAngle(endplates: EndplateTilts[], vertebrae: readonly VertebraResult[]): { upper: string; angleDeg: number } | undefined {
  const order = [...vertebrae].sort((a, b) => a.instance - b.instance);
  const i = order.findIndex((v) => SACRUM.test(v.label));
  const aboveLabel = order[i - 1]?.label;
  const sacrum = endplates.find((e) => SACRUM.test(e.label));
  const above = endplates.find((e) => e.label === aboveLabel);
  if (!sacrum || !above || !/^L\d$/.test(above.label)) return undefined;
  return { upper: above.label, angleDeg: sacrum.sagittalSuperiorDeg - above.sagittalInferiorDeg };
}
