import { existsSync } from 'node:fs';
import { RachisError, readVolume, writeVolume } from '@rachis/imaging';
import { parse } from '../args.js';
import { EXIT_OK, UsageError, writeLine } from '../context.js';
import type { Command } from '../context.js';
import { summarizeVolume } from '../volume-summary.js';

const OUTPUT_EXTENSIONS = ['.nii', '.nii.gz', '.nrrd'];

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert a DICOM series (or NIfTI/NRRD) to .nii, .nii.gz or .nrrd with correct LPS geometry',
  usage: `Usage: rachis convert <input> <output.nii.gz|.nii|.nrrd> [--series <uid|description>] [--force] [--json]

  <input>    DICOM folder or file, .nii/.nii.gz, .nrrd
  <output>   file to write; refused if it exists unless --force
  --series   choose one series when a folder holds several`,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { series: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
      { min: 2, max: 2 },
    );
    const [input, output] = positionals as [string, string];
    if (!OUTPUT_EXTENSIONS.some((e) => output.toLowerCase().endsWith(e))) {
      throw new UsageError(`output must end in ${OUTPUT_EXTENSIONS.join(', ')}: ${output}`);
    }
    if (existsSync(output) && !values.force) {
      throw new RachisError('INVALID_ARGUMENT', 'output exists; pass --force to overwrite it', { file: output });
    }
    const volume = await readVolume(input, values.series === undefined ? {} : { series: values.series });
    await writeVolume(output, volume);
    const summary = summarizeVolume(volume);
    if (values.json) writeLine(io.stdout, JSON.stringify({ output, volume: summary }, null, 2));
    else writeLine(io.stdout, `wrote ${output} (${summary.size.join('×')} voxels, ${summary.spacingMm.join('×')} mm, ${summary.orientation})`);
    for (const w of summary.warnings) writeLine(io.stderr, `warning: ${w}`);
    return EXIT_OK;
  },
};
