/**
 * Text tables shared by the HTML and PDF writers, so both show the same cells with the same digits.
 */
import type { LevelReport, Measurement, ReportV1 } from './types.js';
import { formatMeasurement, formatValue, sentences } from './format.js';

export interface LevelRow {
  kind: LevelReport['kind'];
  /** True when the row has a finding a reader should look at (Genant ≥ 1, caveats). */
  flagged: boolean;
  cells: string[];
}

/**
 * The smallest height ratio stays in report.json/SR/FHIR but not in the table: it mixes
 * within-vertebra and neighbour ratios, so next to the graded height loss it reads as a contradiction.
 */
export const LEVEL_HEADERS = ['Level', 'Trabecular attenuation', 'Body height A / M / P', 'Height loss', 'Genant grade', 'Disc height', 'Notes'] as const;

const DASH = '–';

function find(l: LevelReport, suffix: string): Measurement | undefined {
  return l.measurements.find((m) => m.key.endsWith(`/${suffix}`));
}

function show(m: Measurement | undefined): string {
  return m ? formatMeasurement(m) : DASH;
}

function heights(l: LevelReport): string {
  const [a, m, p] = ['height-anterior', 'height-middle', 'height-posterior'].map((s) => find(l, s));
  if (!a && !m && !p) return DASH;
  return `${[a, m, p].map((x) => (x ? formatValue(x.value, x.decimals) : DASH)).join(' / ')} mm`;
}

function notes(l: LevelReport): string {
  const out = [...l.caveats];
  if (l.kind === 'vertebra' && l.labelConfidence !== undefined && l.labelConfidence < 0.9 && !l.caveats.some((c) => c.startsWith('Label uncertain'))) {
    out.unshift(`label confidence ${formatValue(l.labelConfidence, 2)}`);
  }
  return sentences(out);
}

/** Table columns, without "Disc height" when no disc has one. */
export function levelHeaders(report: ReportV1): string[] {
  return hasDiscValues(report) ? [...LEVEL_HEADERS] : LEVEL_HEADERS.filter((h) => h !== 'Disc height');
}

function hasDiscValues(report: ReportV1): boolean {
  return report.levels.some((l) => l.kind === 'disc' && l.measurements.length > 0);
}

/** One row per vertebra, and per disc that has a value or a caveat (empty disc rows are noise). */
export function levelRows(report: ReportV1): LevelRow[] {
  const discColumn = hasDiscValues(report);
  const levels = report.levels.filter((l) => l.kind === 'vertebra' || l.measurements.length > 0 || l.caveats.length > 0);
  return levels.map((l) => {
    const genant = l.evaluations.find((e) => e.key.endsWith('/genant-grade'));
    const grade = genant ? genant.value.value.replace('genant-', '') : undefined;
    const genantText = genant ? `${grade}${genant.text.includes(', ') ? ` (${genant.text.split(', ').slice(1).join(', ')})` : ''}` : DASH;
    const cells = l.kind === 'vertebra'
      ? [l.name, show(find(l, 'trabecular-attenuation')), heights(l), show(find(l, 'height-loss')), genantText, '', notes(l)]
      : [l.name, '', '', '', '', show(find(l, 'disc-height')), notes(l)];
    if (!discColumn) cells.splice(5, 1);
    return { kind: l.kind, flagged: (grade !== undefined && grade !== '0') || l.caveats.length > 0, cells };
  });
}

export interface FindingRow {
  title: string;
  status: string;
  summary: string;
  details: string[];
}

export function findingRows(report: ReportV1): FindingRow[] {
  return report.findings.map((f) => ({
    title: f.title,
    status: f.status === 'assessed' ? 'Assessed' : 'Not assessed',
    summary: f.summary,
    details: [...f.caveats],
  }));
}

const dicomDate = (d: string | undefined): string | undefined => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d);
const dicomAge = (a: string | undefined): string | undefined => {
  const m = a ? /^(\d{3})([DWMY])$/.exec(a) : null;
  return m ? `${Number(m[1])} ${{ D: 'days', W: 'weeks', M: 'months', Y: 'years' }[m[2] as 'D' | 'W' | 'M' | 'Y']}` : a;
};

export function identityRows(report: ReportV1): [string, string][] {
  const p = report.patient;
  const s = report.study;
  const rows: [string, string | undefined][] = [
    ['Patient', p.name],
    ['Patient ID', p.id],
    ['Sex / age', [p.sex, dicomAge(p.age)].filter(Boolean).join(' / ') || undefined],
    ['Birth date', dicomDate(p.birthDate)],
    ['Study date', dicomDate(s.date)],
    ['Accession', s.accessionNumber],
    ['Study', s.description],
    ['Series', [report.series.modality, report.series.description, report.series.seriesNumber !== undefined ? `#${report.series.seriesNumber}` : undefined].filter(Boolean).join(' ') || undefined],
    ['Voxels / spacing', `${report.series.sizeVoxels.join(' × ')} / ${report.series.spacingMm.map((v) => formatValue(v, 2)).join(' × ')} mm`],
    ['Labelling', `${report.labelling.state}${report.labelling.anchors.length ? ` (anchors: ${report.labelling.anchors.join(', ')})` : ''}`],
    ['Report', `${report.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · ${report.generator.name} ${report.generator.version}`],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}
