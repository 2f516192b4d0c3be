/**
 * Builds a synthetic canary corpus with dcmjs (an independent writer): unique PHI strings planted
 * in names, IDs, dates, addresses, free text, nested sequences, private tags, SR text values and
 * file names. Every canary contains "CANARY" or is one of the planted dates/UID roots.
 */
import dcmjs from 'dcmjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type El = { vr: string; Value?: unknown[] };
export type Dict = Record<string, El>;

export const CANARY_DATES = ['19711203', '20190417', '20200102'];
/** UID root of every planted UID: the originals must all disappear. */
export const UID_ROOT = '1.2.826.0.1.3680043.9.7777';
export const CANARY_WORD = 'CANARY';

export const CT = '1.2.840.10008.5.1.4.1.1.2';
export const MR = '1.2.840.10008.5.1.4.1.1.4';
export const SR = '1.2.840.10008.5.1.4.1.1.88.33';
export const SC = '1.2.840.10008.5.1.4.1.1.7';

export const s = (vr: string, ...v: string[]): El => ({ vr, Value: v });
const pn = (v: string): El => ({ vr: 'PN', Value: [{ Alphabetic: v }] });
const sq = (...items: Dict[]): El => ({ vr: 'SQ', Value: items });
const us = (v: number): El => ({ vr: 'US', Value: [v] });

export interface CorpusFile { path: string; sopInstanceUID: string; studyUID: string; sopClassUID: string; ts: string }

export function writeDicom(dir: string, rel: string, dict: Dict, ts: string): string {
  const sopClass = (dict['00080016']!.Value as string[])[0]!;
  const sop = (dict['00080018']!.Value as string[])[0]!;
  const meta = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': s('UI', sopClass),
    '00020003': s('UI', sop),
    '00020010': s('UI', ts),
    '00020012': s('UI', '1.2.3.4'),
    '00020016': s('AE', 'CANARYSRCAE'),
  };
  const d = new dcmjs.data.DicomDict(meta);
  d.dict = dict;
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.from(d.write()));
  return path;
}

export function patient(id: string, name: string): Dict {
  return {
    '00100010': pn(name),
    '00100020': s('LO', id),
    '00100030': s('DA', '19711203'),
    '00100040': s('CS', 'F'),
    '00101010': s('AS', '047Y'),
    '00101040': s('LO', 'CANARYADDRESS 9 ELM STREET'),
    '00102154': s('SH', 'CANARYPHONE'),
    '00104000': s('LT', 'CANARYPATIENTCOMMENT'),
    '00101002': sq({ '00100020': s('LO', 'CANARYNESTEDID'), '00100021': s('LO', 'CANARYISSUER') }),
  };
}

export function study(studyUid: string, date: string): Dict {
  return {
    '00080020': s('DA', date),
    '00080030': s('TM', '101112'),
    '00080050': s('SH', 'CANARYACC01'),
    '00080080': s('LO', 'CANARYINSTITUTE'),
    '00080081': s('ST', 'CANARYINSTADDRESS'),
    '00080090': pn('CANARYREFDOC^ANNA'),
    '00081010': s('SH', 'CANARYSTATION'),
    '00081030': s('LO', 'CT CHEST CANARYSTUDYDESC'),
    '00081070': pn('CANARYOPERATOR^BOB'),
    '00181000': s('LO', 'CANARYSERIAL'),
    '0020000d': s('UI', studyUid),
    '00200010': s('SH', 'CANARYSTUDYID'),
    '00400275': sq({ '00400009': s('SH', 'CANARYSPSID'), '00401001': s('SH', 'CANARYRPID') }),
  };
}

export function image(sopClass: string, sop: string, series: string, frameOfRef: string, extra: Dict = {}): Dict {
  return {
    '00080008': s('CS', 'ORIGINAL', 'PRIMARY', 'AXIAL'),
    '00080016': s('UI', sopClass),
    '00080018': s('UI', sop),
    '00080060': s('CS', sopClass === MR ? 'MR' : 'CT'),
    '0020000e': s('UI', series),
    '00200052': s('UI', frameOfRef),
    '00204000': s('LT', 'CANARYIMAGECOMMENT'),
    '00280002': us(1),
    '00280004': s('CS', 'MONOCHROME2'),
    '00280010': us(4),
    '00280011': us(4),
    '00280100': us(16),
    '00280101': us(12),
    '00280102': us(11),
    '00280103': us(0),
    // private block with a canary value and a private sequence holding a nested canary name
    '00110010': s('LO', 'CANARY CREATOR'),
    '00111010': s('LO', 'CANARYPRIVATE'),
    '00131010': s('LO', 'CANARY SQ CREATOR'),
    '00131011': sq({ '00100010': pn('CANARYPRIVSQ^NAME') }),
    // overlay plane with a canary comment
    '60000010': us(4),
    '60000011': us(4),
    '60004000': s('LT', 'CANARYOVERLAY'),
    '7fe00010': { vr: 'OW', Value: [new Uint16Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]).buffer] },
    ...extra,
  };
}

