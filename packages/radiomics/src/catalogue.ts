/**
 * Feature catalogue: IBSI tag → IBSI identifier, IBSI name, PyRadiomics name.
 * Identifiers and names follow the IBSI-1 reference manual (arXiv:1612.07003, v11);
 * tags follow the IBSI reference tables (`cm_joint_max`, `morph_volume`, …).
 */
import type { FamilyId } from './types.js';

export interface FeatureInfo {
  readonly family: FamilyId;
  readonly tag: string;
  readonly code: string;
  readonly name: string;
  readonly pyradiomics?: string;
}

type Entry = readonly [tag: string, code: string, name: string, pyradiomics?: string];

const MORPHOLOGY: Entry[] = [
  ['morph_volume', 'RNU0', 'Volume (mesh)', 'shape_MeshVolume'],
  ['morph_vol_approx', 'YEKZ', 'Volume (voxel counting)', 'shape_VoxelVolume'],
  ['morph_area_mesh', 'C0JK', 'Surface area (mesh)', 'shape_SurfaceArea'],
  ['morph_av', '2PR5', 'Surface to volume ratio', 'shape_SurfaceVolumeRatio'],
  ['morph_comp_1', 'SKGS', 'Compactness 1'],
  ['morph_comp_2', 'BQWJ', 'Compactness 2'],
  ['morph_sph_dispr', 'KRCK', 'Spherical disproportion'],
  ['morph_sphericity', 'QCFX', 'Sphericity', 'shape_Sphericity'],
  ['morph_asphericity', '25C7', 'Asphericity'],
  ['morph_com', 'KLMA', 'Centre of mass shift'],
  ['morph_diam', 'L0JK', 'Maximum 3D diameter', 'shape_Maximum3DDiameter'],
  ['morph_pca_maj_axis', 'TDIC', 'Major axis length', 'shape_MajorAxisLength'],
  ['morph_pca_min_axis', 'P9VJ', 'Minor axis length', 'shape_MinorAxisLength'],
  ['morph_pca_least_axis', '7J51', 'Least axis length', 'shape_LeastAxisLength'],
  ['morph_pca_elongation', 'Q3CK', 'Elongation', 'shape_Elongation'],
  ['morph_pca_flatness', 'N17B', 'Flatness', 'shape_Flatness'],
  ['morph_vol_dens_aabb', 'PBX1', 'Volume density (AABB)'],
  ['morph_area_dens_aabb', 'R59B', 'Area density (AABB)'],
  ['morph_vol_dens_aee', '6BDE', 'Volume density (AEE)'],
  ['morph_area_dens_aee', 'RDD2', 'Area density (AEE)'],
  ['morph_vol_dens_conv_hull', 'R3ER', 'Volume density (convex hull)'],
  ['morph_area_dens_conv_hull', '7T7F', 'Area density (convex hull)'],
  ['morph_integ_int', '99N0', 'Integrated intensity'],
  ['morph_moran_i', 'N365', "Moran's I index"],
  ['morph_geary_c', 'NPT7', "Geary's C measure"],
];

const LOCAL: Entry[] = [
  ['loc_peak_loc', 'VJGA', 'Local intensity peak'],
  ['loc_peak_glob', '0F91', 'Global intensity peak'],
];

const STATISTICS: Entry[] = [
  ['stat_mean', 'Q4LE', 'Mean', 'firstorder_Mean'],
  ['stat_var', 'ECT3', 'Variance', 'firstorder_Variance'],
  ['stat_skew', 'KE2A', 'Skewness', 'firstorder_Skewness'],
  ['stat_kurt', 'IPH6', '(Excess) kurtosis', 'firstorder_Kurtosis'],
  ['stat_median', 'Y12H', 'Median', 'firstorder_Median'],
  ['stat_min', '1GSF', 'Minimum', 'firstorder_Minimum'],
  ['stat_p10', 'QG58', '10th percentile', 'firstorder_10Percentile'],
  ['stat_p90', '8DWT', '90th percentile', 'firstorder_90Percentile'],
  ['stat_max', '84IY', 'Maximum', 'firstorder_Maximum'],
  ['stat_iqr', 'SALO', 'Interquartile range', 'firstorder_InterquartileRange'],
  ['stat_range', '2OJQ', 'Range', 'firstorder_Range'],
  ['stat_mad', '4FUA', 'Mean absolute deviation', 'firstorder_MeanAbsoluteDeviation'],
  ['stat_rmad', '1128', 'Robust mean absolute deviation', 'firstorder_RobustMeanAbsoluteDeviation'],
  ['stat_medad', 'N72L', 'Median absolute deviation'],
  ['stat_cov', '7TET', 'Coefficient of variation'],
  ['stat_qcod', '9S40', 'Quartile coefficient of dispersion'],
  ['stat_energy', 'N8CA', 'Energy', 'firstorder_Energy'],
  ['stat_rms', '5ZWQ', 'Root mean square', 'firstorder_RootMeanSquared'],
];

