/**
 * The MosMed "anchor-free-genant" rater annotations (../shared/data/genant-vertebral-heights-mosmed):
 * parse one file, grade every rater's heights with Rachis's `gradeColumn`, and compute
 * rater-vs-rater agreement. Pure functions over parsed JSON; the caller reads the files.
 *
 * Format (PROVENANCE.md, upstream utils.py): { Folder, SeriesInstanceUID, Annotation: { expertN: [
 * { type: 'Th7', segments: [[p, q] × 3] } ] } }, segments = posterior, middle, anterior height
 * segments, p/q = voxel coordinates [row (AP), column (sagittal slice), slice index].
 */
import { cohenKappa, fleissKappa, type KappaResult, type FleissResult } from '../src/agreement.js';
import { gradeColumn, type GenantResult, type VertebralHeights } from '../src/genant.js';

type Point = [number, number, number];
export interface MosmedVertebra { type: string; segments: [Point, Point][] }
export interface MosmedFile {
  Folder: string;
  SeriesInstanceUID: string;
  Annotation: Record<string, MosmedVertebra[]>;
}

/** Cranio-caudal order of the level names used in the annotation ("Th" = thoracic). */
const ORDER = ['C4', 'C5', 'C6', 'C7', ...Array.from({ length: 12 }, (_, i) => `T${i + 1}`), 'L1', 'L2', 'L3', 'L4', 'L5'];
export const mosmedLevel = (type: string): string => type.replace(/^Th/, 'T');

export function parseMosmed(json: unknown, name = 'annotation'): MosmedFile {
  const f = json as Partial<MosmedFile>;
  if (!f || typeof f !== 'object' || typeof f.Annotation !== 'object' || f.Annotation === null) {
    throw new Error(`${name}: not a MosMed Genant annotation (no "Annotation" object)`);
  }
  for (const [rater, list] of Object.entries(f.Annotation)) {
    if (!Array.isArray(list)) throw new Error(`${name}: ${rater} is not a list`);
    for (const v of list) {
      if (typeof v?.type !== 'string' || !ORDER.includes(mosmedLevel(v.type)) || v.segments?.length !== 3) {
        throw new Error(`${name}: ${rater} has a malformed vertebra ${JSON.stringify(v).slice(0, 80)}`);
      }
    }
  }
  return f as MosmedFile;
}

/**
 * Voxel → length scale per axis. The images (and so the spacings) are not in the shared data, so
 * heights are in voxel units by default; height-loss ratios only depend on the ratio of the
 * in-plane to the slice spacing through the small AP tilt of the segments (see the sensitivity rows).
 */
export type AxisScale = readonly [number, number, number];

function segLength([p, q]: [Point, Point], s: AxisScale): number {
  return Math.hypot((p[0] - q[0]) * s[0], (p[1] - q[1]) * s[1], (p[2] - q[2]) * s[2]);
}

export function raterHeights(list: MosmedVertebra[], scale: AxisScale = [1, 1, 1]): Map<string, VertebralHeights> {
  const out = new Map<string, VertebralHeights>();
  for (const v of list) {
    const [post, mid, ant] = v.segments as [[Point, Point], [Point, Point], [Point, Point]];
    out.set(mosmedLevel(v.type), { posteriorMm: segLength(post, scale), middleMm: segLength(mid, scale), anteriorMm: segLength(ant, scale) });
  }
  return out;
}

/** Grade every rater's column. Gaps in a rater's levels are kept as gaps (no false neighbours). */
export function gradeRaters(file: MosmedFile, options: { scale?: AxisScale; useNeighbours?: boolean } = {}): Map<string, Map<string, GenantResult>> {
  const out = new Map<string, Map<string, GenantResult>>();
  for (const [rater, list] of Object.entries(file.Annotation)) {
    const h = raterHeights(list, options.scale);
    const present = ORDER.filter((l) => h.has(l));
    if (present.length === 0) continue;
    const lo = ORDER.indexOf(present[0]!);
    const hi = ORDER.indexOf(present[present.length - 1]!);
    const column = ORDER.slice(lo, hi + 1).map((level) => ({ level, heights: h.get(level) }));
    out.set(rater, gradeColumn(column, { useNeighbours: options.useNeighbours ?? true }));
  }
  return out;
}