/** Writes the corpus under `dir`; returns the instances by role. */
export function buildCanaryCorpus(dir: string): Record<'ct1' | 'ct2' | 'mr' | 'sr' | 'sc' | 'other', CorpusFile> {
  const u = (n: string): string => `${UID_ROOT}.${n}`;
  const explicit = '1.2.840.10008.1.2.1';
  const implicit = '1.2.840.10008.1.2';
  const pA = patient('CANARYID0001', 'CANARYFAMILY^CANARYGIVEN');
  const st1 = study(u('1'), '20190417');
  const st2 = study(u('2'), '20200102');
  const folder = 'CANARYFOLDER_DOE_JOHN';
  const files = {
    ct1: { rel: `${folder}/CANARYFILE_CT_1.dcm`, dict: { ...pA, ...st1, ...image(CT, u('1.1.1'), u('1.1'), u('1.9')) }, ts: explicit },
    ct2: { rel: `${folder}/CANARYFILE_CT_2.dcm`, dict: { ...pA, ...st1, ...image(CT, u('1.1.2'), u('1.1'), u('1.9')) }, ts: explicit },
    mr: { rel: `${folder}/study2/CANARYFILE_MR.dcm`, dict: { ...pA, ...st2, ...image(MR, u('2.1.1'), u('2.1'), u('2.9')) }, ts: implicit },
    sr: {
      rel: `${folder}/CANARYFILE_SR.dcm`,
      ts: explicit,
      dict: {
        ...pA, ...st1,
        '00080016': s('UI', SR), '00080018': s('UI', u('1.5.1')), '00080060': s('CS', 'SR'), '0020000e': s('UI', u('1.5')),
        '0040a040': s('CS', 'CONTAINER'), '0040a050': s('CS', 'SEPARATE'),
        '0040a043': sq({ '00080100': s('SH', '126000'), '00080102': s('SH', 'DCM'), '00080104': s('LO', 'Imaging Measurement Report') }),
        '0040a375': sq({
          '0020000d': s('UI', u('1')),
          '00081115': sq({ '0020000e': s('UI', u('1.1')), '00081199': sq({ '00081150': s('UI', CT), '00081155': s('UI', u('1.1.1')) }) }),
        }),
        '0040a730': sq(
          {
            '0040a010': s('CS', 'CONTAINS'), '0040a040': s('CS', 'TEXT'),
            '0040a043': sq({ '00080100': s('SH', '121071'), '00080102': s('SH', 'DCM'), '00080104': s('LO', 'Finding') }),
            '0040a160': s('UT', 'CANARYSRTEXT lesion at L1'),
          },
          { '0040a010': s('CS', 'CONTAINS'), '0040a040': s('CS', 'PNAME'), '0040a123': pn('CANARYSRPERSON^X') },
          { '0040a010': s('CS', 'CONTAINS'), '0040a040': s('CS', 'DATE'), '0040a121': s('DA', '20190417') },
          { '0040a010': s('CS', 'CONTAINS'), '0040a040': s('CS', 'IMAGE'), '00081199': sq({ '00081150': s('UI', CT), '00081155': s('UI', u('1.1.2')) }) },
        ),
      },
    },
    sc: {
      rel: `${folder}/CANARYFILE_SC.dcm`,
      ts: explicit,
      dict: { ...pA, ...st1, ...image(SC, u('1.6.1'), u('1.6'), u('1.9'), { '00080060': s('CS', 'OT'), '00280100': us(16) }) },
    },
    other: {
      rel: 'CANARYPATIENT_B/file.dcm',
      ts: implicit,
      dict: { ...patient('CANARYID0002', 'CANARYOTHER^PATIENT'), ...study(u('3'), '20190417'), ...image(CT, u('3.1.1'), u('3.1'), u('3.9')) },
    },
  };
  const out = {} as Record<keyof typeof files, CorpusFile>;
  for (const [role, f] of Object.entries(files) as [keyof typeof files, (typeof files)[keyof typeof files]][]) {
    const d = f.dict as Dict;
    out[role] = {
      path: writeDicom(dir, f.rel, d, f.ts),
      sopInstanceUID: (d['00080018']!.Value as string[])[0]!,
      studyUID: (d['0020000d']!.Value as string[])[0]!,
      sopClassUID: (d['00080016']!.Value as string[])[0]!,
      ts: f.ts,
    };
  }
  return out;
}
