import { orientationCode, statistics } from '@rachis/imaging';
import type { Volume } from '@rachis/imaging';

export interface VolumeSummary {
  source: string | undefined;
  modality: string | undefined;
  seriesInstanceUID: string | undefined;
  seriesDescription: string | undefined;
  size: number[];
  spacingMm: number[];
  originMm: number[];
  direction: number[];
  orientation: string;
  valueRange: { min: number; max: number; unit: string | undefined };
  kvp: number | undefined;
  contrastAgent: string | undefined;
  warnings: string[];
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

export function summarizeVolume(v: Volume): VolumeSummary {
  const stats = statistics(v);
  return {
    source: v.meta.source,
    modality: v.meta.modality,
    seriesInstanceUID: v.meta.seriesInstanceUID,
    seriesDescription: v.meta.seriesDescription,
    size: [...v.size],
    spacingMm: v.spacing.map((s) => round(s)),
    originMm: v.origin.map((s) => round(s)),
    direction: v.direction.map((s) => round(s, 6)),
    orientation: orientationCode(v.direction),
    valueRange: { min: stats.min, max: stats.max, unit: v.meta.unit },
    kvp: v.meta.kvp,
    contrastAgent: v.meta.contrastAgent,
    warnings: v.meta.warnings ?? [],
  };
}

export function formatSummary(s: VolumeSummary): string {
  const lines = [
    `source:       ${s.source ?? '-'}`,
    `modality:     ${s.modality ?? 'unknown'}`,
    `series:       ${s.seriesInstanceUID ?? '-'}${s.seriesDescription ? ` (${s.seriesDescription})` : ''}`,
    `size:         ${s.size.join(' × ')} voxels`,
    `spacing:      ${s.spacingMm.join(' × ')} mm`,
    `origin (LPS): ${s.originMm.join(', ')} mm`,
    `orientation:  ${s.orientation}`,
    `value range:  ${s.valueRange.min} … ${s.valueRange.max}${s.valueRange.unit ? ' ' + s.valueRange.unit : ''}`,
  ];
  if (s.kvp !== undefined) lines.push(`kVp:          ${s.kvp}`);
  if (s.contrastAgent) lines.push(`contrast:     ${s.contrastAgent}`);
  for (const w of s.warnings) lines.push(`warning:      ${w}`);
  return lines.join('\n');
}
