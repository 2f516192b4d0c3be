import { stat } from 'node:fs/promises';
import { RachisError, listDicomSeries, readVolume } from '@rachis/imaging';
import { parse } from '../args.js';
import { EXIT_OK, writeLine } from '../context.js';
import type { Command } from '../context.js';
import { formatSummary, summarizeVolume } from '../volume-summary.js';
import { isDicomInput } from '../inputs.js';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show the series in a DICOM folder or file, or a NIfTI/NRRD/PNG image: size, spacing, orientation, HU range, warnings',
  usage: `Usage: rachis info <path> [--series <uid|description>] [--json]

  <path>     DICOM folder or file, .nii/.nii.gz, .nrrd, .png/.jpg
  --series   choose one series when a folder holds several (UID or part of its description)
  --json     machine-readable output`,
  async run(args, io) {
    const { values, positionals } = parse(args, { series: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1 });
    const path = positionals[0] as string;
    await stat(path).catch((e: unknown) => {
      throw new RachisError('NOT_FOUND', 'no such file or folder', { file: path, cause: e });
    });
    const series = isDicomInput(path) ? await listDicomSeries(path) : [];
    if (series.length > 1 && values.series === undefined) {
      if (values.json) {
        writeLine(io.stdout, JSON.stringify({ series }, null, 2));
      } else {
        writeLine(io.stdout, `${series.length} series found (choose one with --series):`);
        for (const s of series) {
          writeLine(
            io.stdout,
            `  ${s.seriesInstanceUID}  ${s.modality ?? '?'}  ${s.instanceCount} instance(s)  ${s.columns ?? '?'}×${s.rows ?? '?'}  ${s.seriesDescription ?? ''}`,
          );
        }
      }
      return EXIT_OK;
    }
    const volume = await readVolume(path, values.series === undefined ? {} : { series: values.series });
    const summary = summarizeVolume(volume);
    writeLine(io.stdout, values.json ? JSON.stringify({ series, volume: summary }, null, 2) : formatSummary(summary));
    return EXIT_OK;
  },
};
