/** IBSI-1 benchmark configurations (reference manual, table of CT-phantom configurations A–E). */
import type { SettingsInput } from '../src/index.js';

const TWO_D = { directionalAggregations: ['2D_avg', '2D_comb', '2_5D_avg', '2_5D_comb'], zoneAggregations: ['2D', '2_5D'] } as const;
const THREE_D = { directionalAggregations: ['3D_avg', '3D_comb'], zoneAggregations: ['3D'] } as const;

export interface IbsiCase {
  readonly id: string;
  readonly csv: string;
  readonly image: string;
  readonly mask: string;
  readonly settings: SettingsInput;
  readonly note: string;
}

const DP = 'ibsi/data_sets/ibsi_1_digital_phantom/nifti';
const CT = 'ibsi/data_sets/ibsi_1_ct_radiomics_phantom/nifti';

export const IBSI_CASES: readonly IbsiCase[] = [
  {
    id: 'digital phantom', csv: 'digital_phantom', image: `${DP}/image/phantom.nii.gz`, mask: `${DP}/mask/mask.nii.gz`,
    note: 'no interpolation, no re-segmentation, grey levels used as they are',
    settings: {
      discretisation: { texture: { method: 'none' }, histogram: { method: 'none' }, ivh: { method: 'none' } },
      directionalAggregations: [...TWO_D.directionalAggregations, ...THREE_D.directionalAggregations],
      zoneAggregations: [...TWO_D.zoneAggregations, ...THREE_D.zoneAggregations],
    },
  },
  {
    id: 'config A', csv: 'config_A', image: `${CT}/image/phantom.nii.gz`, mask: `${CT}/mask/mask.nii.gz`,
    note: '2D, no interpolation, range [-500,400] HU, FBS 25 HU, IVH direct',
    settings: {
      resegmentation: { range: [-500, 400] },
      discretisation: { texture: { method: 'fbs', width: 25 }, histogram: { method: 'fbs', width: 25 }, ivh: { method: 'none' } },
      ...TWO_D,
    },
  },
  {
    id: 'config B', csv: 'config_B', image: `${CT}/image/phantom.nii.gz`, mask: `${CT}/mask/mask.nii.gz`,
    note: '2D, bilinear to 2×2 mm in-plane, rounded, range [-500,400] HU, FBN 32, IVH direct',
    settings: {
      interpolation: { spacingMm: [2, 2, 2], mode: '2d', image: 'linear', mask: 'linear', maskThreshold: 0.5 },
      roundIntensities: true,
      resegmentation: { range: [-500, 400] },
      discretisation: { texture: { method: 'fbn', bins: 32 }, histogram: { method: 'fbn', bins: 32 }, ivh: { method: 'none' } },
      ...TWO_D,
    },
  },
  {
    id: 'config C', csv: 'config_C', image: `${CT}/image/phantom.nii.gz`, mask: `${CT}/mask/mask.nii.gz`,
    note: '3D, trilinear to 2 mm, rounded, range [-1000,400] HU, FBS 25 HU, IVH FBS 2.5 HU',
    settings: {
      interpolation: { spacingMm: [2, 2, 2], mode: '3d', image: 'linear', mask: 'linear', maskThreshold: 0.5 },
      roundIntensities: true,
      resegmentation: { range: [-1000, 400] },
      discretisation: { texture: { method: 'fbs', width: 25 }, histogram: { method: 'fbs', width: 25 }, ivh: { method: 'fbs', width: 2.5 } },
      ...THREE_D,
    },
  },
  {
    id: 'config D', csv: 'config_D', image: `${CT}/image/phantom.nii.gz`, mask: `${CT}/mask/mask.nii.gz`,
    note: '3D, trilinear to 2 mm, rounded, outlier ±3σ, FBN 32, IVH direct',
    settings: {
      interpolation: { spacingMm: [2, 2, 2], mode: '3d', image: 'linear', mask: 'linear', maskThreshold: 0.5 },
      roundIntensities: true,
      resegmentation: { outlierSigma: 3 },
      discretisation: { texture: { method: 'fbn', bins: 32 }, histogram: { method: 'fbn', bins: 32 }, ivh: { method: 'none' } },
      ...THREE_D,
    },
  },
  {
    id: 'config E', csv: 'config_E', image: `${CT}/image/phantom.nii.gz`, mask: `${CT}/mask/mask.nii.gz`,
    note: '3D, cubic spline to 2 mm, rounded, range [-1000,400] HU then outlier ±3σ, FBN 32, IVH FBN 1000',
    settings: {
      interpolation: { spacingMm: [2, 2, 2], mode: '3d', image: 'cubic-spline', mask: 'linear', maskThreshold: 0.5 },
      roundIntensities: true,
      resegmentation: { range: [-1000, 400], outlierSigma: 3 },
      discretisation: { texture: { method: 'fbn', bins: 32 }, histogram: { method: 'fbn', bins: 32 }, ivh: { method: 'fbn', bins: 1000 } },
      ...THREE_D,
    },
  },
];
