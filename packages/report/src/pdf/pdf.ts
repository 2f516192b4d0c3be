/**
 * report.pdf with pdfmake (server side, bundled Roboto TTFs for °, ², ≤, – and accented names):
 * identity block, impression, caveats, study-level findings, findings per level, key images,
 * method and limits. Network access is blocked and only the Roboto files may be read.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake, { type Content, type TDocumentDefinitions } from 'pdfmake';
import type { ReportV1 } from '../model/types.js';
import { formatThreshold } from '../model/format.js';
import { findingRows, identityRows, levelHeaders, levelRows } from '../model/tables.js';

const ACCENT = '#1f4e79';
const FLAG = '#fff4e5';
const MUTED = '#5b6168';

function robotoFiles(): { normal: string; bold: string; italics: string; bolditalics: string } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  return {
    normal: join(dir, 'Roboto-Regular.ttf'),
    bold: join(dir, 'Roboto-Medium.ttf'),
    italics: join(dir, 'Roboto-Italic.ttf'),
    bolditalics: join(dir, 'Roboto-MediumItalic.ttf'),
  };
}

const heading = (text: string): Content => ({ text: text.toUpperCase(), style: 'h2' });

function identity(report: ReportV1): Content {
  const rows = identityRows(report);
  const half = Math.ceil(rows.length / 2);
  const col = (part: [string, string][]): Content => ({
    table: { widths: [70, '*'], body: part.map(([k, v]) => [{ text: k, color: MUTED }, { text: v }]) },
    layout: 'noBorders',
    fontSize: 8.5,
  });
  return { columns: [col(rows.slice(0, half)), col(rows.slice(half))], columnGap: 12, margin: [0, 4, 0, 6] };
}

function levelsTable(report: ReportV1): Content {
  const rows = levelRows(report);
  const headers = levelHeaders(report);
  const body = [
    headers.map((h) => ({ text: h, style: 'th' })),
    ...rows.map((r) => r.cells.map((c, i) => ({
      text: c,
      bold: i === 0 && r.kind === 'vertebra',
      fontSize: r.kind === 'disc' ? 7.5 : 8.5,
      color: r.kind === 'disc' ? MUTED : undefined,
      fillColor: r.flagged && r.kind === 'vertebra' ? FLAG : undefined,
      noWrap: i < headers.length - 1,
    }))),
  ];
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [...headers.slice(1).map(() => 'auto'), '*'], body },
    layout: { hLineWidth: (i: number) => (i <= 1 ? 0.8 : 0.3), vLineWidth: () => 0, hLineColor: () => '#c8ccd0', paddingTop: () => 2, paddingBottom: () => 2 },
  };
}

function findingsTable(report: ReportV1): Content {
  return {
    table: {
      widths: [120, '*'],
      body: findingRows(report).map((f) => [
        { text: f.title, bold: true, fontSize: 9 },
        { stack: [{ text: f.summary, fontSize: 9 }, ...f.details.map((d) => ({ text: d, fontSize: 8, color: MUTED }))] },
      ]),
    },
    layout: { hLineWidth: () => 0.3, vLineWidth: () => 0, hLineColor: () => '#c8ccd0' },
  };
}

function keyImages(report: ReportV1, pngs: ReadonlyMap<string, Uint8Array>): Content[] {
  const figs = report.keyImages.filter((k) => pngs.has(k.id)).map((k) => ({
    width: '*',
    stack: [
      { image: `data:image/png;base64,${Buffer.from(pngs.get(k.id)!).toString('base64')}`, fit: [240, 270], alignment: 'center' },
      { text: [{ text: `${k.title}. `, bold: true }, k.caption], fontSize: 8, color: MUTED, margin: [0, 3, 0, 0] },
    ],
  }));
  if (figs.length === 0) return [];
  const rows: Content[] = [];
  for (let i = 0; i < figs.length; i += 2) rows.push({ columns: figs.slice(i, i + 2), columnGap: 12, margin: [0, 4, 0, 8], unbreakable: true });
  return keepWithHeading('Key images', rows);
}

/** A heading kept on the same page as the first block that follows it. */
function keepWithHeading(title: string, blocks: Content[]): Content[] {
  const [first, ...rest] = blocks;
  return [{ stack: [heading(title), ...(first === undefined ? [] : [first])], unbreakable: true }, ...rest];
}

