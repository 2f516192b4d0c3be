/**
 * Geometry/voxel parity of readDicomSeries with dcm2niix on every real DICOM CT series in
 * ../shared/data (full series, heavier than the unit tests). Prints one row per series:
 * voxels compared, value mismatches, largest corner-position difference (mm).
 *
 *   node --import tsx packages/imaging/bench/io-parity.ts
 */
import { join } from 'node:path';
import { sharedData } from '../src/testing/index.js';
import { readDicomSeries } from '../src/dicom/index.js';
import { compareGrids } from '../test/dicom/compare.js';
import { runDcm2niix } from '../test/dicom/dcm2niix.js';
import { unzipOnce } from '../test/dicom/helpers.js';

interface Case {
  name: string;
  dir: () => string | undefined;
}

const CASES: Case[] = [
  { name: 'TotalSegmentator example CT (J2K lossless, 20 slices)', dir: () => sharedData('totalseg-example-ct', 'example_ct_dicom') },
  {
    name: '3D-IRCADb 1.1 CT (explicit LE, 129 slices)',
    dir: () => {
      const zip = sharedData('ircad-3dircadb-ct', '3Dircadb1.1', 'PATIENT_DICOM.zip');
      return zip && join(unzipOnce(zip, 'ircad-1.1'), 'PATIENT_DICOM');
    },
  },
  {
    name: 'thorax 4D-CT phase 00 (implicit LE, 141 slices)',
    dir: () => {
      const zip = sharedData('thorax-4dct-phase00-itkelastix', 'CT_00.zip');
      return zip && join(unzipOnce(zip, 'thorax-00'), 'CT_00');
    },
  },
];

let failures = 0;
console.log('series | size | voxels compared | value mismatches | max corner error (mm)');
for (const c of CASES) {
  const dir = c.dir();
  if (!dir) {
    console.log(`${c.name} | (shared data missing)`);
    continue;
  }
  const ours = await readDicomSeries(dir);
  const [theirs] = runDcm2niix(dir);
  if (!theirs) throw new Error(`dcm2niix wrote nothing for ${dir}`);
  const cmp = compareGrids(ours, theirs);
  const ok = cmp.valueMismatches === 0 && cmp.maxCornerErrorMm < 1e-3 && cmp.compared === ours.data.length;
  if (!ok) failures++;
  console.log(`${c.name} | ${ours.size.join('×')} | ${cmp.compared} | ${cmp.valueMismatches} | ${cmp.maxCornerErrorMm.toExponential(2)}${ok ? '' : '  ← FAIL'}`);
}
process.exitCode = failures ? 1 : 0;
