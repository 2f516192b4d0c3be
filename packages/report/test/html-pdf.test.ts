import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, formatValue, writeHtml, writePdf, type ReportV1 } from '../src/index.js';
import { makeFixture, HOSTILE_NAME } from './fixtures/synthetic.js';
import { needTool, run, scratch, writeTemp } from './helpers/tools.js';

const f = makeFixture({ contrast: 'IOPAMIDOL <b>370</b>' });
const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'html-pdf', keyImages: f.keyImages, createdAt: new Date('2026-02-03T04:05:06Z') });
const pngs = new Map(f.keyImages.map((k) => [k.id, k.png]));

/** Numbers shown in the tables and summaries (the smallest ratio and the volume live in JSON/SR/FHIR only). */
function shownNumbers(r: ReportV1): string[] {
  return [...r.levels, ...r.findings]
    .flatMap((x) => x.measurements)
    .filter((m) => !/\/(height-ratio|volume|count)$/.test(m.key))
    .map((m) => formatValue(m.value, m.decimals));
}

const squash = (s: string): string => s.replace(/\s+/g, ' ');

test('HTML escapes hostile DICOM strings and loads nothing from outside', () => {
  const html = writeHtml(report, { keyImagePngs: pngs });
  assert.ok(!html.includes('<script>'), 'a <script> from PatientName must not survive');
  assert.ok(!html.includes('<b>370</b>'));
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;^O&#39;Brien &amp; Sons'));
  assert.ok(html.includes('IOPAMIDOL &lt;b&gt;370&lt;/b&gt;'));
  assert.doesNotMatch(html, /(src|href)="(?!data:)/, 'only data: URLs');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html, /<meta name="viewport" content="width=device-width/);
  assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 2);
});

test('HTML shows the impression, the disclaimer and the same digits as report.json', () => {
  const html = writeHtml(report, { keyImagePngs: pngs });
  const text = squash(html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
  for (const line of report.impression) assert.ok(text.includes(squash(line)), line);
  assert.ok(text.includes(report.disclaimer));
  for (const n of shownNumbers(report)) assert.ok(text.includes(n), n);
  assert.ok(text.includes('17.0 / 21.6 / 26.4 mm'), 'L1 heights with their decimals');
});

test('PDF: pdftotext finds the impression, patient, numbers and method sections', async (t) => {
  const before = structuredClone(report);
  const pdf = await writePdf(report, pngs);
  assert.deepEqual(report, before, 'writing the PDF must not change the report (pdfmake mutates its input)');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  if (!needTool(t, 'pdftotext', 'poppler-utils')) return;
  const { status, out } = run('pdftotext', ['-enc', 'UTF-8', writeTemp(scratch(t), 'r.pdf', pdf), '-']);
  assert.equal(status, 0, out);
  const text = squash(out);
  assert.ok(text.includes(HOSTILE_NAME), 'patient name printed literally');
  for (const line of report.impression) assert.ok(text.includes(squash(line)), `impression: ${line}`);
  for (const n of shownNumbers(report)) assert.ok(text.includes(n), n);
  for (const h of ['IMPRESSION', 'FINDINGS PER LEVEL', 'KEY IMAGES', 'METHOD AND LIMITS', 'Reviewed by (radiologist)']) assert.ok(text.includes(h), h);
  assert.ok(text.includes('supports, does not replace, the radiologist'));
});