function methods(report: ReportV1): Content[] {
  return report.methods.map((m) => ({
    margin: [0, 3, 0, 3],
    unbreakable: true,
    stack: [
      { text: [{ text: m.name, bold: true }, { text: `  ${m.algorithm.name} ${m.algorithm.version}`, color: MUTED, fontSize: 8 }], fontSize: 9 },
      { text: m.description, fontSize: 8.5 },
      ...(m.thresholds.length ? [{ text: `Thresholds: ${m.thresholds.map(formatThreshold).join('; ')}`, fontSize: 8, color: MUTED }] : []),
      ...(m.limits.length ? [{ text: `Limits: ${m.limits.join(' ')}`, fontSize: 8, color: MUTED }] : []),
    ],
  }));
}

export function pdfDefinition(report: ReportV1, pngs: ReadonlyMap<string, Uint8Array> = new Map()): TDocumentDefinitions {
  const content: Content[] = [
    { text: 'Spine CT analysis', style: 'h1' },
    { text: 'Automated report — preliminary, not verified by a radiologist', color: MUTED, fontSize: 9 },
    identity(report),
    { table: { widths: ['*'], body: [[{ text: report.disclaimer, fontSize: 8.5, fillColor: '#eef3f8', margin: [4, 3, 4, 3] }]] }, layout: 'noBorders', margin: [0, 0, 0, 4] },
    heading('Impression'),
    { ol: [...report.impression], fontSize: 10, margin: [0, 0, 0, 4] },
    ...(report.caveats.length ? [{ table: { widths: ['*'], body: [[{ ul: [...report.caveats], fontSize: 8.5, color: '#8a4b00', fillColor: FLAG, margin: [4, 3, 4, 3] }]] }, layout: 'noBorders', margin: [0, 2, 0, 4] }] : []),
    heading('Findings'),
    findingsTable(report),
    heading('Findings per level'),
    { text: 'A / M / P: anterior, middle and posterior vertebral body heights. Height loss: the loss graded by Genant (within the vertebra or against its neighbours). Shaded rows: a deformity or a caveat.', fontSize: 7.5, color: MUTED, margin: [0, 0, 0, 3] },
    levelsTable(report),
    ...keyImages(report, pngs),
    ...keepWithHeading('Method and limits', methods(report)),
    { ul: [...report.limits], fontSize: 8.5, margin: [0, 4, 0, 0] },
    {
      unbreakable: true,
      margin: [0, 18, 0, 0],
      table: { widths: ['*', 140], body: [[{ text: 'Reviewed by (radiologist):', fontSize: 8.5, color: MUTED }, { text: 'Date:', fontSize: 8.5, color: MUTED }], [{ text: ' ', margin: [0, 10, 0, 0] }, { text: ' ' }]] },
      layout: { hLineWidth: (i: number) => (i === 2 ? 0.6 : 0), vLineWidth: () => 0 },
    },
  ];
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    info: { title: 'Spine CT analysis', author: `${report.generator.name} ${report.generator.version}`, subject: `Report ${report.reportId}`, creator: 'Rachis', producer: 'Rachis (pdfmake)', creationDate: new Date(report.createdAt) },
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 16, bold: true, color: ACCENT },
      h2: { fontSize: 10, bold: true, color: ACCENT, margin: [0, 10, 0, 4], characterSpacing: 0.5 },
      th: { bold: true, fontSize: 8, fillColor: '#f3f5f7' },
    },
    footer: (page: number, pages: number): Content => ({
      columns: [
        { text: `Rachis ${report.generator.version} · report ${report.reportId} · supports, does not replace, the radiologist`, fontSize: 7, color: MUTED },
        { text: `${page} / ${pages}`, alignment: 'right', fontSize: 7, color: MUTED, width: 40 },
      ],
      margin: [40, 16, 40, 0],
    }),
    content,
  };
}

/**
 * report.pdf bytes. pdfmake rewrites the document definition in place (strings in lists become
 * objects), so pdfDefinition never hands it the report's own arrays.
 */
export async function writePdf(report: ReportV1, pngs: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Buffer> {
  const fonts = robotoFiles();
  const allowed = new Set(Object.values(fonts));
  pdfmake.setFonts({ Roboto: fonts });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => allowed.has(p));
  return pdfmake.createPdf(pdfDefinition(report, pngs)).getBuffer();
}
