/** Load radiomics settings from a YAML or JSON file (the only file I/O of the settings). */
import { readFile } from 'node:fs/promises';
import { RachisError } from '@rachis/imaging';
import { parse as parseYaml } from 'yaml';
import { resolveSettings } from '../settings.js';
import type { RadiomicsSettings, SettingsInput } from '../settings.js';

/** Parse settings text; `format` defaults to YAML (a superset of JSON). */
export function parseSettings(text: string, file?: string): RadiomicsSettings {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new RachisError('MALFORMED', `settings file is not valid YAML/JSON: ${(e as Error).message}`, { ...(file ? { file } : {}), cause: e });
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RachisError('MALFORMED', 'settings file must contain a mapping/object at the top level', file ? { file } : {});
  }
  try {
    return resolveSettings(raw as SettingsInput);
  } catch (e) {
    if (e instanceof RachisError) throw new RachisError(e.code, e.message, { ...(file ? { file } : {}), cause: e });
    throw e;
  }
}

export async function loadSettingsFile(path: string): Promise<RadiomicsSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RachisError('NOT_FOUND', 'cannot read the settings file', { file: path, cause: e });
  }
  return parseSettings(text, path);
}