const HISTOGRAM: Entry[] = [
  ['ih_mean', 'X6K6', 'Mean discretised intensity'],
  ['ih_var', 'CH89', 'Discretised intensity variance'],
  ['ih_skew', '88K1', 'Discretised intensity skewness'],
  ['ih_kurt', 'C3I7', '(Excess) discretised intensity kurtosis'],
  ['ih_median', 'WIFQ', 'Median discretised intensity'],
  ['ih_min', '1PR8', 'Minimum discretised intensity'],
  ['ih_p10', 'GPMT', '10th discretised intensity percentile'],
  ['ih_p90', 'OZ0C', '90th discretised intensity percentile'],
  ['ih_max', '3NCY', 'Maximum discretised intensity'],
  ['ih_mode', 'AMMC', 'Intensity histogram mode'],
  ['ih_iqr', 'WR0O', 'Discretised intensity interquartile range'],
  ['ih_range', '5Z3W', 'Discretised intensity range'],
  ['ih_mad', 'D2ZX', 'Intensity histogram mean absolute deviation'],
  ['ih_rmad', 'WRZB', 'Intensity histogram robust mean absolute deviation'],
  ['ih_medad', '4RNL', 'Intensity histogram median absolute deviation'],
  ['ih_cov', 'CWYJ', 'Intensity histogram coefficient of variation'],
  ['ih_qcod', 'SLWD', 'Intensity histogram quartile coefficient of dispersion'],
  ['ih_entropy', 'TLU2', 'Discretised intensity entropy', 'firstorder_Entropy'],
  ['ih_uniformity', 'BJ5W', 'Discretised intensity uniformity', 'firstorder_Uniformity'],
  ['ih_max_grad', '12CE', 'Maximum histogram gradient'],
  ['ih_max_grad_g', '8E6O', 'Maximum histogram gradient intensity'],
  ['ih_min_grad', 'VQB3', 'Minimum histogram gradient'],
  ['ih_min_grad_g', 'RHQZ', 'Minimum histogram gradient intensity'],
];

const IVH: Entry[] = [
  ['ivh_v10', 'BC2M', 'Volume fraction at 10% intensity'],
  ['ivh_v90', 'BC2M', 'Volume fraction at 90% intensity'],
  ['ivh_i10', 'GBPN', 'Intensity at 10% volume'],
  ['ivh_i90', 'GBPN', 'Intensity at 90% volume'],
  ['ivh_diff_v10_v90', 'DDTU', 'Volume fraction difference between 10% and 90% intensity'],
  ['ivh_diff_i10_i90', 'CNV2', 'Intensity difference between 10% and 90% volume'],
];

