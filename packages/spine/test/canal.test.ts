import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectCanal } from '../src/segment/canal.js';
import type { WorkGrid } from '../src/segment/grid.js';

// A 2 mm work grid, 40 slices: a body in front (j ≤ 31), a canal that is wide at the front
// (lateral recesses, j 32–35) and narrow behind (j 36–45), closed by the arch at j 46–48. The
// canal's centre then lies nearer the body than the arch, so the two distances differ.
const SP = 2;
const NX = 60;
const NY = 70;
const NZ = 40;
const CI = 30;

function scene(): WorkGrid {
  const hu = new Float32Array(NX * NY * NZ).fill(-100);
  for (let k = 0; k < NZ; k++) {
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        const di = Math.abs(i - CI);
        const p = i + NX * (j + NY * k);
        if (j >= 10 && j <= 31 && di <= 14) hu[p] = 300; // body
        else if (j >= 32 && j <= 35) hu[p] = di <= 10 ? 10 : di <= 13 ? 800 : -100; // recesses, pedicles
        else if (j >= 36 && j <= 45) hu[p] = di <= 3 ? 10 : di <= 6 ? 800 : -100; // canal, laminae
        else if (j >= 46 && j <= 48 && di <= 6) hu[p] = 800; // arch behind the canal
      }
    }
  }
  return { nx: NX, ny: NY, nz: NZ, sp: SP, hu } as unknown as WorkGrid; // only these fields are read
}

test('posteriorGapMm is the distance from the canal centre to the arch behind it, not to the body in front', () => {
  const canal = detectCanal(scene());
  const k = NZ / 2;
  const jc = canal.y[k]! / SP;
  assert.ok(jc > 32 && jc < 45, `canal centre row ${jc}`);
  const toArch = (46 - jc) * SP;
  const toBody = (jc - 31) * SP;
  assert.ok(Math.abs(toArch - toBody) >= 4, `scene must tell the two apart: ${toArch} vs ${toBody} mm`);
  assert.ok(Math.abs(canal.posteriorGapMm[k]! - toArch) <= SP, `gap ${canal.posteriorGapMm[k]} mm, arch ${toArch.toFixed(1)} mm behind, body ${toBody.toFixed(1)} mm in front`);
});
