/**
 * Tiny hand-made spines with exact geometry for unit tests (independent of the spine package's
 * phantom): elliptic vertebral bodies whose superior endplate is a plane with a chosen anterior and
 * posterior height and coronal tilt, plus a posterior-element block behind each body.
 */
import { indexToWorld, type Mat3, type Vec3, type Volume, type LabelMap } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpineSegmentation, type VertebraName, type VertebraResult } from '@rachis/spine';

export interface SyntheticBody {
  label: VertebraName;
  /** Body centre in x (L) and y (P), and the S of the inferior endplate centre. */
  cx: number;
  cy: number;
  bottomZ: number;
  rx: number;
  ry: number;
  /** Heights at the anterior (y = cy − ry) and posterior (y = cy + ry) walls; linear in between. */
  anteriorMm: number;
  posteriorMm: number;
  /** Coronal tilt of both endplates (degrees, left up = +). */
  coronalTiltDeg?: number;
  /** Middle height dip (biconcave) in mm at the centre, 0 at the rim. */
  middleDipMm?: number;
  truncated?: boolean;
}

export interface SyntheticSpine {
  volume: Volume<Int16Array>;
  spine: SpineSegmentation;
}

/** Height of the synthetic body at (x, y) (above its inferior endplate), before the coronal tilt. */
export function bodyHeightAt(b: SyntheticBody, x: number, y: number): number {
  const f = (y - (b.cy - b.ry)) / (2 * b.ry);
  const r2 = ((x - b.cx) / b.rx) ** 2 + ((y - b.cy) / b.ry) ** 2;
  return b.anteriorMm + (b.posteriorMm - b.anteriorMm) * f - (b.middleDipMm ?? 0) * Math.max(0, 1 - r2);
}

export function syntheticSpine(
  bodies: SyntheticBody[],
  grid: { size: Vec3; spacing: Vec3; origin: Vec3; direction?: Mat3 },
  hu: { body: number; elements: number; background: number } = { body: 150, elements: 400, background: -100 },
): SyntheticSpine {
  const g = { size: grid.size, spacing: grid.spacing, origin: grid.origin, direction: grid.direction ?? ([1, 0, 0, 0, 1, 0, 0, 0, 1] as Mat3) };
  const n = g.size[0] * g.size[1] * g.size[2];
  const inst = new Uint8Array(n);
  const part = new Uint8Array(n);
  const lab = new Uint8Array(n);
  const ct = new Int16Array(n).fill(hu.background);
  const sums = bodies.map(() => ({ all: [0, 0, 0, 0], body: [0, 0, 0, 0] }));
  // World position is affine in the index: step vectors instead of a matrix product per voxel.
  const o = indexToWorld(g, [0, 0, 0]);
  const step = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map((e) => indexToWorld(g, e as unknown as Vec3).map((v, a) => v - o[a]!));
  const [si, sj, sk] = step as [number[], number[], number[]];
  for (let k = 0, idx = 0; k < g.size[2]; k++) {
    for (let j = 0; j < g.size[1]; j++) {
      for (let i = 0; i < g.size[0]; i++, idx++) {
        const x = o[0] + i * si[0]! + j * sj[0]! + k * sk[0]!;
        const y = o[1] + i * si[1]! + j * sj[1]! + k * sk[1]!;
        const z = o[2] + i * si[2]! + j * sj[2]! + k * sk[2]!;
        for (let bi = 0; bi < bodies.length; bi++) {
          const b = bodies[bi]!;
          const zb = b.bottomZ + Math.tan(((b.coronalTiltDeg ?? 0) * Math.PI) / 180) * (x - b.cx);
          if (z < zb - 1 || z > zb + Math.max(b.anteriorMm, b.posteriorMm) + 1) continue;
          const inEllipse = ((x - b.cx) / b.rx) ** 2 + ((y - b.cy) / b.ry) ** 2 <= 1;
          const isBody = inEllipse && z >= zb && z <= zb + bodyHeightAt(b, x, y);
          // Posterior elements: a block behind the body, 12 mm deep, 10 mm wide, mid-height.
          const isElem = !isBody && Math.abs(x - b.cx) <= 5 && y > b.cy + b.ry + 2 && y <= b.cy + b.ry + 14 && z >= zb + 4 && z <= zb + b.posteriorMm - 4;
          if (!isBody && !isElem) continue;
          inst[idx] = bi + 1;
          part[idx] = isBody ? 1 : 2;
          lab[idx] = VERTEBRA_LABEL_VALUE[b.label];
          ct[idx] = isBody ? hu.body : hu.elements;
          for (const acc of isBody ? [sums[bi]!.all, sums[bi]!.body] : [sums[bi]!.all]) {
            acc[0]! += x;
            acc[1]! += y;
            acc[2]! += z;
            acc[3]! += 1;
          }
        }
      }
    }
  }
  const labels = (m: Map<number, string>) => m as ReadonlyMap<number, string>;
  const mk = (data: Uint8Array, names: Map<number, string>): LabelMap => ({ ...g, data, labels: labels(names) });
  const mean = (a: number[]): Vec3 => [a[0]! / a[3]!, a[1]! / a[3]!, a[2]! / a[3]!];
  const vertebrae: VertebraResult[] = bodies.map((b, bi) => ({
    instance: bi + 1, label: b.label, centroidMm: mean(sums[bi]!.all), bodyCentroidMm: mean(sums[bi]!.body),
    confidence: 1, truncated: b.truncated ?? false, evidence: ['synthetic'], voxelCount: sums[bi]!.all[3]!,
  }));
  const spine: SpineSegmentation = {
    instanceMask: mk(inst, new Map(bodies.map((b, i) => [i + 1, b.label]))),
    vertebraMask: mk(lab, new Map(bodies.map((b) => [VERTEBRA_LABEL_VALUE[b.label], b.label]))),
    partMask: mk(part, new Map([[1, 'body'], [2, 'posterior elements']])),
    centrelineMm: [],
    vertebrae,
    discs: [],
    labelling: { state: 'confident', hypotheses: [], anchors: ['synthetic'] },
    warnings: [],
    timings: {},
    algorithm: { name: 'synthetic', version: '0' },
  };
  return { volume: { ...g, data: ct, meta: { modality: 'CT', unit: 'HU', rescaled: true } }, spine };
}

