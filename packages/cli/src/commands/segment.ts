import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeVolume } from '@rachis/imaging';
import { renderSpineKeyImages } from '@rachis/imaging/render';
import { parse } from '../args.js';
import { EXIT_OK, UsageError, writeLine } from '../context.js';
import type { Command } from '../context.js';
import { createProgress } from '../progress.js';
import { loadVolume, segmentWithOverride } from '../pipeline.js';
import { OVERRIDE_OPTIONS, OVERRIDE_USAGE, overrideFrom } from './analyze.js';

export const segmentCommand: Command = {
  name: 'segment',
  summary: 'Find, segment and label the vertebrae of a CT; write the label map (NIfTI), spine.json and sagittal/coronal PNGs',
  usage: `Usage: rachis segment <input> --out <dir> [--series <x>] [overrides] [--json]

  <input>       DICOM folder or file, or .nii/.nii.gz/.nrrd CT in HU
  --out <dir>   writes vertebrae.nii.gz (labels 1–7 C1–C7, 8–19 T1–T12, 20–24 L1–L5, 25 sacrum/S1,
                26 T13, 27 L6), parts.nii.gz (1 body, 2 posterior elements, 3 canal),
                spine.json (labels, centroids in LPS mm, confidence, evidence) and sagittal.png, coronal.png
${OVERRIDE_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { out: { type: 'string' }, series: { type: 'string' }, json: { type: 'boolean' }, ...OVERRIDE_OPTIONS },
      { min: 1, max: 1 },
    );
    if (values.out === undefined) throw new UsageError('--out <dir> is required');
    const outDir = resolve(values.out);
    const override = overrideFrom(values);
    const progress = createProgress(io, 3, !values.json);
    const volume = await loadVolume(progress, positionals[0] as string, values.series);
    const spine = await progress.stage('Finding, segmenting and labelling vertebrae', () => segmentWithOverride(volume, override));
    const summary = {
      labelling: spine.labelling,
      vertebrae: spine.vertebrae,
      discs: spine.discs,
      warnings: spine.warnings,
      algorithm: spine.algorithm,
      timings: spine.timings,
    };
    await progress.stage('Writing label maps and key images', async () => {
      await mkdir(outDir, { recursive: true });
      await writeVolume(join(outDir, 'vertebrae.nii.gz'), spine.vertebraMask);
      await writeVolume(join(outDir, 'parts.nii.gz'), spine.partMask);
      await writeFile(join(outDir, 'spine.json'), JSON.stringify(summary, null, 2) + '\n');
      const names = new Map<number, string>();
      for (const [value, name] of spine.vertebraMask.labels) names.set(value, name);
      const note = spine.labelling.state === 'uncertain' ? ['Labels UNCERTAIN: check the level count'] : [];
      const pngs = renderSpineKeyImages(volume, spine.vertebraMask, names, { annotations: note });
      await writeFile(join(outDir, 'sagittal.png'), pngs.sagittal);
      await writeFile(join(outDir, 'coronal.png'), pngs.coronal);
    });
    if (values.json) writeLine(io.stdout, JSON.stringify({ outDir, ...summary }, null, 2));
    else {
      writeLine(io.stdout, `Vertebrae (${spine.labelling.state}): ${spine.vertebrae.map((v) => v.label).join(' ')}`);
      if (spine.labelling.state === 'uncertain') {
        for (const h of spine.labelling.hypotheses) writeLine(io.stdout, `  ${(h.probability * 100).toFixed(0)} %: ${h.labels.join(' ')} (${h.reason})`);
      }
      for (const w of spine.warnings) writeLine(io.stderr, `warning: ${w}`);
      writeLine(io.stdout, `Wrote ${outDir}/{vertebrae.nii.gz, parts.nii.gz, spine.json, sagittal.png, coronal.png}`);
    }
    return EXIT_OK;
  },
};
