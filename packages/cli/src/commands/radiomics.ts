import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RachisError, readVolume } from '@rachis/imaging';
import { segmentSpineCT } from '@rachis/spine';
import { vertebralBodyLabels } from '../spine-rois.js';
import { extractFeaturesPerLabel, featureRows, loadSettingsFile, rowsToCsv, runRadiomics, runRadiomicsBatch } from '@rachis/radiomics';
import type { RadiomicsOutputRow, RunRadiomicsOptions } from '@rachis/radiomics';
import { parse } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../context.js';
import type { Command } from '../context.js';

export const radiomicsCommand: Command = {
  name: 'radiomics',
  summary: 'IBSI-1 radiomics features of an image inside a mask (CSV or JSON); batch mode over many pairs',
  usage: `Usage: rachis radiomics <image> <mask> [--label N] [--settings file.yaml|json] [--format csv|json] [--out file]
       rachis radiomics --batch pairs.csv [--settings f] [--format csv|json] [--out file]
       rachis radiomics <ct> --vertebrae [--settings f] [--format csv|json] [--out file]

  <image>     .nii/.nii.gz, .nrrd or a DICOM folder
  <mask>      label image on the same grid (.nii/.nii.gz, .nrrd)
  --label     ROI label value (default: every non-zero voxel)
  --settings  YAML/JSON file stating every processing choice (interpolation, re-segmentation, discretisation…)
  --batch     CSV with lines "image,mask[,label]" (a header line is allowed); failing pairs are reported, not fatal
  --vertebrae run the spine engine on <ct> and extract features per vertebral body (label = vertebra
              label value, mask column = "<name> body"); default settings: spine-ct-default.yaml
              (1 mm isotropic, FBS 25 HU)
  --format    csv (default) or json
  --out       write to this file instead of standard output`,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        label: { type: 'string' },
        settings: { type: 'string' },
        batch: { type: 'string' },
        vertebrae: { type: 'boolean' },
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
    if (values.vertebrae) {
      if (positionals.length !== 1 || values.batch !== undefined) throw new UsageError('--vertebrae takes one <ct> argument');
      rows = await vertebraRows(positionals[0] as string, values.settings);
    } else if (values.batch !== undefined) {
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

const SPINE_SETTINGS = fileURLToPath(new URL('../settings/spine-ct-default.yaml', import.meta.resolve('@rachis/radiomics')));

async function vertebraRows(ctPath: string, settingsPath: string | undefined): Promise<RadiomicsOutputRow[]> {
  const [volume, settings] = await Promise.all([readVolume(ctPath), loadSettingsFile(settingsPath ?? SPINE_SETTINGS)]);
  const spine = await segmentSpineCT(volume);
  const bodies = vertebralBodyLabels(spine);
  const rows: RadiomicsOutputRow[] = [];
  for (const r of extractFeaturesPerLabel(volume, bodies, settings)) {
    if (r.result) rows.push(...featureRows(r.result, ctPath, r.name, r.label));
  }
  return rows;
}
