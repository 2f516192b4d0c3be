/**
 * The phantom's geometric model: levels with their (possibly deformed) heights, placed along
 * the curved centreline, each with its own local frame. No voxels here.
 */
import type { Vec3 } from '@rachis/imaging';
import { VERTEBRA_LABEL_VALUE } from '../types.js';
import type { VertebraName } from '../types.js';
import { buildCentreline, buildLevels, frameAt, sampleCentreline } from './anatomy.js';
import type { Centreline, Frame, LevelAnatomy } from './anatomy.js';
import type { DeformityShape, SpinePhantomParams } from './params.js';

export interface PlacedLevel extends LevelAnatomy {
  labelValue: number;
  s: number;
  frame: Frame;
  ha: number;
  hm: number;
  hp: number;
  /** Largest of ha/hm/hp: the room the body takes on the column. */
  hmax: number;
  shape: 'normal' | DeformityShape;
  lossPct: number;
  trabecularHU: number;
  /** Canal centre on the local anterior axis (negative = posterior), mm. */
  canalA: number;
}

export interface SpineModel {
  levels: PlacedLevel[];
  centreline: Centreline;
  /** Arc length at the bottom of the sacrum. */
  sacrumEndS: number;
  at(s: number): { p: Vec3; t: Vec3 };
  /** Index of the level whose centre is at or above s (clamped). */
  levelIndexAt(s: number): number;
}

function trabecular(p: SpinePhantomParams, l: LevelAnatomy): number {
  const def = l.region === 'L' ? 180 : l.region === 'S' ? 220 : 200;
  const t = p.trabecularHU;
  if (typeof t === 'number') return t;
  return t?.[l.name] ?? def;
}

export function buildModel(p: SpinePhantomParams): SpineModel {
  const thoracicCount = p.thoracicCount ?? 12;
  const lumbarCount = p.lumbarCount ?? 5;
  const ribPairs = p.ribPairs ?? thoracicCount;
  const base = buildLevels({ thoracicCount, lumbarCount, ribPairs });
  const names = new Set(base.map((l) => l.name));
  for (const d of p.deformities ?? []) {
    if (!names.has(d.level)) throw new RangeError(`deformity level ${d.level} is not in this spine`);
  }
  const heights = base.map((l): { ha: number; hm: number; hp: number; shape: 'normal' | DeformityShape; loss: number } => {
    const d = p.deformities?.find((x) => x.level === l.name);
    const H = l.height;
    const f = 1 - Math.min(80, Math.max(0, d?.heightLossPct ?? 0)) / 100;
    if (!d || d.shape === 'wedge') return { ha: H * f, hm: (H * f + H) / 2, hp: H, shape: d?.shape ?? 'normal', loss: d?.heightLossPct ?? 0 };
    if (d.shape === 'biconcave') return { ha: H, hm: H * f, hp: H, shape: d.shape, loss: d.heightLossPct };
    return { ha: H * f, hm: H * f, hp: H * f, shape: d.shape, loss: d.heightLossPct };
  });
  const centresS: number[] = [];
  let s = (heights[0]?.hp ?? 10) / 2;
  for (let i = 0; i < base.length; i++) {
    centresS.push(s);
    const hNow = Math.max(heights[i]!.ha, heights[i]!.hm, heights[i]!.hp);
    const next = heights[i + 1];
    if (next) s += hNow / 2 + base[i]!.discBelow + Math.max(next.ha, next.hm, next.hp) / 2;
  }
  const last = centresS[centresS.length - 1]!;
  const sacrumEndS = last + 90;
  const pick = (n: VertebraName): number => centresS[base.findIndex((l) => l.name === n)] ?? 0;
  const sc = p.scoliosis;
  const centreline = buildCentreline(
    {
      centresS,
      kyphosisDeg: p.kyphosisDeg ?? 40,
      lordosisDeg: p.lordosisDeg ?? 50,
      ...(sc && sc.amplitudeMm !== 0
        ? { scoliosis: { amplitudeMm: sc.amplitudeMm, fromS: pick(sc.from ?? 'T5'), toS: pick(sc.to ?? 'L3'), shape: sc.shape ?? 'C' } }
        : {}),
    },
    base,
    sacrumEndS + 20,
  );
  const at = (x: number): { p: Vec3; t: Vec3 } => sampleCentreline(centreline, x);
  const levels: PlacedLevel[] = base.map((l, i) => {
    const sc0 = centresS[i]!;
    const { p: c, t } = at(sc0);
    const hgt = heights[i]!;
    return {
      ...l,
      labelValue: VERTEBRA_LABEL_VALUE[l.name],
      s: sc0,
      frame: frameAt(c, t),
      ha: hgt.ha,
      hm: hgt.hm,
      hp: hgt.hp,
      hmax: Math.max(hgt.ha, hgt.hm, hgt.hp),
      shape: hgt.shape,
      lossPct: hgt.loss,
      trabecularHU: trabecular(p, l),
      canalA: -(l.bodyRy + l.canalRy + 1.5),
    };
  });
  const levelIndexAt = (x: number): number => {
    let i = 0;
    while (i + 1 < levels.length && levels[i + 1]!.s <= x) i++;
    return i;
  };
  return { levels, centreline, sacrumEndS, at, levelIndexAt };
}

/** Body height at local (l, a) for a level: quadratic through the posterior, middle and anterior heights. */
export function bodyHeightAt(v: PlacedLevel, l: number, a: number): number {
  const u = a / v.bodyRy;
  const rho2 = u * u + (l / v.bodyRx) ** 2;
  return v.hm + ((v.ha - v.hp) / 2) * u + ((v.ha + v.hp) / 2 - v.hm) * rho2;
}
