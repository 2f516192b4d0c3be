/**
 * The DICOM outputs load in a real PACS: STOW-RS into Orthanc (Debian orthanc + orthanc-dicomweb),
 * then QIDO-RS finds them as one study with three new series. Runs Orthanc on a free loopback
 * port with its database in a scratch folder; skipped when Orthanc is not installed (except in CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { buildReport, renderReportBundle } from '../src/index.js';
import { makeFixture } from './fixtures/synthetic.js';
import { needTool, scratch, writeTemp } from './helpers/tools.js';

const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`Orthanc did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function multipart(parts: Uint8Array[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(p), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

test('STOW-RS into Orthanc, then QIDO-RS returns SEG, SR and SC as the input study', { timeout: 60_000 }, async (t) => {
  if (!needTool(t, 'Orthanc', 'orthanc orthanc-dicomweb')) return;
  if (!existsSync(DICOMWEB_PLUGIN)) {
    if (process.env.CI === 'true') throw new Error('orthanc-dicomweb missing in CI');
    t.skip('orthanc-dicomweb not installed');
    return;
  }
  const f = makeFixture();
  const report = buildReport(f.volume, f.spine, f.measurements, { seed: 'orthanc', keyImages: f.keyImages });
  const files = await renderReportBundle({ report, vertebraMask: f.spine.vertebraMask, keyImages: f.keyImages, sourceSopInstanceUIDs: f.volume.meta.sourceSopInstanceUIDs ?? [] });
  const dicom = [...files].filter(([name]) => name.endsWith('.dcm')).map(([, b]) => b);

  const dir = scratch(t);
  const port = await freePort();
  const config = {
    Name: 'rachis-test', StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'),
    HttpPort: port, DicomServerEnabled: false, RemoteAccessAllowed: false, AuthenticationEnabled: false,
    Plugins: [DICOMWEB_PLUGIN], DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Ssl: false },
  };
  const proc = spawn('Orthanc', [writeTemp(dir, 'orthanc.json', JSON.stringify(config))], { stdio: 'ignore' });
  t.after(() => {
    proc.kill('SIGTERM');
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/system`, 20_000);

  const boundary = `rachis-${Date.now()}`;
  const stow = await fetch(`${base}/dicom-web/studies`, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
    body: multipart(dicom, boundary),
  });
  const stowBody = (await stow.json()) as Record<string, { Value?: unknown[] }>;
  assert.equal(stow.status, 200, JSON.stringify(stowBody));
  assert.deepEqual(stowBody['00081198']?.Value ?? [], [], 'no failed SOP instance');
  assert.equal(stowBody['00081199']?.Value?.length, dicom.length);

  const studies = (await (await fetch(`${base}/dicom-web/studies?StudyInstanceUID=${report.dicom.studyInstanceUID}&includefield=00080061`)).json()) as Record<string, { Value: string[] }>[];
  assert.equal(studies.length, 1, 'one study');
  assert.deepEqual([...studies[0]!['00080061']!.Value].sort(), ['OT', 'SEG', 'SR']);
  assert.equal(studies[0]!['0020000D']!.Value[0], f.volume.meta.studyInstanceUID);

  const series = (await (await fetch(`${base}/dicom-web/studies/${report.dicom.studyInstanceUID}/series`)).json()) as Record<string, { Value: string[] }>[];
  const uids = series.map((s) => s['0020000E']!.Value[0]).sort();
  assert.deepEqual(uids, [report.dicom.seg.seriesInstanceUID, report.dicom.sr.seriesInstanceUID, report.dicom.sc.seriesInstanceUID].sort());
  const patient = (await (await fetch(`${base}/dicom-web/studies?StudyInstanceUID=${report.dicom.studyInstanceUID}&includefield=00100020`)).json()) as Record<string, { Value: string[] }>[];
  assert.equal(patient[0]!['00100020']!.Value[0], f.volume.meta.patientId);
});
