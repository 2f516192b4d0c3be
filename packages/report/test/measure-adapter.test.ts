import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measured, notMeasured, type MeasurementResults, type MorphometryValue, type Provenance } from '@rachis/measure';
import type { Vec3 } from '@rachis/imaging';
import { buildReport, fromMeasure } from '../src/index.js';
import { makeFixture } from './fixtures/synthetic.js';

const p = (method: string, caveats: string[] = []): Provenance => ({ method, inputs: [], caveats });
const col = (h: number) => ({ heightMm: h, superiorPointMm: [0, 0, 0] as Vec3, inferiorPointMm: [0, 0, 0] as Vec3, planes: 5 });
const heights = (a: number, m: number, q: number): MorphometryValue => ({
  anterior: col(a), middle: col(m), posterior: col(q), depthMm: 30,
  frame: { centreMm: [0, 0, 0], superior: [0, 0, 1], anterior: [0, -1, 0], lateral: [1, 0, 0], axisSource: 'neighbours' },
});

/** A MeasurementResults as @rachis/measure returns it (typed against its current types). */
function results(): MeasurementResults {
  return {
    morphometry: [
      { label: 'T11', instance: 1, heights: notMeasured('vertebra cut by the field of view', p('heights')), genant: notMeasured('no heights', p('genant')) },
      { label: 'L1', instance: 3, heights: measured(heights(17.04, 21.6, 26.35), p('heights')),
        genant: measured({ grade: 2, shape: 'wedge', heightLoss: 0.3533, withinVertebraLoss: 0.3533, vsNeighboursLoss: 0.1, ratios: { wedge: 0.6467, biconcave: 0.82, crushAbove: 1.01, crushBelow: undefined }, shortest: 'anterior' }, p('genant', ['neighbour L2 only'])) },
    ],
    spinalDeformityIndex: notMeasured('not used by the report', p('sdi')),
    density: [
      { label: 'L1', instance: 3, trabecular: measured({ meanHU: 130.48, medianHU: 131, sdHU: 20, count: 900, volumeMm3: 1800 }, p('roi')) },
      { label: 'T11', instance: 1, trabecular: notMeasured('ROI outside the image', p('roi')) },
    ],
    opportunisticBmd: measured({ level: 'L1', meanHU: 130.48, category: 'low-density-possible', meaning: '110–160 HU', contrast: 'none-recorded', kvp: 120 }, p('Pickhardt 2013 L1 thresholds', ['kVp 120'])),
    alignment: {
      endplates: [],
      coronalCobb: measured({ angleDeg: 12.34, upperEnd: 'T11', lowerEnd: 'L3', apex: 'L1', convexity: 'left', scoliosis: true }, p('cobb')),
      thoracicKyphosisDeg: notMeasured('T4 not in the field of view', p('kyphosis')),
      lumbarLordosisDeg: measured(48.06, p('lordosis')),
    },
    bodyComposition: notMeasured('L3 slice has no abdominal wall', p('Alberta windows at L3')),
    warnings: ['contrast phase unknown', 'vertebral levels checked'],
  };
}

test('fromMeasure maps measured values and keeps the reasons of the missing ones', () => {
  const m = fromMeasure(results());
  const l1 = m.vertebrae.find((v) => v.label === 'L1')!;
  assert.deepEqual(l1.heightsMm, { anterior: 17.04, middle: 21.6, posterior: 26.35 });
  assert.equal(l1.genant?.grade, 2);
  assert.equal(l1.genant?.shape, 'wedge');
  assert.ok(Math.abs(l1.heightLossPercent! - 35.33) < 1e-9);
  assert.equal(l1.minHeightRatio, 0.6467);
  assert.equal(l1.trabecularHU?.mean, 130.48);
  const t11 = m.vertebrae.find((v) => v.label === 'T11')!;
  assert.equal(t11.heightsMm, undefined);
  assert.ok(t11.caveats!.includes('Heights not measured: vertebra cut by the field of view'));
  assert.ok(t11.caveats!.includes('Trabecular attenuation not measured: ROI outside the image'));
  assert.equal(m.boneDensity?.category, 'low-density-possible');
  assert.deepEqual(m.boneDensity?.thresholds.map((t) => t.value), [110, 160, 200]);
  assert.deepEqual(m.alignment?.cobb, [{ angleDeg: 12.34, upper: 'T11', lower: 'L3', plane: 'coronal' }]);
  assert.deepEqual(m.alignment?.lordosisDeg, { angleDeg: 48.06, upper: 'L1', lower: 'S1' });
  assert.equal(m.notAssessed?.['body-composition'], 'L3 slice has no abdominal wall');
});

test('a report built from @rachis/measure results shows the same values and the not-assessed reason', () => {
  const f = makeFixture();
  const r = buildReport(f.volume, f.spine, fromMeasure(results()), { seed: 'adapter' });
  const l1 = r.levels.find((l) => l.name === 'L1')!;
  assert.equal(l1.measurements.find((x) => x.key === 'L1/height-anterior')?.value, 17);
  assert.equal(l1.evaluations[0]?.text, 'Genant grade 2 (moderate), wedge');
  assert.equal(r.findings.find((x) => x.key === 'body-composition')?.summary, 'Not assessed: L3 slice has no abdominal wall.');
  assert.match(r.findings.find((x) => x.key === 'bone-density')!.summary, /^L1 trabecular attenuation 130 HU: low bone density possible/);
  assert.ok(!r.caveats.includes('contrast phase unknown'), 'the stage’s contrast note is not repeated');
  assert.ok(r.caveats.includes('vertebral levels checked'));
  assert.equal(r.methods.find((x) => x.id === 'bone-density')?.description, 'Pickhardt 2013 L1 thresholds');
});
