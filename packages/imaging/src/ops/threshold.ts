import type { Image, Mask } from './image.js';
import { checkImage, maskLike } from './image.js';

/** 1 where lo ≤ v ≤ hi (NaN is never inside). */
export function threshold(img: Image, lo: number, hi: number): Mask {
  const n = checkImage(img, 'threshold');
  const src = img.data;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v >= lo && v <= hi ? 1 : 0;
  }
  return maskLike(img, out);
}
