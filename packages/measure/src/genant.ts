/**
 * Genant semi-quantitative (SQ) grading of vertebral deformity from three vertebral heights.
 *
 * Genant's method is visual; what a program can do is its quantitative counterpart: take the
 * anterior / middle / posterior heights (six-point morphometry, Chou & Vokes, J Clin Densitom 2015,
 * clinical-reference §4.2), turn them into a height-loss fraction and map that fraction onto the
 * Genant bands. Area loss (the other column of Genant's table) is not used: we have no area.
 */

/** Anterior, middle and posterior vertebral body heights, all in the same unit (mm normally). */
export interface VertebralHeights {
  anteriorMm: number;
  middleMm: number;
  posteriorMm: number;
}

export type GenantGrade = 0 | 1 | 2 | 3;
export type DeformityShape = 'normal' | 'wedge' | 'biconcave' | 'crush';

/**
 * Height-loss bands of Genant 1993 as summarised by Wáng, QIMS 2019 (clinical-reference §4.1):
 * grade 0 < 20 %, grade 1 20–25 %, grade 2 25–40 %, grade 3 > 40 %.
 * A loss exactly on a boundary goes to the higher grade (20 % → 1, 25 % → 2), except 40 %,
 * which Genant's table leaves in grade 2 ("> 40 %" is severe).
 */
export const GENANT_MILD_LOSS = 0.2; // [Genant 1993 via Wáng QIMS 2019]
export const GENANT_MODERATE_LOSS = 0.25; // [Genant 1993 via Wáng QIMS 2019]
export const GENANT_SEVERE_LOSS = 0.4; // [Genant 1993 via Wáng QIMS 2019]

/** Genant grade for a height-loss fraction (0..1). */
export function gradeFromHeightLoss(loss: number): GenantGrade {
  if (!Number.isFinite(loss)) throw new RangeError(`height loss must be finite, got ${loss}`);
  if (loss > GENANT_SEVERE_LOSS) return 3;
  if (loss >= GENANT_MODERATE_LOSS) return 2;
  if (loss >= GENANT_MILD_LOSS) return 1;
  return 0;
}

export interface GenantNeighbours {
  /** Heights of the vertebra above (cranial), when measured and not itself graded as fractured. */
  above?: VertebralHeights;
  /** Heights of the vertebra below (caudal). */
  below?: VertebralHeights;
}

export interface GenantResult {
  grade: GenantGrade;
  shape: DeformityShape;
  /** The loss fraction that decided the grade: max(withinVertebra, vsNeighbours). */
  heightLoss: number;
  /** 1 − min(Ha, Hm, Hp) / max(Ha, Hm, Hp): deformity inside the vertebra (at L5, Hm and Hp judged against the normal L5 shape: NORMAL_SHAPE). */
  withinVertebraLoss: number;
  /**
   * 1 − max(H) / mean over neighbours of their max(H): a whole-body ("crush") loss that the
   * within-vertebra ratio cannot see. Undefined without neighbours. Clamped at 0.
   */
  vsNeighboursLoss: number | undefined;
  /** EVOS / Lunt ratios (clinical-reference §4.2). */
  ratios: {
    /** Ha / Hp. */
    wedge: number;
    /** Hm / Hp. */
    biconcave: number;
    /** Hp / Hp′ (above), when known. */
    crushAbove: number | undefined;
    /** Hp / Hp″ (below), when known. */
    crushBelow: number | undefined;
  };
  /** Which height is the shortest. */
  shortest: 'anterior' | 'middle' | 'posterior';
  /**
   * Only when gradeGenant got `heightUncertaintyMm`: the height loss ± its uncertainty propagated
   * from that of every height (own and neighbours'), clamped to [0, 1].
   */
  heightLossRange?: [number, number];
  /** The grades at the two ends of `heightLossRange`. */
  gradeRange?: [GenantGrade, GenantGrade];
  /** `heightLossRange` straddles a Genant threshold (20 / 25 / 40 %): the grade is not resolved by the measurement. */
  gradeBorderline?: boolean;
}

export interface GenantOptions {
  /**
   * ± uncertainty of each height (mm), the same for every height; e.g. the endplate quantisation of
   * a binary mask. Adds heightLossRange / gradeRange / gradeBorderline to the result.
   */
  heightUncertaintyMm?: number;
  /**
   * The vertebra's level (e.g. 'L5'). At a level in NORMAL_SHAPE the middle and posterior heights
   * are judged against that normal shape.
   */
  level?: string;
}

