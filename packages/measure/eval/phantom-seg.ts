/**
 * The spine phantom's own label maps turned into a SpineSegmentation: a "perfect segmentation", so
 * the measurement error can be told apart from the segmentation error.
 */
import { indexToWorld, type LabelMap, type Vec3 } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE, type SpinePhantom, type SpineSegmentation, type VertebraName, type VertebraResult } from '@rachis/spine';

export function phantomSegmentation(ph: SpinePhantom): SpineSegmentation {
  const visible = ph.truth.vertebrae.filter((v) => v.visible);
  const instanceOf = new Map<number, number>();
  visible.forEach((v, i) => instanceOf.set(v.labelValue, i + 1));
  const lab = ph.labels.data;
  const part = ph.parts.data;
  const inst = new Uint8Array(lab.length);
  const partOut = new Uint8Array(lab.length);
  const sums = visible.map(() => [0, 0, 0, 0]);
  const [nx, ny] = ph.labels.size;
  for (let idx = 0; idx < lab.length; idx++) {
    const n = instanceOf.get(lab[idx]!);
    if (!n) continue;
    inst[idx] = n;
    const pv = part[idx]!;
    partOut[idx] = pv >= 1 && pv <= 3 ? pv : 0;
    if (pv === 1) {
      const s = sums[n - 1]!;
      s[0]! += idx % nx;
      s[1]! += Math.floor(idx / nx) % ny;
      s[2]! += Math.floor(idx / (nx * ny));
      s[3]! += 1;
    }
  }
  const vertebrae: VertebraResult[] = visible.map((v, i) => {
    const s = sums[i]!;
    const c: Vec3 = s[3]! > 0 ? indexToWorld(ph.labels, [s[0]! / s[3]!, s[1]! / s[3]!, s[2]! / s[3]!]) : v.bodyCentreMm;
    return {
      instance: i + 1, label: v.name as VertebraName, centroidMm: v.centroidMm ?? v.bodyCentreMm, bodyCentroidMm: c,
      confidence: 1, truncated: v.truncated, evidence: ['phantom truth'], voxelCount: 0,
    };
  });
  const mk = (data: Uint8Array, labels: Map<number, string>): LabelMap => ({
    size: ph.labels.size, spacing: ph.labels.spacing, origin: ph.labels.origin, direction: ph.labels.direction, data, labels,
  });
  return {
    instanceMask: mk(inst, new Map(vertebrae.map((v) => [v.instance, v.label]))),
    vertebraMask: mk(Uint8Array.from(lab), new Map(vertebrae.map((v) => [VERTEBRA_LABEL_VALUE[v.label], v.label]))),
    partMask: mk(partOut, new Map([[1, 'body'], [2, 'posterior elements'], [3, 'canal']])),
    centrelineMm: [],
    vertebrae,
    discs: [],
    labelling: { state: 'confident', hypotheses: [], anchors: ['phantom truth'] },
    warnings: [],
    timings: {},
    algorithm: { name: 'phantom-truth', version: '1' },
  };
}
