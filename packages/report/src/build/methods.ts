/**
 * Default "method and limits" texts. The measurement stage may override a method's description,
 * thresholds and limits (ReportMeasurements.methods); what is printed is always what was used.
 */
import type { Method, Threshold } from '../model/types.js';
import type { AlgorithmId, MethodInput, ThresholdInput } from './inputs.js';
import { UNITS } from '../model/codes.js';

export const METHOD_IDS = {
  segmentation: 'segmentation',
  attenuation: 'trabecular-attenuation',
  morphometry: 'vertebral-morphometry',
  boneDensity: 'bone-density',
  alignment: 'alignment',
  bodyComposition: 'body-composition',
  disc: 'disc-height',
} as const;

interface Default {
  name: string;
  description: string;
  limits: string[];
}

const DEFAULTS: Record<string, Default> = {
  [METHOD_IDS.segmentation]: {
    name: 'Vertebra segmentation and labelling',
    description: 'Automatic segmentation of each vertebra on the CT grid by classical image analysis (no trained model): bone threshold, spinal-canal trace, vertebral bodies cut at their discs (the marrow of a low-density body is filled in up to its cortical shell, where the bone threshold left it out, including marrow that the canal trace had claimed in front of the posterior wall; disc left at the end of a body is peeled off, and on slices thicker than 1.6 mm so is an end voxel that is more disc than bone; at L5–S1, when marrow is brighter than disc, the two endplates are fitted as separate planes on the CT, so the wedge-shaped disc is left out of both bodies), each vertebra grown through bone from its body; then anatomical labelling from anchors (sacrum, lowest rib-bearing vertebra, C1/C2).',
    limits: [
      'Counting variants (lumbosacral transitional vertebra, 11 or 13 rib pairs) can shift every label by one level; check the count on the full spine.',
      'Vertebrae touching the edge of the field of view are only partially segmented; a vertebra whose body lies above the field of view is shown by its posterior elements only.',
      'Thin discs (upper thoracic spine) can be missed so that two vertebrae form one; this is flagged when a body is much taller than its neighbours.',
      'On contrast-enhanced CT, an enhanced vessel lying against a vertebral body can be included in its mask.',
      'In very low-density vertebrae (trabecular bone near 100 HU) parts of the body can be missing from the mask where the cortex is thin, so their heights and Genant grades are less reliable.',
    ],
  },
  [METHOD_IDS.attenuation]: {
    name: 'Trabecular attenuation',
    description: 'Mean CT number (HU) in a region of trabecular bone at the mid-body of each vertebra, cortex and posterior elements excluded and kept 8 mm from the pedicle bases; voxels of cortical density (≥ 600 HU) or far above the median of the region (by 200 HU and 6 robust SDs): cortex the region reached or its partial volume, or a sclerotic focus, are left out and counted.',
    limits: ['Automated ROIs read higher than manual ones (about +21 HU in Jang 2019).', 'Thresholds assume 120 kVp, non-enhanced CT.'],
  },
  [METHOD_IDS.morphometry]: {
    name: 'Vertebral morphometry',
    description: 'Anterior, middle and posterior body heights measured endplate to endplate along the local column axis (on scans of 1.6 mm or finer, endplates placed at the half-way CT-number edge between endplate and disc, moved in where the endplate is thinner than the image blur: its thickness is taken from its CT-number excess over marrow divided by that of the densest bone of the same vertebra); the worst height ratio is graded with the Genant semi-quantitative scale (grade 1: 20–25%, 2: 25–40%, 3: >40% height loss); at L5, which is normally taller in front, the middle and posterior heights are compared with the normal L5 shape (posterior about 87% of anterior; Cook & Baker 2021).',
    limits: ['Grading is skipped for partially imaged or uncertainly labelled vertebrae.', 'Not a substitute for visual assessment of the endplates.'],
  },
  [METHOD_IDS.boneDensity]: {
    name: 'Opportunistic bone-density category',
    description: 'L1 trabecular attenuation compared with published CT thresholds (T12 or L2 used when L1 is not usable).',
    limits: ['A screening category, not a DXA T-score or a diagnosis of osteoporosis.', 'Contrast enhancement raises trabecular HU by about 10–25 HU.'],
  },
  [METHOD_IDS.alignment]: {
    name: 'Alignment',
    description: 'Angles between endplates of the most tilted vertebrae (supine CT): each endplate is a plane fitted to its surface points, placed at the half-way CT-number edge between endplate and disc (the sacrum at the segmentation edge on scans coarser than 1.6 mm).',
    limits: ['Supine CT underestimates standing curves.', 'Lumbar lordosis depends on the S1 endplate, which the segmentation can misplace where the L5–S1 disc is steep on thick slices: check it against the sagittal image.'],
  },
  [METHOD_IDS.bodyComposition]: {
    name: 'Body composition at L3',
    description: 'Tissue areas on the axial slice through the L3 body, using fixed HU windows (Alberta protocol).',
    limits: ['A single slice; areas depend on the slice chosen and on arm position.', 'Skeletal muscle index needs the patient height.'],
  },
  [METHOD_IDS.disc]: {
    name: 'Disc height',
    description: 'Distance between adjacent endplates at the disc centre along the column axis.',
    limits: ['CT shows disc height only; disc degeneration and herniation need MR.'],
  },
};

export function toThreshold(t: ThresholdInput, unit = UNITS.hu): Threshold {
  return { meaning: t.meaning, comparator: t.comparator, value: t.value, unit: { ...unit }, source: t.source };
}

/** Methods actually used by a report: defaults, overridden by the measurement stage's own texts. */
export function buildMethods(
  used: ReadonlySet<string>,
  algorithms: Record<string, AlgorithmId>,
  overrides: MethodInput[] = [],
  thresholds: Record<string, Threshold[]> = {},
): Method[] {
  const out: Method[] = [];
  for (const id of used) {
    const base = DEFAULTS[id] ?? { name: id, description: '', limits: [] };
    const o = overrides.find((m) => m.id === id);
    const algorithm = algorithms[id] ?? algorithms['default'] ?? { name: 'unknown', version: 'unknown' };
    out.push({
      id,
      name: o?.name ?? base.name,
      description: o?.description ?? base.description,
      algorithm: { ...algorithm },
      thresholds: o?.thresholds ? o.thresholds.map((t) => toThreshold(t)) : (thresholds[id] ?? []),
      limits: o?.limits ?? base.limits,
    });
  }
  return out;
}

export const GENERAL_LIMITS: readonly string[] = [
  'Automatic measurements from a research-grade open-source tool; not a cleared medical device.',
  'All numbers are computed from the CT voxels; no prior studies, clinical history or other sequences were used.',
  'Levels and values must be checked on the images before they are used for a clinical decision.',
];

export const DISCLAIMER =
  'This report was generated automatically by Rachis to support, not replace, the radiologist. It has not been reviewed by a physician unless signed below.';
