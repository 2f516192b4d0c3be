/**
 * Burned-in text. PS3.15 E.1.1 leaves it to the de-identifier to make sure no identity is burned
 * into the pixels. Rachis cannot read text in pixels, so an object at risk is either blanked with a
 * user-supplied region rule (native pixel data only) or quarantined. It is never passed through.
 */
import type { BurnedInRegionRule } from './options.js';
import type { DicomElement, ParsedFile } from './part10/parse.js';
import { TAG } from './part10/syntax.js';
import { QuarantineError } from './quarantine.js';
import { valueList, valueText } from './values.js';

const SECONDARY_CAPTURE = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.7(\.\d)?$/;
const ULTRASOUND = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.(6\.[12]|3\.1)$/;
const VISIBLE_LIGHT = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.77\./;
/** Projection modalities whose consoles often burn in patient data; kept only when BurnedInAnnotation says NO. */
const PROJECTION_MODALITIES = new Set(['CR', 'DX', 'XA', 'RF', 'MG', 'PX', 'IO']);
const PHOTO_MODALITIES = new Set(['US', 'XC', 'ES', 'OP', 'SC', 'OT', 'GM', 'SM']);

export interface TopLevel {
  find(tag: number): DicomElement | undefined;
  text(tag: number): string;
  uint16(tag: number): number | undefined;
}

export function topLevel(parsed: ParsedFile): TopLevel {
  const byTag = new Map(parsed.dataset.map((e) => [e.tag, e]));
  const le = parsed.syntax.littleEndian;
  return {
    find: (tag) => byTag.get(tag),
    text: (tag) => {
      const el = byTag.get(tag);
      return el && !el.items && !el.undefinedLength ? valueText(parsed.bytes, el).trim() : '';
    },
    uint16: (tag) => {
      const el = byTag.get(tag);
      if (!el || el.valueLength < 2 || el.items) return undefined;
      return new DataView(parsed.bytes.buffer, parsed.bytes.byteOffset + el.valueOffset, 2).getUint16(0, le);
    },
  };
}

/** Why this object may carry burned-in text, or undefined when it is not considered at risk. */
export function burnedInRisk(top: TopLevel, parsed: ParsedFile): string | undefined {
  if (!top.find(TAG.PixelData)) return undefined;
  const annotation = top.text(0x00280301).toUpperCase();
  const sopClass = top.text(0x00080016);
  const modality = top.text(0x00080060).toUpperCase();
  const el = top.find(0x00080008);
  const imageType = el ? valueList(parsed.bytes, el).map((v) => v.toUpperCase()) : [];
  if (annotation === 'YES') return 'BurnedInAnnotation is YES';
  if (SECONDARY_CAPTURE.test(sopClass)) return 'secondary capture object';
  if (ULTRASOUND.test(sopClass) || modality === 'US') return 'ultrasound object';
  if (VISIBLE_LIGHT.test(sopClass) || PHOTO_MODALITIES.has(modality)) return 'photographic or captured object';
  if (imageType.includes('SCREEN SAVE')) return 'screen capture (ImageType SCREEN SAVE)';
  if (PROJECTION_MODALITIES.has(modality) && annotation !== 'NO') return `projection radiograph (${modality}) without BurnedInAnnotation NO`;
  return undefined;
}

function matches(rule: BurnedInRegionRule, top: TopLevel): boolean {
  const m = rule.match;
  const keys = Object.keys(m);
  if (keys.length === 0) return false;
  return (
    (m.sopClassUID === undefined || m.sopClassUID === top.text(0x00080016)) &&
    (m.modality === undefined || m.modality === top.text(0x00080060)) &&
    (m.manufacturer === undefined || m.manufacturer === top.text(0x00080070)) &&
    (m.manufacturerModelName === undefined || m.manufacturerModelName === top.text(0x00081090)) &&
    (m.rows === undefined || m.rows === top.uint16(0x00280010)) &&
    (m.columns === undefined || m.columns === top.uint16(0x00280011))
  );
}

/**
 * Returns blanked pixel bytes when a region rule matches, or throws QuarantineError.
 * `risk` is the reason from burnedInRisk.
 */
export function blankBurnedIn(parsed: ParsedFile, top: TopLevel, rules: readonly BurnedInRegionRule[], risk: string): { pixels: Uint8Array; rule: string } {
  const rule = rules.find((r) => matches(r, top));
  if (!rule) throw new QuarantineError('burned-in-text-risk', `${risk}; no burned-in region rule matches this device`);
  const px = top.find(TAG.PixelData)!;
  if (parsed.syntax.encapsulated || px.undefinedLength) {
    throw new QuarantineError('burned-in-text-compressed-pixels', `${risk}; a region rule matches but the pixels are compressed`);
  }
  const rows = top.uint16(0x00280010) ?? 0;
  const cols = top.uint16(0x00280011) ?? 0;
  const bits = top.uint16(0x00280100) ?? 0;
  const spp = top.uint16(0x00280002) ?? 1;
  const planar = top.uint16(0x00280006) ?? 0;
  const frames = Math.max(1, parseInt(top.text(0x00280008) || '1', 10) || 1);
  if (![8, 16, 32].includes(bits) || rows === 0 || cols === 0) {
    throw new QuarantineError('burned-in-text-unsupported-pixels', `${risk}; BitsAllocated ${bits} cannot be blanked`);
  }
  const bpp = bits / 8;
  const frameBytes = rows * cols * spp * bpp;
  if (frameBytes * frames > px.valueLength) {
    throw new QuarantineError('burned-in-text-unsupported-pixels', `${risk}; pixel data shorter than its header says`);
  }
  const pixels = Uint8Array.from(parsed.bytes.subarray(px.valueOffset, px.valueOffset + px.valueLength));
  const planes = planar === 1 ? spp : 1;
  const pixelBytes = planar === 1 ? bpp : bpp * spp;
  for (let f = 0; f < frames; f++) {
    for (let p = 0; p < planes; p++) {
      const base = f * frameBytes + p * rows * cols * bpp;
      for (const r of rule.rects) {
        const x0 = Math.max(0, r.x);
        const x1 = Math.min(cols, r.x + r.width);
        for (let y = Math.max(0, r.y); y < Math.min(rows, r.y + r.height); y++) {
          if (x1 > x0) pixels.fill(0, base + (y * cols + x0) * pixelBytes, base + (y * cols + x1) * pixelBytes);
        }
      }
    }
  }
  return { pixels, rule: rule.description };
}
