/**
 * The CT measurement pipeline: one call from (CT volume, spine segmentation) to every
 * measurement, each with its method, inputs and caveats. Pure; no I/O.
 */
import { RachisError, type Volume } from '@rachis/imaging';
import type { SpineSegmentation } from '@rachis/spine';
import { measureAlignment } from './alignment.js';
import { measureBodyComposition, type BodyCompositionOptions } from './body-composition.js';
import { prepareBodies } from './body-repair.js';
import { measureTrabecularDensity, opportunisticBmd, type DensityOptions } from './density.js';
import { spinalDeformityIndex, type GenantGrade } from './genant.js';
import { measureMorphometry, type MorphometryOptions } from './morphometry.js';
import { measured, notMeasured, type MeasurementResults, type VertebraFrame } from './types.js';

export interface MeasureSpineOptions {
  morphometry?: MorphometryOptions;
  density?: Omit<DensityOptions, 'frames' | 'unreliableMasks'>;
  bodyComposition?: BodyCompositionOptions;
}

function checkInputs(volume: Volume, spine: SpineSegmentation): void {
  if (volume.meta.modality && volume.meta.modality !== 'CT') {
    throw new RachisError('WRONG_MODALITY', `measureSpineCT needs a CT volume, got ${volume.meta.modality}`);
  }
  const g = spine.instanceMask;
  for (const m of [spine.instanceMask, spine.vertebraMask, spine.partMask]) {
    if (m.size.some((s, a) => s !== volume.size[a])) {
      throw new RachisError('GEOMETRY_MISMATCH', `spine masks (${g.size.join('×')}) are not on the CT grid (${volume.size.join('×')})`);
    }
  }
  if (spine.vertebrae.length === 0) throw new RachisError('NO_SPINE', 'the segmentation contains no vertebrae');
}

export function measureSpineCT(volume: Volume, spine: SpineSegmentation, options: MeasureSpineOptions = {}): MeasurementResults {
  checkInputs(volume, spine);
  const warnings: string[] = [];
  if (volume.meta.unit && volume.meta.unit !== 'HU') warnings.push(`voxel unit is ${volume.meta.unit}, not HU: density and body composition are not meaningful`);
  if (volume.meta.rescaled === false) warnings.push('values were not rescaled to HU (RescaleSlope/Intercept)');
  if (spine.labelling.state === 'uncertain') warnings.push('vertebral levels are uncertain: named measurements (L1 density, L3 composition, SDI) may refer to the wrong level');
  if (volume.meta.contrastAgent) warnings.push(`contrast-enhanced study (${volume.meta.contrastAgent}): bone and muscle HU are raised`);

  const morphometry = measureMorphometry(spine, options.morphometry, volume);
  const grades = new Map<string, GenantGrade>();
  const frames = new Map<number, VertebraFrame>();
  const unreliableMasks = new Map<number, string>();
  for (const m of morphometry) {
    const u = m.heights.caveats.find((c) => c.startsWith('body mask unreliable'));
    if (u) unreliableMasks.set(m.instance, u);
    if (m.genant.status === 'measured') grades.set(m.label, m.genant.value.grade);
    if (m.heights.status === 'measured') frames.set(m.instance, m.heights.value.frame);
  }
  const sdi = spinalDeformityIndex(grades);
  const sdiProv = {
    method: 'spinal deformity index: sum of Genant grades T4–L4 (Kerkeni, Osteoporos Int 2009)',
    inputs: sdi.graded.map((l) => `${l} grade`),
    caveats: sdi.complete ? [] : [`levels not graded (out of view or not gradable): ${sdi.missing.join(', ')}; the SDI is a lower bound`],
  };
  // Density and alignment share one repair of the body masks (morphometry's differs: it takes
  // body corners labelled posterior elements back).
  const bodies = prepareBodies(spine);
  const density = measureTrabecularDensity(volume, spine, { ...options.density, frames, unreliableMasks, bodies });
  return {
    morphometry,
    spinalDeformityIndex: sdi.graded.length > 0 ? measured(sdi, sdiProv) : notMeasured('no level between T4 and L4 was graded', sdiProv),
    density,
    opportunisticBmd: opportunisticBmd(volume, density, spine),
    alignment: measureAlignment(spine, volume, bodies),
    bodyComposition: measureBodyComposition(volume, spine, options.bodyComposition),
    warnings,
  };
}
