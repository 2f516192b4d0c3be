import type { LabelMap } from '@rachis/imaging';
import type { SpineSegmentation } from '@rachis/spine';

const PART_BODY = 1;

/**
 * One label per vertebral body (value = the vertebra's label value, name "L1 body"), on the CT grid:
 * the vertebra mask restricted to the part mask's "body" class. Radiomics of bone texture is
 * defined on bodies; posterior elements are mostly cortex and would dominate the texture.
 */
export function vertebralBodyLabels(spine: SpineSegmentation): LabelMap {
  const { vertebraMask, partMask } = spine;
  const data = new Uint16Array(vertebraMask.data.length);
  const used = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    const v = vertebraMask.data[i]!;
    if (v !== 0 && partMask.data[i] === PART_BODY) {
      data[i] = v;
      used.add(v);
    }
  }
  const labels = new Map<number, string>();
  for (const v of [...used].sort((a, b) => a - b)) labels.set(v, `${vertebraMask.labels.get(v) ?? `label ${v}`} body`);
  return { size: vertebraMask.size, spacing: vertebraMask.spacing, origin: vertebraMask.origin, direction: vertebraMask.direction, data, labels };
}
