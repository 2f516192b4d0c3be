/**
 * Anatomical labelling by explaining the observed anchors (rib-bearing or not per vertebra,
 * sacrum at the bottom) with every plausible spine: 12/13 thoracic, 4/5/6 lumbar, 11–13 rib
 * pairs, any offset of the first detected vertebra. Each candidate costs 3 per observation it
 * contradicts and 2.5 per transitional variant it needs (each variant has a prevalence of a
 * few per cent); a weak size prior (body width per level, capped at 2) breaks ties when
 * anchors are missing. Equal label sequences are merged. The best is confident only when anchors
 * exist, it contradicts nothing and it beats the next hypothesis clearly.
 */
import { RachisError } from '@rachis/imaging';
import type { LabelHypothesis, LabelOverride, VertebraName } from '../types.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface Observation {
  ribs: Tri;
  sacrum: Tri;
  /** Left-right width of the vertebral body (mm), a weak size prior when anchors are missing. */
  bodyWidthMm?: number;
}

/** Typical adult body width (mm) by level: C2–C3 ≈ 16 → C7 ≈ 22, T1 ≈ 24 → T12 ≈ 42, L1 ≈ 44 → L5, S1 ≈ 50; C1 has no body. */
export function typicalBodyWidthMm(name: VertebraName): number | undefined {
  const n = Number(name.slice(1));
  if (name === 'C1') return undefined;
  if (name === 'S1') return 50;
  if (name.startsWith('C')) return n >= 3 ? 16 + ((n - 3) * 6) / 4 : 16;
  if (name.startsWith('T')) return 24 + ((Math.min(n, 12) - 1) * 18) / 11;
  if (name.startsWith('L')) return 44 + ((Math.min(n, 5) - 1) * 6) / 4;
  return undefined;
}

export interface Labelling {
  labels: VertebraName[];
  confident: boolean;
  hypotheses: LabelHypothesis[];
  anchors: string[];
  /** Per vertebra: evidence strings. */
  evidence: string[][];
}

export function nameSequence(thoracic: number, lumbar: number): VertebraName[] {
  const out: VertebraName[] = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
  for (let i = 1; i <= thoracic; i++) out.push(`T${i}` as VertebraName);
  for (let i = 1; i <= lumbar; i++) out.push(`L${i}` as VertebraName);
  out.push('S1');
  return out;
}

const MISMATCH = 3;
const VARIANT = 2.5;

interface Candidate {
  labels: VertebraName[];
  cost: number;
  mismatches: number;
  reason: string;
}