/**
 * Normal shape of levels whose body is normally a wedge, as fractions of the anterior height. L5
 * is taller in front, 30.3 ± 1.9 vs 26.3 ± 1.9 mm on CT (Cook & Baker, IJSS 2021;
 * clinical-reference §8.2): Hp / Ha 0.868; the middle of a straight wedge lies half-way, 0.934.
 * The posterior and middle heights are divided by these before the within-vertebra comparison
 * (capped at the tallest height). Why: against the tallest height a normal L5 already shows 13 %
 * loss, and a few millimetres of partial volume at the anterior-superior corner (3 mm slices)
 * push it over 20 % — a false "crush" (example_ct, own masks: 36.8 / 28.3 / 25.7 mm, grade 2;
 * TotalSegmentator's masks give grade 1 and its own report 21 %). An L5 whose posterior height is
 * truly lower still grades: a 20 % loss against the normal L5 shape is Hp / Ha ≤ 0.69. The
 * anterior height and the EVOS ratios are unchanged.
 */
export const NORMAL_SHAPE: Readonly<Record<string, { middle: number; posterior: number }>> = {
  L5: { middle: (1 + 26.3 / 30.3) / 2, posterior: 26.3 / 30.3 },
};

function checkHeights(h: VertebralHeights, what: string): void {
  for (const [k, v] of Object.entries(h)) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${what}.${k} must be a positive finite height, got ${v}`);
  }
}

const maxHeight = (h: VertebralHeights): number => Math.max(h.anteriorMm, h.middleMm, h.posteriorMm);

/**
 * Grade one vertebra.
 *
 * - Within-vertebra loss uses the tallest of the three heights as the reference (not always Hp as
 *   in EVOS), because lordotic L4/L5 are normally taller in front (L5 Ha 30.3 vs Hp 26.3 mm, Cook &
 *   Baker 2021, clinical-reference §8.2): 1 − Hp/Ha there is 13 %, below grade 1, as it should be;
 *   with `options.level` 'L5' the middle and posterior heights are judged against that normal shape.
 *   The same quantity is TotalSegmentator's spine-report "height_difference".
 * - Shape: shortest anterior → wedge, shortest middle → biconcave, shortest posterior → crush;
 *   when the neighbour comparison decides the grade the whole body is low → crush.
 * - The neighbour comparison averages above and below so the normal cranio-caudal increase in
 *   height (~1 mm per level) cancels; with a single neighbour that trend (~5 %) stays as a bias,
 *   well below the 20 % threshold.
 */
export function gradeGenant(heights: VertebralHeights, neighbours: GenantNeighbours = {}, options: GenantOptions = {}): GenantResult {
  checkHeights(heights, 'heights');
  if (neighbours.above) checkHeights(neighbours.above, 'neighbours.above');
  if (neighbours.below) checkHeights(neighbours.below, 'neighbours.below');
  const { anteriorMm: ha, middleMm: hm, posteriorMm: hp } = heights;
  const hMax = maxHeight(heights);
  const normal = options.level === undefined ? undefined : NORMAL_SHAPE[options.level];
  // The middle and posterior heights as they compare with the anterior one (NORMAL_SHAPE).
  const hmShape = normal ? Math.min(hm / normal.middle, hMax) : hm;
  const hpShape = normal ? Math.min(hp / normal.posterior, hMax) : hp;
  const hMin = Math.min(ha, hmShape, hpShape);
  const withinVertebraLoss = 1 - hMin / hMax;
  const shortest = hMin === ha ? 'anterior' : hMin === hmShape ? 'middle' : 'posterior';

  const refs = [neighbours.above, neighbours.below].filter((n): n is VertebralHeights => n !== undefined);
  let vsNeighboursLoss: number | undefined;
  if (refs.length > 0) {
    const expected = refs.reduce((s, n) => s + maxHeight(n), 0) / refs.length;
    vsNeighboursLoss = Math.max(0, 1 - hMax / expected);
  }
  const heightLoss = Math.max(withinVertebraLoss, vsNeighboursLoss ?? 0);
  const grade = gradeFromHeightLoss(heightLoss);
  let shape: DeformityShape = 'normal';
  if (grade > 0) {
    if (vsNeighboursLoss !== undefined && vsNeighboursLoss >= withinVertebraLoss) shape = 'crush';
    else shape = shortest === 'anterior' ? 'wedge' : shortest === 'middle' ? 'biconcave' : 'crush';
  }
  const result: GenantResult = {
    grade,
    shape,
    heightLoss,
    withinVertebraLoss,
    vsNeighboursLoss,
    ratios: {
      wedge: ha / hp,
      biconcave: hm / hp,
      crushAbove: neighbours.above ? hp / neighbours.above.posteriorMm : undefined,
      crushBelow: neighbours.below ? hp / neighbours.below.posteriorMm : undefined,
    },
    shortest,
  };
  const d = options.heightUncertaintyMm;
  if (d === undefined) return result;
  if (!Number.isFinite(d) || d < 0) throw new RangeError(`heightUncertaintyMm must be a finite non-negative number, got ${d}`);
  // First-order propagation, each height independent: loss = 1 − a/b has
  // σ² = (σa/b)² + (a·σb/b²)²; the neighbour reference is a mean of refs.length heights.
  const within = d * Math.hypot(1 / hMax, hMin / (hMax * hMax));
  const lo = [withinVertebraLoss - within];
  const hi = [withinVertebraLoss + within];
  if (vsNeighboursLoss !== undefined) {
    const expected = refs.reduce((s, n) => s + maxHeight(n), 0) / refs.length;
    const raw = 1 - hMax / expected;
    const vs = d * Math.hypot(1 / expected, hMax / (expected * expected * Math.sqrt(refs.length)));
    lo.push(raw - vs);
    hi.push(raw + vs);
  }
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  // The loss is the larger of the two: so are the ends of its range.
  const range: [number, number] = [clamp(Math.max(...lo)), clamp(Math.max(...hi))];
  const grades: [GenantGrade, GenantGrade] = [gradeFromHeightLoss(range[0]), gradeFromHeightLoss(range[1])];
  return { ...result, heightLossRange: range, gradeRange: grades, gradeBorderline: grades[0] !== grades[1] };
}

/** Levels that enter the spinal deformity index (Kerkeni, Osteoporos Int 2009; clinical-reference §4.1). */
export const SDI_LEVELS = ['T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4'] as const;

export interface SpinalDeformityIndex {
  /** Sum of Genant grades over the graded T4–L4 levels. A lower bound when levels are missing. */
  sdi: number;
  graded: string[];
  /** T4–L4 levels without a grade (out of the field of view, not graded): the SDI is incomplete. */
  missing: string[];
  complete: boolean;
}

/** SDI = sum of SQ grades T4–L4. `grades` maps level name → grade (levels outside T4–L4 are ignored). */
export function spinalDeformityIndex(grades: ReadonlyMap<string, GenantGrade>): SpinalDeformityIndex {
  const graded: string[] = [];
  const missing: string[] = [];
  let sdi = 0;
  for (const level of SDI_LEVELS) {
    const g = grades.get(level);
    if (g === undefined) missing.push(level);
    else {
      graded.push(level);
      sdi += g;
    }
  }
  return { sdi, graded, missing, complete: missing.length === 0 };
}

/** How many levels away the crush reference may be taken when the adjacent vertebra is fractured or unusable. */
export const NEIGHBOUR_REACH = 2;

/**
 * The reference vertebrae of vertebra i in a consecutive column (cranial → caudal): on each side
 * the nearest one within `NEIGHBOUR_REACH` levels that `intactAt` returns (measured, usable, not
 * itself deformed). Genant compares a body with nearby normal ones; a fractured neighbour would
 * hide or fake a crush, and with both neighbours skipped a crush could not be seen at all.
 */
export function intactNeighbours<T>(i: number, intactAt: (j: number) => T | undefined): { above?: T; below?: T } {
  const out: { above?: T; below?: T } = {};
  for (let d = 1; d <= NEIGHBOUR_REACH && out.above === undefined; d++) {
    const a = intactAt(i - d);
    if (a !== undefined) out.above = a;
  }
  for (let d = 1; d <= NEIGHBOUR_REACH && out.below === undefined; d++) {
    const b = intactAt(i + d);
    if (b !== undefined) out.below = b;
  }
  return out;
}

/**
 * Grade a whole column of consecutive vertebrae (cranial → caudal), comparing each with its
 * nearest intact neighbours (`intactNeighbours`). A vertebra whose own within-vertebra loss is
 * already ≥ 20 % is not used as a reference.
 */
export function gradeColumn(
  column: ReadonlyArray<{ level: string; heights: VertebralHeights | undefined }>,
  options: { useNeighbours?: boolean } = {},
): Map<string, GenantResult> {
  const useNeighbours = options.useNeighbours ?? true;
  const intact = column.map((c) => (c.heights ? gradeGenant(c.heights, {}, { level: c.level }).withinVertebraLoss < GENANT_MILD_LOSS : false));
  const out = new Map<string, GenantResult>();
  column.forEach((c, i) => {
    if (!c.heights) return;
    const nb: GenantNeighbours = useNeighbours ? intactNeighbours(i, (j) => (intact[j] ? column[j]?.heights : undefined)) : {};
    out.set(c.level, gradeGenant(c.heights, nb, { level: c.level }));
  });
  return out;
}
