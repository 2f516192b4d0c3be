/** IBSI-1 3.3 intensity-based statistical features (on the re-segmented, not discretised, intensities). */
import type { PreparedRoi } from '../types.js';
import { descriptive, maskedValues } from './util.js';

export function statisticsFeatures(roi: PreparedRoi): Map<string, number> {
  const d = descriptive(maskedValues(roi.intensities, roi.intensityMask));
  const out = new Map<string, number>();
  for (const k of ['mean', 'var', 'skew', 'kurt', 'median', 'min', 'p10', 'p90', 'max', 'iqr', 'range', 'mad', 'rmad', 'medad', 'cov', 'qcod', 'energy', 'rms']) {
    out.set(`stat_${k}`, d[k]!);
  }
  return out;
}
