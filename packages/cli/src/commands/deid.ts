import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { RachisError } from '@rachis/imaging';
import { deidentifyTree, readKeyFile } from '@rachis/deid';
import type { BurnedInRegionRule, DeidOptions } from '@rachis/deid';
import { parse } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../context.js';
import type { Command } from '../context.js';

const DATE_MODES = ['off', 'full', 'modified'] as const;

export const deidCommand: Command = {
  name: 'deid',
  summary: 'De-identify DICOM files or folders (PS3.15 Annex E basic profile + options); fails closed',
  usage: `Usage: rachis deid <input> <output> --key-file <file> [options]

  <input>     DICOM file or folder (walked recursively; links are not followed)
  <output>    output folder (file and folder names are replaced by keyed hashes);
              for a single input file, a path ending in .dcm
  --key-file  secret key (>= 16 bytes) that makes UIDs and pseudonyms consistent across runs
  --create-key  create the key file (32 random bytes, mode 600) if it does not exist
  --linkage-map <file>  also write the original <-> pseudonym map here (outside <output>)
  --retain-dates off|full|modified   Retain Longitudinal Temporal Information (modified = shifted per patient)
  --retain-patient-characteristics   --retain-device   --retain-institution
  --retain-uids   --retain-safe-private
  --clean-descriptors   --clean-structured-content   --clean-graphics
  --strict    combined action codes (X/Z, X/D…) remove the attribute (default: conformance-preserving replacement)
  --burned-in-rules <file.json>  regions to blank per device (else such objects are quarantined)
  --json      print the summary as JSON

Objects that cannot be cleaned safely (burned-in text, unparsable files) are quarantined:
counted in the summary and never written to <output>. The summary contains no PHI.`,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        'key-file': { type: 'string' },
        'create-key': { type: 'boolean' },
        'linkage-map': { type: 'string' },
        'retain-dates': { type: 'string' },
        'retain-patient-characteristics': { type: 'boolean' },
        'retain-device': { type: 'boolean' },
        'retain-institution': { type: 'boolean' },
        'retain-uids': { type: 'boolean' },
        'retain-safe-private': { type: 'boolean' },
        'clean-descriptors': { type: 'boolean' },
        'clean-structured-content': { type: 'boolean' },
        'clean-graphics': { type: 'boolean' },
        strict: { type: 'boolean' },
        'burned-in-rules': { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 2, max: 2 },
    );
    const [input, output] = positionals as [string, string];
    const keyFile = values['key-file'];
    if (keyFile === undefined) throw new UsageError('--key-file is required (create one with --create-key)');
    if (!existsSync(keyFile)) {
      if (!values['create-key']) throw new RachisError('NOT_FOUND', 'key file does not exist (pass --create-key to create it)', { file: keyFile });
      writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
      writeLine(io.stderr, `created key file ${keyFile}: keep it secret and keep it: the same key gives the same pseudonyms`);
    }
    const dates = values['retain-dates'] ?? 'off';
    if (!(DATE_MODES as readonly string[]).includes(dates)) throw new UsageError(`--retain-dates must be one of ${DATE_MODES.join(', ')}`);
    const options: Partial<DeidOptions> = {
      retainLongitudinalTemporal: dates as DeidOptions['retainLongitudinalTemporal'],
      retainPatientCharacteristics: values['retain-patient-characteristics'] === true,
      retainDeviceIdentity: values['retain-device'] === true,
      retainInstitutionIdentity: values['retain-institution'] === true,
      retainUIDs: values['retain-uids'] === true,
      retainSafePrivate: values['retain-safe-private'] === true,
      cleanDescriptors: values['clean-descriptors'] === true,
      cleanStructuredContent: values['clean-structured-content'] === true,
      cleanGraphics: values['clean-graphics'] === true,
      combinedActions: values.strict === true ? 'strict' : 'conformance',
    };
    if (values['burned-in-rules'] !== undefined) options.burnedInRegions = readRules(values['burned-in-rules']);
    const summary = await deidentifyTree({
      input,
      output,
      options,
      key: readKeyFile(keyFile),
      ...(values['linkage-map'] !== undefined ? { linkageMapPath: values['linkage-map'] } : {}),
    });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(summary, null, 2));
    } else {
      const f = summary.files;
      writeLine(io.stdout, `${summary.profile}`);
      writeLine(io.stdout, `files: ${f.seen} seen, ${f.written} written, ${f.quarantined} quarantined, ${f.skippedSymlinks} links skipped (${Math.round(summary.elapsedMs)} ms)`);
      for (const [reason, n] of Object.entries(summary.quarantinedByReason)) writeLine(io.stdout, `  quarantined (${reason}): ${n}`);
      writeLine(io.stdout, `method codes: ${summary.methodCodes.join(', ')}`);
    }
    return summary.files.quarantined > 0 && summary.files.written === 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function readRules(path: string): BurnedInRegionRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RachisError('MALFORMED', 'burned-in rules must be a JSON array of {description, match, rects}', { file: path, cause: e });
  }
  if (!Array.isArray(parsed)) throw new RachisError('MALFORMED', 'burned-in rules must be a JSON array', { file: path });
  for (const r of parsed as unknown[]) {
    const rule = r as Partial<BurnedInRegionRule>;
    if (typeof rule.description !== 'string' || typeof rule.match !== 'object' || !Array.isArray(rule.rects)) {
      throw new RachisError('MALFORMED', 'each rule needs description (string), match (object) and rects (array)', { file: path });
    }
  }
  return parsed as BurnedInRegionRule[];
}
