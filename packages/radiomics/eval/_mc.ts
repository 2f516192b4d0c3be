import { readLabelMap } from '@rachis/imaging';
import { meshOfMask } from '../src/morphology/mesh.js';
const m = await readLabelMap('/work/shared/data/ibsi/data_sets/ibsi_1_digital_phantom/nifti/mask/mask.nii.gz');
const mask = Uint8Array.from(m.data, (v) => (v ? 1 : 0));
const r = meshOfMask(mask, 5, 4, 4, [2, 2, 2]);
console.log('digital', r.volume, r.area, 'comp2', 36*Math.PI*r.volume**2/r.area**3);
