/**
 * Compiles PS3.15 Table E.1-1 plus the selected options into one concrete action per tag.
 * Precedence (E.3): an option's code replaces the basic code; when two selected options both
 * name a row, K (retain) wins over C (clean).
 */
import type { DeidOptions } from '../options.js';
import { ANNEX_E_ROWS } from './annex-e-2024b.js';
import type { AnnexERow, OptionAction } from './types.js';

/**
 * X remove · Z empty · D dummy · K keep (sequences are still walked) · U keyed UID ·
 * C clean free text with the allow-list cleaner · SHIFT move dates by the patient's keyed offset.
 */
export type Action = 'X' | 'Z' | 'D' | 'K' | 'U' | 'C' | 'SHIFT';

export interface Rule { action: Action; name: string }

export interface CompiledProfile {
  exact: Map<number, Rule>;
  /** Curve groups 50xx and overlay groups 60xx are removed whole (see curveOrOverlay). */
  options: DeidOptions;
}

function optionCode(row: AnnexERow, o: DeidOptions): OptionAction | 'SHIFT' | undefined {
  const picks: (OptionAction | 'SHIFT')[] = [];
  if (o.retainUIDs && row.rtnUIDsOpt) picks.push(row.rtnUIDsOpt);
  if (o.retainDeviceIdentity && row.rtnDevIdOpt) picks.push(row.rtnDevIdOpt);
  if (o.retainInstitutionIdentity && row.rtnInstIdOpt) picks.push(row.rtnInstIdOpt);
  if (o.retainPatientCharacteristics && row.rtnPatCharsOpt) picks.push(row.rtnPatCharsOpt);
  if (o.retainLongitudinalTemporal === 'full' && row.rtnLongFullDatesOpt) picks.push(row.rtnLongFullDatesOpt);
  if (o.retainLongitudinalTemporal === 'modified' && row.rtnLongModifDatesOpt) {
    picks.push(row.rtnLongModifDatesOpt === 'C' ? 'SHIFT' : row.rtnLongModifDatesOpt);
  }
  if (o.cleanDescriptors && row.cleanDescOpt) picks.push(row.cleanDescOpt);
  if (o.cleanStructuredContent && row.cleanStructContOpt) picks.push(row.cleanStructContOpt);
  if (o.cleanGraphics && row.cleanGraphOpt) picks.push(row.cleanGraphOpt);
  if (picks.includes('K')) return 'K';
  if (picks.includes('SHIFT')) return 'SHIFT';
  return picks.includes('C') ? 'C' : undefined;
}

export function basicAction(code: AnnexERow['basic'], policy: DeidOptions['combinedActions']): Action {
  switch (code) {
    case 'X/Z': return policy === 'strict' ? 'X' : 'Z';
    case 'X/D':
    case 'X/Z/D': return policy === 'strict' ? 'X' : 'D';
    case 'Z/D': return policy === 'strict' ? 'Z' : 'D';
    // U*: keep the sequence and walk it; the UIDs inside are U rows themselves.
    case 'X/Z/U*': return policy === 'strict' ? 'X' : 'K';
    default: return code;
  }
}

export function compileProfile(o: DeidOptions): CompiledProfile {
  const exact = new Map<number, Rule>();
  for (const row of ANNEX_E_ROWS) {
    if (!/^[0-9a-f]{8}$/.test(row.id)) continue; // masks (50xx, 60xx) and the private row are handled by code
    const opt = optionCode(row, o);
    exact.set(parseInt(row.id, 16) >>> 0, { action: opt ?? basicAction(row.basic, o.combinedActions), name: row.name });
  }
  return { exact, options: o };
}

/** Curve data (50xx,xxxx) and overlay groups (60xx): Table E.1-1 says X (Clean Graphics: C). */
export function isCurveOrOverlay(tag: number): boolean {
  const g = tag >>> 16;
  return (g & 0xff01) === 0x5000 || (g & 0xff01) === 0x6000;
}