const GLCM: Entry[] = [
  ['cm_joint_max', 'GYBY', 'Joint maximum', 'glcm_MaximumProbability'],
  ['cm_joint_avg', '60VM', 'Joint average', 'glcm_JointAverage'],
  ['cm_joint_var', 'UR99', 'Joint variance', 'glcm_SumSquares'],
  ['cm_joint_entr', 'TU9B', 'Joint entropy', 'glcm_JointEntropy'],
  ['cm_diff_avg', 'TF7R', 'Difference average', 'glcm_DifferenceAverage'],
  ['cm_diff_var', 'D3YU', 'Difference variance', 'glcm_DifferenceVariance'],
  ['cm_diff_entr', 'NTRS', 'Difference entropy', 'glcm_DifferenceEntropy'],
  ['cm_sum_avg', 'ZGXS', 'Sum average', 'glcm_SumAverage'],
  ['cm_sum_var', 'OEEB', 'Sum variance'],
  ['cm_sum_entr', 'P6QZ', 'Sum entropy', 'glcm_SumEntropy'],
  ['cm_energy', '8ZQL', 'Angular second moment', 'glcm_JointEnergy'],
  ['cm_contrast', 'ACUI', 'Contrast', 'glcm_Contrast'],
  ['cm_dissimilarity', '8S9J', 'Dissimilarity'],
  ['cm_inv_diff', 'IB1Z', 'Inverse difference', 'glcm_Id'],
  ['cm_inv_diff_norm', 'NDRX', 'Normalised inverse difference', 'glcm_Idn'],
  ['cm_inv_diff_mom', 'WF0Z', 'Inverse difference moment', 'glcm_Idm'],
  ['cm_inv_diff_mom_norm', '1QCO', 'Normalised inverse difference moment', 'glcm_Idmn'],
  ['cm_inv_var', 'E8JP', 'Inverse variance', 'glcm_InverseVariance'],
  ['cm_corr', 'NI2N', 'Correlation', 'glcm_Correlation'],
  ['cm_auto_corr', 'QWB0', 'Autocorrelation', 'glcm_Autocorrelation'],
  ['cm_clust_tend', 'DG8W', 'Cluster tendency', 'glcm_ClusterTendency'],
  ['cm_clust_shade', '7NFM', 'Cluster shade', 'glcm_ClusterShade'],
  ['cm_clust_prom', 'AE86', 'Cluster prominence', 'glcm_ClusterProminence'],
  ['cm_info_corr1', 'R8DG', 'Information correlation 1', 'glcm_Imc1'],
  ['cm_info_corr2', 'JN9H', 'Information correlation 2', 'glcm_Imc2'],
];

const GLRLM: Entry[] = [
  ['rlm_sre', '22OV', 'Short runs emphasis', 'glrlm_ShortRunEmphasis'],
  ['rlm_lre', 'W4KF', 'Long runs emphasis', 'glrlm_LongRunEmphasis'],
  ['rlm_lgre', 'V3SW', 'Low grey level run emphasis', 'glrlm_LowGrayLevelRunEmphasis'],
  ['rlm_hgre', 'G3QZ', 'High grey level run emphasis', 'glrlm_HighGrayLevelRunEmphasis'],
  ['rlm_srlge', 'HTZT', 'Short run low grey level emphasis', 'glrlm_ShortRunLowGrayLevelEmphasis'],
  ['rlm_srhge', 'GD3A', 'Short run high grey level emphasis', 'glrlm_ShortRunHighGrayLevelEmphasis'],
  ['rlm_lrlge', 'IVPO', 'Long run low grey level emphasis', 'glrlm_LongRunLowGrayLevelEmphasis'],
  ['rlm_lrhge', '3KUM', 'Long run high grey level emphasis', 'glrlm_LongRunHighGrayLevelEmphasis'],
  ['rlm_glnu', 'R5YN', 'Grey level non-uniformity', 'glrlm_GrayLevelNonUniformity'],
  ['rlm_glnu_norm', 'OVBL', 'Normalised grey level non-uniformity', 'glrlm_GrayLevelNonUniformityNormalized'],
  ['rlm_rlnu', 'W92Y', 'Run length non-uniformity', 'glrlm_RunLengthNonUniformity'],
  ['rlm_rlnu_norm', 'IC23', 'Normalised run length non-uniformity', 'glrlm_RunLengthNonUniformityNormalized'],
  ['rlm_r_perc', '9ZK5', 'Run percentage', 'glrlm_RunPercentage'],
  ['rlm_gl_var', '8CE5', 'Grey level variance', 'glrlm_GrayLevelVariance'],
  ['rlm_rl_var', 'SXLW', 'Run length variance', 'glrlm_RunVariance'],
  ['rlm_rl_entr', 'HJ9O', 'Run entropy', 'glrlm_RunEntropy'],
];