export function labelVertebrae(obs: Observation[]): Labelling {
  const n = obs.length;
  const anchors: string[] = [];
  const ribIdx = obs.map((o, i) => (o.ribs === 'yes' ? i : -1)).filter((i) => i >= 0);
  const lowestRib = ribIdx.at(-1);
  const firstRib = ribIdx[0];
  if (lowestRib !== undefined && obs.slice(lowestRib + 1).some((o) => o.ribs === 'no')) anchors.push('lowest-rib');
  if (firstRib !== undefined && obs.slice(0, firstRib).some((o) => o.ribs === 'no')) anchors.push('first-rib');
  if (obs.some((o) => o.sacrum === 'yes')) anchors.push('sacrum');

  const best = new Map<string, Candidate>();
  for (const t of [12, 13]) {
    for (const l of [4, 5, 6]) {
      for (const r of [11, 12, 13]) {
        if (r > t) continue;
        const seq = nameSequence(t, l);
        const variants = (t !== 12 ? 1 : 0) + (l !== 5 ? 1 : 0) + (r !== t ? 1 : 0);
        for (let o = 0; o + n <= seq.length; o++) {
          const labels = seq.slice(o, o + n);
          let mism = 0;
          let sizeCost = 0;
          labels.forEach((nm, i) => {
            const ob = obs[i]!;
            const isT = nm.startsWith('T');
            const ribbed = isT && Number(nm.slice(1)) <= r;
            if ((ob.ribs === 'yes' && !ribbed) || (ob.ribs === 'no' && ribbed)) mism++;
            const isS = nm === 'S1';
            if ((ob.sacrum === 'yes' && !isS) || (ob.sacrum === 'no' && isS)) mism++;
            const want = typicalBodyWidthMm(nm);
            // C1 has no body: a measured body there counts as a poor size match.
            if (ob.bodyWidthMm !== undefined) sizeCost += want === undefined ? 0.8 : 0.2 * ((ob.bodyWidthMm - want) / 8) ** 2;
          });
          const cost = mism * MISMATCH + variants * VARIANT + Math.min(2, sizeCost);
          const key = labels.join(',');
          const prev = best.get(key);
          if (!prev || cost < prev.cost) {
            const v: string[] = [];
            if (t !== 12) v.push(`${t} thoracic`);
            if (l !== 5) v.push(`${l} lumbar`);
            if (r !== t) v.push(`${r} rib pairs`);
            best.set(key, {
              labels,
              cost,
              mismatches: mism,
              reason: `${v.length ? v.join(', ') : 'standard 12 thoracic / 5 lumbar'}; contradicts ${mism} observation(s)`,
            });
          }
        }
      }
    }
  }
  const cands = [...best.values()].sort((a, b) => a.cost - b.cost);
  const z = cands.reduce((acc, c) => acc + Math.exp(-c.cost), 0);
  const top = cands.slice(0, 4);
  const hypotheses: LabelHypothesis[] = top.map((c) => ({ labels: c.labels, probability: Math.exp(-c.cost) / z, reason: c.reason }));
  const b0 = cands[0]!;
  const b1 = cands[1];
  const confident = anchors.length > 0 && b0.mismatches === 0 && (!b1 || b1.cost - b0.cost >= 2);
  const evidence = obs.map((o) => {
    const e: string[] = [];
    if (o.ribs === 'yes') e.push('rib-bearing');
    if (o.ribs === 'no') e.push('no ribs');
    if (o.sacrum === 'yes') e.push('sacrum: wide bone joined to the iliac wings');
    return e;
  });
  b0.labels.forEach((nm, i) => {
    if (anchors.includes('lowest-rib') && i === lowestRib) evidence[i]!.push(`lowest rib-bearing vertebra → ${nm}`);
    if (anchors.includes('first-rib') && i === firstRib) evidence[i]!.push(`first rib-bearing vertebra → ${nm}`);
    evidence[i]!.push(`counted along the column (${confident ? 'confident' : 'uncertain'} hypothesis)`);
  });
  return { labels: b0.labels, confident, hypotheses: confident ? hypotheses.slice(0, 1) : hypotheses, anchors, evidence };
}

/**
 * Labels implied by a user override: the instance gets the given label and the others follow
 * in anatomical order (with T13/L6 in the sequence only when the override or `current` uses them).
 */
export function labelsFromOverride(count: number, current: readonly VertebraName[], override: LabelOverride): VertebraName[] {
  if (!Number.isInteger(override.instance) || override.instance < 1 || override.instance > count) {
    throw new RachisError('INVALID_ARGUMENT', `override names instance ${override.instance}, but there are ${count} vertebrae (1..${count})`);
  }
  const uses = (nm: string): boolean => override.label === nm || current.includes(nm as VertebraName);
  const seq = nameSequence(uses('T13') ? 13 : 12, uses('L6') ? 6 : 5);
  const at = seq.indexOf(override.label === 'sacrum' ? 'S1' : override.label);
  if (at < 0) throw new RachisError('INVALID_ARGUMENT', `override label ${override.label} is not a vertebra name`);
  const o = at - (override.instance - 1);
  if (o < 0 || o + count > seq.length) {
    throw new RachisError('INVALID_ARGUMENT', `override "${override.label}" for instance ${override.instance} puts vertebrae outside C1…S1`);
  }
  return seq.slice(o, o + count);
}
