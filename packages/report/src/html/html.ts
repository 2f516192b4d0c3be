/**
 * report.html: one self-contained file (inline CSS, key images as data: URLs, no script, no
 * external request) that reads on a phone. Every string that came from outside (DICOM header,
 * measurement stage) goes through escapeHtml.
 */
import type { ReportV1 } from '../model/types.js';
import { formatThreshold } from '../model/format.js';
import { findingRows, identityRows, levelHeaders, levelRows } from '../model/tables.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const e = escapeHtml;

const CSS = `
:root{--fg:#1a1a1a;--muted:#5b6168;--line:#d8dce0;--flag:#fff4e5;--warn:#8a4b00;--accent:#1f4e79}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:#fff}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.35rem;margin:0 0 4px;color:var(--accent)}h2{font-size:1.05rem;margin:22px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--accent);color:var(--accent)}
.banner{background:#eef3f8;border-left:4px solid var(--accent);padding:8px 12px;margin:8px 0 12px;font-size:.9rem}
.caveats{background:var(--flag);border-left:4px solid #e08a00;padding:8px 12px 8px 28px;margin:8px 0;color:var(--warn)}
dl.id{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:.92rem}dl.id dt{color:var(--muted)}dl.id dd{margin:0;overflow-wrap:anywhere}
ol.impression li{margin:4px 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f7;font-weight:600;white-space:nowrap}td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
tr.disc td{color:var(--muted);font-size:.84rem}tr.flag td{background:var(--flag)}
figure{margin:10px 0}figure img{max-width:100%;height:auto;border:1px solid var(--line);background:#000}figcaption{font-size:.85rem;color:var(--muted)}
.images{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
.method{margin:10px 0}.method h3{font-size:.95rem;margin:0 0 2px}.method p{margin:2px 0}.small{font-size:.84rem;color:var(--muted)}
footer{margin-top:24px;font-size:.8rem;color:var(--muted)}
@media print{.scroll{overflow:visible}figure{break-inside:avoid}}
`;

export interface HtmlOptions {
  /** PNG bytes per key image id, embedded as data: URLs. */
  keyImagePngs?: ReadonlyMap<string, Uint8Array>;
}

export function writeHtml(report: ReportV1, options: HtmlOptions = {}): string {
  const id = identityRows(report).map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('');
  const impression = report.impression.map((l) => `<li>${e(l)}</li>`).join('');
  const caveats = report.caveats.length ? `<ul class="caveats">${report.caveats.map((c) => `<li>${e(c)}</li>`).join('')}</ul>` : '';
  const images = report.keyImages.map((k) => {
    const png = options.keyImagePngs?.get(k.id);
    const img = png ? `<img src="data:image/png;base64,${Buffer.from(png).toString('base64')}" alt="${e(k.title)}">` : `<p class="small">(${e(k.file)} not embedded)</p>`;
    return `<figure>${img}<figcaption><b>${e(k.title)}.</b> ${e(k.caption)}</figcaption></figure>`;
  }).join('');
  const findings = findingRows(report).map((f) => `<tr><td><b>${e(f.title)}</b></td><td>${e(f.summary)}${f.details.length ? `<div class="small">${f.details.map(e).join('<br>')}</div>` : ''}</td></tr>`).join('');
  const headers = levelHeaders(report);
  const levels = levelRows(report).map((r) => {
    const cls = [r.kind === 'disc' ? 'disc' : '', r.flagged && r.kind === 'vertebra' ? 'flag' : ''].filter(Boolean).join(' ');
    const cells = r.cells.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td${i > 0 && i < headers.length - 1 ? ' class="num"' : ''}>${e(c)}</td>`)).join('');
    return `<tr${cls ? ` class="${cls}"` : ''}>${cells}</tr>`;
  }).join('');
  const methods = report.methods.map((m) => `<div class="method"><h3>${e(m.name)} <span class="small">(${e(m.algorithm.name)} ${e(m.algorithm.version)})</span></h3><p>${e(m.description)}</p>${m.thresholds.length ? `<p class="small">Thresholds: ${m.thresholds.map((t) => e(formatThreshold(t))).join('; ')}</p>` : ''}${m.limits.length ? `<p class="small">Limits: ${m.limits.map(e).join(' ')}</p>` : ''}</div>`).join('');
  const limits = report.limits.map((l) => `<li>${e(l)}</li>`).join('');
  const title = `Spine CT analysis${report.patient.name ? ` – ${report.patient.name}` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${e(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>Spine CT analysis</h1>
<div class="banner">${e(report.disclaimer)}</div>
<dl class="id">${id}</dl>
<h2>Impression</h2><ol class="impression">${impression}</ol>${caveats}
${images ? `<h2>Key images</h2><div class="images">${images}</div>` : ''}
<h2>Findings</h2><div class="scroll"><table><tbody>${findings}</tbody></table></div>
<h2>Findings per level</h2><div class="scroll"><table><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${levels}</tbody></table></div>
<p class="small">A / M / P: anterior, middle and posterior vertebral body heights. Height loss: the loss graded by Genant (within the vertebra or against its neighbours).</p>
<h2>Method and limits</h2>${methods}<ul>${limits}</ul>
<footer>Report ${e(report.reportId)} · model ${e(report.version)} · ${e(report.generator.name)} ${e(report.generator.version)} · Study UID ${e(report.dicom.studyInstanceUID)}</footer>
</main></body></html>
`;
}