const GLSZM: Entry[] = [
  ['szm_sze', '5QRC', 'Small zone emphasis', 'glszm_SmallAreaEmphasis'],
  ['szm_lze', '48P8', 'Large zone emphasis', 'glszm_LargeAreaEmphasis'],
  ['szm_lgze', 'XMSY', 'Low grey level zone emphasis', 'glszm_LowGrayLevelZoneEmphasis'],
  ['szm_hgze', '5GN9', 'High grey level zone emphasis', 'glszm_HighGrayLevelZoneEmphasis'],
  ['szm_szlge', '5RAI', 'Small zone low grey level emphasis', 'glszm_SmallAreaLowGrayLevelEmphasis'],
  ['szm_szhge', 'HW1V', 'Small zone high grey level emphasis', 'glszm_SmallAreaHighGrayLevelEmphasis'],
  ['szm_lzlge', 'YH51', 'Large zone low grey level emphasis', 'glszm_LargeAreaLowGrayLevelEmphasis'],
  ['szm_lzhge', 'J17V', 'Large zone high grey level emphasis', 'glszm_LargeAreaHighGrayLevelEmphasis'],
  ['szm_glnu', 'JNSA', 'Grey level non-uniformity', 'glszm_GrayLevelNonUniformity'],
  ['szm_glnu_norm', 'Y1RO', 'Normalised grey level non-uniformity', 'glszm_GrayLevelNonUniformityNormalized'],
  ['szm_zsnu', '4JP3', 'Zone size non-uniformity', 'glszm_SizeZoneNonUniformity'],
  ['szm_zsnu_norm', 'VB3A', 'Normalised zone size non-uniformity', 'glszm_SizeZoneNonUniformityNormalized'],
  ['szm_z_perc', 'P30P', 'Zone percentage', 'glszm_ZonePercentage'],
  ['szm_gl_var', 'BYLV', 'Grey level variance', 'glszm_GrayLevelVariance'],
  ['szm_zs_var', '3NSA', 'Zone size variance', 'glszm_ZoneVariance'],
  ['szm_zs_entr', 'GU8N', 'Zone size entropy', 'glszm_ZoneEntropy'],
];

const GLDZM: Entry[] = [
  ['dzm_sde', '0GBI', 'Small distance emphasis'],
  ['dzm_lde', 'MB4I', 'Large distance emphasis'],
  ['dzm_lgze', 'S1RA', 'Low grey level zone emphasis'],
  ['dzm_hgze', 'K26C', 'High grey level zone emphasis'],
  ['dzm_sdlge', 'RUVG', 'Small distance low grey level emphasis'],
  ['dzm_sdhge', 'DKNJ', 'Small distance high grey level emphasis'],
  ['dzm_ldlge', 'A7WM', 'Large distance low grey level emphasis'],
  ['dzm_ldhge', 'KLTH', 'Large distance high grey level emphasis'],
  ['dzm_glnu', 'VFT7', 'Grey level non-uniformity'],
  ['dzm_glnu_norm', '7HP3', 'Normalised grey level non-uniformity'],
  ['dzm_zdnu', 'V294', 'Zone distance non-uniformity'],
  ['dzm_zdnu_norm', 'IATH', 'Normalised zone distance non-uniformity'],
  ['dzm_z_perc', 'VIWW', 'Zone percentage'],
  ['dzm_gl_var', 'QK93', 'Grey level variance'],
  ['dzm_zd_var', '7WT1', 'Zone distance variance'],
  ['dzm_zd_entr', 'GBDU', 'Zone distance entropy'],
];

const NGTDM: Entry[] = [
  ['ngt_coarseness', 'QCDE', 'Coarseness', 'ngtdm_Coarseness'],
  ['ngt_contrast', '65HE', 'Contrast', 'ngtdm_Contrast'],
  ['ngt_busyness', 'NQ30', 'Busyness', 'ngtdm_Busyness'],
  ['ngt_complexity', 'HDEZ', 'Complexity', 'ngtdm_Complexity'],
  ['ngt_strength', '1X9X', 'Strength', 'ngtdm_Strength'],
];