export interface PairAgreement {
  pair: string;
  n: number;
  unweighted: KappaResult;
  linear: KappaResult;
  quadratic: KappaResult;
  /** Binary "any deformity" (grade ≥ 1) and "moderate or severe" (grade ≥ 2, triage positive). */
  anyFracture: KappaResult;
  moderateOrSevere: KappaResult;
  /** Mean |Δ height loss| between the two raters, in percentage points. */
  meanAbsLossDiffPct: number;
}

export interface AgreementReport {
  files: number;
  vertebraeGraded: number;
  gradeCounts: Record<string, number[]>;
  pairs: PairAgreement[];
  fleiss: FleissResult;
  fleiss3Binary: FleissResult;
}

/** Rater-vs-rater agreement pooled over files; vertebrae are matched by level within a file. */
export function raterAgreement(files: MosmedFile[], options: { scale?: AxisScale; useNeighbours?: boolean } = {}): AgreementReport {
  const pairData = new Map<string, { a: number[]; b: number[]; la: number[]; lb: number[] }>();
  const gradeCounts: Record<string, number[]> = {};
  const triples: number[][] = [];
  let vertebraeGraded = 0;
  for (const file of files) {
    const graded = gradeRaters(file, options);
    const raters = [...graded.keys()].sort();
    for (const r of raters) {
      const counts = (gradeCounts[r] ??= [0, 0, 0, 0]);
      for (const g of graded.get(r)!.values()) {
        counts[g.grade]! += 1;
        vertebraeGraded++;
      }
    }
    for (let i = 0; i < raters.length; i++) {
      for (let j = i + 1; j < raters.length; j++) {
        const key = `${raters[i]}–${raters[j]}`;
        const d = pairData.get(key) ?? { a: [], b: [], la: [], lb: [] };
        pairData.set(key, d);
        const ga = graded.get(raters[i]!)!;
        const gb = graded.get(raters[j]!)!;
        for (const [level, ra] of ga) {
          const rb = gb.get(level);
          if (!rb) continue;
          d.a.push(ra.grade);
          d.b.push(rb.grade);
          d.la.push(ra.heightLoss);
          d.lb.push(rb.heightLoss);
        }
      }
    }
    const [e1, e2, e3] = ['expert1', 'expert2', 'expert3'].map((r) => graded.get(r));
    if (e1 && e2 && e3) {
      for (const [level, r1] of e1) {
        const r2 = e2.get(level);
        const r3 = e3.get(level);
        if (r2 && r3) triples.push([r1.grade, r2.grade, r3.grade]);
      }
    }
  }
  const bin = (t: number) => (v: number) => (v >= t ? 1 : 0);
  const pairs = [...pairData.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([pair, d]): PairAgreement => ({
    pair,
    n: d.a.length,
    unweighted: cohenKappa(d.a, d.b, 4, 'none'),
    linear: cohenKappa(d.a, d.b, 4, 'linear'),
    quadratic: cohenKappa(d.a, d.b, 4, 'quadratic'),
    anyFracture: cohenKappa(d.a.map(bin(1)), d.b.map(bin(1)), 2),
    moderateOrSevere: cohenKappa(d.a.map(bin(2)), d.b.map(bin(2)), 2),
    meanAbsLossDiffPct: (100 * d.la.reduce((s, v, k) => s + Math.abs(v - d.lb[k]!), 0)) / Math.max(1, d.la.length),
  }));
  return {
    files: files.length,
    vertebraeGraded,
    gradeCounts,
    pairs,
    fleiss: fleissKappa(triples, 4),
    fleiss3Binary: fleissKappa(triples.map((t) => t.map(bin(1))), 2),
  };
}
