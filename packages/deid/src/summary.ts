/**
 * The run summary. It holds only counts, attribute names from the standard, reason codes and the
 * options used — never a value, file name or path from the input — so it can be printed or shared.
 */
import type { DeidOptions } from './options.js';
import { ANNEX_E_SOURCE } from './profile/annex-e-2024b.js';
import type { QuarantineReason } from './quarantine.js';
import type { ActionCounts } from './walk.js';

export interface DeidSummary {
  profile: string;
  options: Omit<DeidOptions, 'burnedInRegions'> & { burnedInRegionRules: number };
  /** CID 7050 codes written to (0012,0064) (113101 is added per object when pixels were cleaned). */
  methodCodes: string[];
  files: { seen: number; written: number; quarantined: number; skippedSymlinks: number };
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  /** Objects whose pixels were blanked, per region-rule description. */
  pixelsCleanedByRule: Record<string, number>;
  /** Per attribute (standard name or category): how many times each action was applied. */
  attributes: ActionCounts;
  elapsedMs: number;
}

export function emptySummary(o: DeidOptions, codes: string[]): DeidSummary {
  const { burnedInRegions, ...rest } = o;
  return {
    profile: `${ANNEX_E_SOURCE.standard} (${ANNEX_E_SOURCE.version}), Basic Application Level Confidentiality Profile`,
    options: { ...rest, burnedInRegionRules: burnedInRegions.length },
    methodCodes: codes,
    files: { seen: 0, written: 0, quarantined: 0, skippedSymlinks: 0 },
    quarantinedByReason: {},
    pixelsCleanedByRule: {},
    attributes: {},
    elapsedMs: 0,
  };
}

export function addCounts(into: ActionCounts, from: ActionCounts): void {
  for (const [name, outcomes] of Object.entries(from)) {
    const target = (into[name] ??= {});
    for (const [k, n] of Object.entries(outcomes) as [keyof typeof outcomes, number][]) target[k] = (target[k] ?? 0) + n;
  }
}