const NGLDM: Entry[] = [
  ['ngl_lde', 'SODN', 'Low dependence emphasis', 'gldm_SmallDependenceEmphasis'],
  ['ngl_hde', 'IMOQ', 'High dependence emphasis', 'gldm_LargeDependenceEmphasis'],
  ['ngl_lgce', 'TL9H', 'Low grey level count emphasis', 'gldm_LowGrayLevelEmphasis'],
  ['ngl_hgce', 'OAE7', 'High grey level count emphasis', 'gldm_HighGrayLevelEmphasis'],
  ['ngl_ldlge', 'EQ3F', 'Low dependence low grey level emphasis', 'gldm_SmallDependenceLowGrayLevelEmphasis'],
  ['ngl_ldhge', 'JA6D', 'Low dependence high grey level emphasis', 'gldm_SmallDependenceHighGrayLevelEmphasis'],
  ['ngl_hdlge', 'NBZI', 'High dependence low grey level emphasis', 'gldm_LargeDependenceLowGrayLevelEmphasis'],
  ['ngl_hdhge', '9QMG', 'High dependence high grey level emphasis', 'gldm_LargeDependenceHighGrayLevelEmphasis'],
  ['ngl_glnu', 'FP8K', 'Grey level non-uniformity', 'gldm_GrayLevelNonUniformity'],
  ['ngl_glnu_norm', '5SPA', 'Normalised grey level non-uniformity'],
  ['ngl_dcnu', 'Z87G', 'Dependence count non-uniformity', 'gldm_DependenceNonUniformity'],
  ['ngl_dcnu_norm', 'OKJI', 'Normalised dependence count non-uniformity', 'gldm_DependenceNonUniformityNormalized'],
  ['ngl_dc_perc', '6XV8', 'Dependence count percentage'],
  ['ngl_gl_var', '1PFV', 'Grey level variance', 'gldm_GrayLevelVariance'],
  ['ngl_dc_var', 'DNX2', 'Dependence count variance', 'gldm_DependenceVariance'],
  ['ngl_dc_entr', 'FCBV', 'Dependence count entropy', 'gldm_DependenceEntropy'],
  ['ngl_dc_energy', 'CAS9', 'Dependence count energy'],
];

const TABLE: Record<Exclude<FamilyId, 'diagnostics'>, Entry[]> = {
  morphology: MORPHOLOGY,
  local_intensity: LOCAL,
  statistics: STATISTICS,
  intensity_histogram: HISTOGRAM,
  ivh: IVH,
  glcm: GLCM,
  glrlm: GLRLM,
  glszm: GLSZM,
  gldzm: GLDZM,
  ngtdm: NGTDM,
  ngldm: NGLDM,
};

const BY_TAG = new Map<string, FeatureInfo>();
for (const [family, entries] of Object.entries(TABLE) as [FamilyId, Entry[]][]) {
  for (const [tag, code, name, py] of entries) {
    BY_TAG.set(tag, { family, tag, code, name, ...(py ? { pyradiomics: py } : {}) });
  }
}

/** IBSI identifiers of the feature families and of the texture aggregation methods. */
export const FAMILY_CODES: Readonly<Record<Exclude<FamilyId, 'diagnostics'>, string>> = {
  morphology: 'HCUG', local_intensity: '9ST6', statistics: 'UHIW', intensity_histogram: 'ZVCW', ivh: 'P88C',
  glcm: 'LFYI', glrlm: 'TP0I', glszm: '9SAK', gldzm: 'VMDZ', ngtdm: 'IPET', ngldm: 'REK0',
};
export const AGGREGATION_CODES: Readonly<Record<string, string>> = {
  '2D_avg': 'BTW3', '2D_comb': 'SUJT', '2_5D_avg': 'JJUI', '2_5D_comb': 'ZW7Z', '3D_avg': 'ITBB', '3D_comb': 'IAZD',
  '2D': '8QNN', '2_5D': '62GR', '3D': 'KOBO',
};

/** Catalogue entry for a base tag (without aggregation suffix). Throws for unknown tags: a programming error. */
export function featureInfo(tag: string): FeatureInfo {
  const f = BY_TAG.get(tag);
  if (!f) throw new Error(`radiomics catalogue: unknown feature tag ${tag}`);
  return f;
}

/** Base tags of a family, in catalogue order. */
export function familyTags(family: Exclude<FamilyId, 'diagnostics'>): string[] {
  return TABLE[family].map((e) => e[0]);
}
