import { readFileSync, writeFileSync } from 'node:fs';
import { RachisError } from '@rachis/imaging';
import { rowsToCsv, runRadiomics, runRadiomicsBatch } from '@rachis/radiomics';
import type { RadiomicsOutputRow, RunRadiomicsOptions } from '@rachis/radiomics';
import { parse } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../context.js';
import type { Command } from '../context.js';

export const radiomicsCommand: Command = {
  name: 'radiomics',
  summary: 'IBSI-1 radiomics features of an image inside a mask (CSV or JSON); batch mode over many pairs',
  usage: `Usage: rachis radiomics <image> <mask> [--label N] [--settings file.yaml|json] [--format csv|json] [--out file]
       rachis radiomics --batch pairs.csv [--settings f] [--format csv|json] [--out file]

  <image>     .nii/.nii.gz, .nrrd or a DICOM folder
  <mask>      label image on the same grid (.nii/.nii.gz, .nrrd)
  --label     ROI label value (default: every non-zero voxel)
  --settings  YAML/JSON file stating every processing choice (interpolation, re-segmentation, discretisation…)
  --batch     CSV with lines "image,mask[,label]" (a header line is allowed); failing pairs are reported, not fatal
  --format    csv (default) or json
  --out       write to this file instead of standard output`,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        label: { type: 'string' },
        settings: { type: 'string' },
        batch: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
      { min: 0, max: 2 },
    );
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
    const label = values.label === undefined ? undefined : parseLabel(values.label);
    let rows: RadiomicsOutputRow[];
    let failures = 0;
    if (values.batch !== undefined) {
      if (positionals.length > 0) throw new UsageError('give either <image> <mask> or --batch, not both');
      const pairs = readPairs(values.batch, values.settings);
      const result = await runRadiomicsBatch(pairs);
      rows = result.rows;
      failures = result.errors.length;
      for (const e of result.errors) writeLine(io.stderr, `failed: ${e.imagePath} ${e.maskPath}: ${e.error}`);
    } else {
      if (positionals.length !== 2) throw new UsageError('expected <image> <mask>');
      const [imagePath, maskPath] = positionals as [string, string];
      rows = await runRadiomics({
        imagePath,
        maskPath,
        ...(label !== undefined ? { label } : {}),
        ...(values.settings !== undefined ? { settingsPath: values.settings } : {}),
      });
    }
    const text = format === 'csv' ? rowsToCsv(rows) : JSON.stringify(rows, null, 2) + '\n';
    if (values.out !== undefined) writeFileSync(values.out, text);
    else io.stdout.write(text);
    return failures > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function parseLabel(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--label must be a non-negative integer, got '${text}'`);
  return n;
}

function readPairs(path: string, settingsPath: string | undefined): RunRadiomicsOptions[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RachisError('NOT_FOUND', 'cannot read the batch file', { file: path, cause: e });
  }
  const pairs: RunRadiomicsOptions[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (i === 0 && /^image\s*,/i.test(line))) continue;
    const [imagePath, maskPath, label] = line.split(',').map((s) => s.trim());
    if (!imagePath || !maskPath) throw new RachisError('MALFORMED', `line ${i + 1}: expected "image,mask[,label]"`, { file: path });
    pairs.push({
      imagePath,
      maskPath,
      ...(label ? { label: parseLabel(label) } : {}),
      ...(settingsPath !== undefined ? { settingsPath } : {}),
    });
  }
  return pairs;
}
