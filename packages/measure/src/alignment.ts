/**
 * Alignment from endplate tilts: coronal Cobb angle, thoracic kyphosis T4–T12, lumbar lordosis
 * L1–S1 (clinical-reference §6). Tilts are measured in the image's coronal (L–S) and sagittal
 * (P–S) planes, since that is how the angles are defined on radiographs:
 * each endplate surface is sampled along vertical (S) lines through the central 60 % of the body's
 * width (coronal) or depth (sagittal); a least-squares line through the surface points gives the tilt.
 */
import type { Vec3 } from '@rachis/imaging';
import type { SpineSegmentation, VertebraName, VertebraResult } from '@rachis/spine';
import { indexToWorld } from '@rachis/imaging';
import { add, bodySampler, collectBodies, exitDistance, type BodyVoxels, type Sampler } from './body-mask.js';
import { measured, notMeasured, type AlignmentResults, type CobbValue, type EndplateTilts, type Measured, type Provenance } from './types.js';

const UP: Vec3 = [0, 0, 1];
const DOWN: Vec3 = [0, 0, -1];
const DEG = 180 / Math.PI;
/** Scoliosis: Cobb ≥ 10° [SRS definition, clinical-reference §6 — ⚠ confirmed only by a patient-facing source]. */
export const SCOLIOSIS_COBB_DEG = 10;
const SURFACE_FRACTION = 0.6;
const SAMPLES = 11;

/** Slope (dy/dx) of the least-squares line through points; undefined with < 3 points. */
function slope(xs: number[], ys: number[]): number | undefined {
  const n = xs.length;
  if (n < 3) return undefined;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : undefined;
}

/** Superior and inferior endplate tilt along one horizontal world axis (0 = L, 1 = P). */
function tilts(sample: Sampler, start: Vec3, axis: 0 | 1): [number, number] | undefined {
  const dir: Vec3 = axis === 0 ? [1, 0, 0] : [0, 1, 0];
  const neg: Vec3 = axis === 0 ? [-1, 0, 0] : [0, -1, 0];
  const hi = exitDistance(sample, start, dir);
  const lo = exitDistance(sample, start, neg);
  if (hi === undefined || lo === undefined) return undefined;
  const xs: number[] = [], sup: number[] = [], inf: number[] = [];
  const span = (hi + lo) * SURFACE_FRACTION;
  const from = (hi - lo) / 2 - span / 2;
  for (let s = 0; s < SAMPLES; s++) {
    const x = from + (span * s) / (SAMPLES - 1);
    const p = add(start, dir, x);
    const up = exitDistance(sample, p, UP);
    const dn = exitDistance(sample, p, DOWN);
    if (up === undefined || dn === undefined) continue;
    xs.push(x);
    sup.push(up);
    inf.push(-dn);
  }
  const a = slope(xs, sup);
  const b = slope(xs, inf);
  return a === undefined || b === undefined ? undefined : [Math.atan(a) * DEG, Math.atan(b) * DEG];
}

/**
 * A start point inside the body for the surface search. For the sacrum, whose centroid lies far
 * below and in front of S1's endplate, the centroid of its top 15 mm is used instead.
 */
function startPoint(spine: SpineSegmentation, body: BodyVoxels, label: VertebraName): Vec3 {
  if (label !== 'S1' && label !== 'sacrum') return body.centroidMm;
  const [nx, ny] = spine.instanceMask.size;
  const pts = body.indices.map((idx) => indexToWorld(spine.instanceMask, [idx % nx, Math.floor(idx / nx) % ny, Math.floor(idx / (nx * ny))]));
  const top = Math.max(...pts.map((p) => p[2]));
  const sel = pts.filter((p) => p[2] > top - 15);
  const c = sel.reduce<Vec3>((s, p) => add(s, p, 1 / sel.length), [0, 0, 0]);
  return c;
}

export function measureEndplateTilts(spine: SpineSegmentation): EndplateTilts[] {
  const bodies = collectBodies(spine);
  const out: EndplateTilts[] = [];
  for (const v of [...spine.vertebrae].sort((a, b) => a.instance - b.instance)) {
    const body = bodies.get(v.instance);
    if (!body || v.truncated) continue;
    const sample = bodySampler(spine, v.instance);
    const start = startPoint(spine, body, v.label);
    const cor = tilts(sample, start, 0);
    const sag = tilts(sample, start, 1);
    if (!cor || !sag) continue;
    out.push({ label: v.label, coronalSuperiorDeg: cor[0], coronalInferiorDeg: cor[1], sagittalSuperiorDeg: sag[0], sagittalInferiorDeg: sag[1] });
  }
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
  const a = upperPlate === 'sup' ? u.sagittalSuperiorDeg : u.sagittalInferiorDeg;
  const b = lowerPlate === 'sup' ? l.sagittalSuperiorDeg : l.sagittalInferiorDeg;
  return measured(sign * (a - b), p);
}

export function measureAlignment(spine: SpineSegmentation): AlignmentResults {
  const endplates = measureEndplateTilts(spine);
  const byLabel = new Map(endplates.map((e) => [e.label as string, e] as const));
  const sacral = byLabel.get('S1') ?? byLabel.get('sacrum');
  if (sacral) byLabel.set('S1', sacral);
  const base = (method: string): Provenance => ({ method, inputs: ['vertebral-body masks', 'vertebra labels'], caveats: [] });
  const cobb = coronalCobb(endplates, spine.vertebrae, base('largest angle between the superior endplate of an upper and the inferior endplate of a lower vertebra, endplate lines fitted in the coronal (L–S) plane'));
  if (spine.labelling.state === 'uncertain') cobb.caveats.push('level labels uncertain: end-vertebra names may be shifted');
  return {
    endplates,
    coronalCobb: cobb,
    thoracicKyphosisDeg: sagittalAngle(byLabel, ['T4', 'sup'], ['T12', 'inf'], 1, base('Cobb angle between the T4 superior and T12 inferior endplates in the sagittal (P–S) plane; positive = kyphosis')),
    lumbarLordosisDeg: sagittalAngle(byLabel, ['L1', 'sup'], ['S1', 'sup'], -1, base('Cobb angle between the L1 superior and S1 superior endplates in the sagittal (P–S) plane; positive = lordosis')),
  };
}
