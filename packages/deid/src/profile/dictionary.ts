/** Tag → VR lookups over the generated 2024b dictionary (repeating groups such as 60xx included). */
import { DICTIONARY_2024B } from './dictionary-2024b.js';

const exact = new Map<number, string>();
const masked: { mask: number; value: number; vr: string }[] = [];

for (const entry of DICTIONARY_2024B.split(' ')) {
  if (entry.length !== 10) continue;
  const id = entry.slice(0, 8);
  const vr = entry.slice(8);
  if (id.includes('x')) {
    let mask = 0;
    let value = 0;
    for (const ch of id) {
      mask = (mask << 4) | (ch === 'x' ? 0 : 0xf);
      value = (value << 4) | (ch === 'x' ? 0 : parseInt(ch, 16));
    }
    masked.push({ mask: mask >>> 0, value: value >>> 0, vr });
  } else {
    exact.set(parseInt(id, 16) >>> 0, vr);
  }
}

/** True for tags in odd groups (private data elements and private creators). */
export function isPrivateTag(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1;
}

/** Private creator elements (gggg,0010-00FF) reserve a block of 256 private elements. */
export function isPrivateCreator(tag: number): boolean {
  const el = tag & 0xffff;
  return isPrivateTag(tag) && el >= 0x0010 && el <= 0x00ff;
}

/** The dictionary VR of a public tag, or undefined when the tag is not in the 2024b dictionary. */
export function dictionaryVr(tag: number): string | undefined {
  const v = exact.get(tag >>> 0);
  if (v !== undefined) return v;
  for (const m of masked) if (((tag & m.mask) >>> 0) === m.value) return m.vr;
  return undefined;
}

/** VR used when the file does not say (implicit VR): dictionary, LO for private creators, else UN. */
export function vrOf(tag: number): string {
  if ((tag & 0xffff) === 0) return 'UL';
  if (isPrivateTag(tag)) return isPrivateCreator(tag) ? 'LO' : 'UN';
  return dictionaryVr(tag) ?? 'UN';
}