/** Five stacked lumbar-sized bodies T12..L4 with the given per-level overrides. */
/** Surfaces lie half-way between voxel centres so the voxelised sizes equal the analytic ones. */
export function stack(overrides: Partial<Record<VertebraName, Partial<SyntheticBody>>> = {}, spacing: Vec3 = [1, 1, 0.5]): SyntheticSpine {
  const names: VertebraName[] = ['T12', 'L1', 'L2', 'L3', 'L4'];
  const bodies = names.map((label, i): SyntheticBody => ({
    label, cx: 0, cy: 0, bottomZ: 100 - i * 34, rx: 20, ry: 15, anteriorMm: 26, posteriorMm: 26, ...overrides[label],
  }));
  const lo: Vec3 = [-30 + spacing[0] / 2, -22 + spacing[1] / 2, -45 + spacing[2] / 2];
  const size: Vec3 = [Math.ceil(60 / spacing[0]), Math.ceil(52 / spacing[1]), Math.ceil(185 / spacing[2])];
  return syntheticSpine(bodies, { size, spacing, origin: lo });
}

/** World mm (x, y, z) of voxel `idx` on an axis-aligned grid (identity direction, as the stacks here). */
export function worldAt(g: { size: Vec3; spacing: Vec3; origin: Vec3 }, idx: number): Vec3 {
  const [nx, ny] = g.size;
  return [g.origin[0] + (idx % nx) * g.spacing[0], g.origin[1] + (Math.floor(idx / nx) % ny) * g.spacing[1], g.origin[2] + Math.floor(idx / (nx * ny)) * g.spacing[2]];
}

/** Set the part label of instance `inst` to `to` where `where(x, y, z)` (world mm) holds; returns the count. */
export function relabel(spine: SpineSegmentation, inst: number, to: number, where: (x: number, y: number, z: number) => boolean): number {
  const g = spine.instanceMask;
  let n = 0;
  g.data.forEach((v, idx) => {
    if (!where(...worldAt(g, idx))) return;
    if (to === 1 && v === 0) spine.instanceMask.data[idx] = inst;
    else if (v !== inst) return;
    spine.partMask.data[idx] = to;
    n++;
  });
  return n;
}
