/** IBSI-1 3.4 intensity histogram features (on discretised intensities, levels 1..Ng). */
import { descriptive, maskedValues } from './util.js';

export function histogramFeatures(levels: Int32Array, mask: Uint8Array, ng: number): Map<string, number> {
  const v = maskedValues(levels, mask);
  const n = v.length;
  const d = descriptive(v);
  const out = new Map<string, number>();
  for (const k of ['mean', 'var', 'skew', 'kurt', 'median', 'min', 'p10', 'p90', 'max']) out.set(`ih_${k}`, d[k]!);
  const hist = new Float64Array(ng + 1);
  for (let i = 0; i < n; i++) hist[v[i]!]!++;
  let mode = 1;
  for (let i = 1; i <= ng; i++) if (hist[i]! > hist[mode]!) mode = i;
  out.set('ih_mode', mode);
  for (const k of ['iqr', 'range', 'mad', 'rmad', 'medad', 'cov', 'qcod']) out.set(`ih_${k}`, d[k]!);
  let entropy = 0, uniformity = 0;
  for (let i = 1; i <= ng; i++) {
    const p = hist[i]! / n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  out.set('ih_entropy', entropy);
  out.set('ih_uniformity', uniformity);
  // histogram gradient: central differences inside, one-sided at the ends (IBSI 3.4.20)
  let maxG = -Infinity, maxI = 1, minG = Infinity, minI = 1;
  for (let i = 1; i <= ng; i++) {
    let g: number;
    if (ng === 1) g = 0;
    else if (i === 1) g = hist[2]! - hist[1]!;
    else if (i === ng) g = hist[ng]! - hist[ng - 1]!;
    else g = (hist[i + 1]! - hist[i - 1]!) / 2;
    if (g > maxG) { maxG = g; maxI = i; }
    if (g < minG) { minG = g; minI = i; }
  }
  out.set('ih_max_grad', maxG);
  out.set('ih_max_grad_g', maxI);
  out.set('ih_min_grad', minG);
  out.set('ih_min_grad_g', minI);
  return out;
}
