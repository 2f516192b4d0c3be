import { RachisError } from '@rachis/imaging';
import { VERTEBRA_NAMES } from '@rachis/spine';
import type { LabelOverride, SpineSegmentation, VertebraName } from '@rachis/spine';
import { UsageError } from './context.js';

/** The ways a user can tell Rachis which vertebra is which, as given on the command line. */
export interface OverrideRequest {
  firstVisible?: string;
  lowestLumbar?: string;
  /** "N=NAME": instance N (1 = most cranial detected) is NAME. */
  instance?: string;
}

function vertebraName(text: string, flag: string): VertebraName {
  const name = (VERTEBRA_NAMES as readonly string[]).find((n) => n.toLowerCase() === text.trim().toLowerCase());
  if (!name) throw new UsageError(`${flag}: '${text}' is not a vertebra name (C1…C7, T1…T13, L1…L6, S1)`);
  return name as VertebraName;
}

export function checkOverrideRequest(r: OverrideRequest): void {
  const given = [r.firstVisible, r.lowestLumbar, r.instance].filter((x) => x !== undefined);
  if (given.length > 1) throw new UsageError('give at most one of --first-visible, --lowest-lumbar, --instance');
  if (r.firstVisible !== undefined) vertebraName(r.firstVisible, '--first-visible');
  if (r.lowestLumbar !== undefined) vertebraName(r.lowestLumbar, '--lowest-lumbar');
  if (r.instance !== undefined && !/^\d+=\w+$/.test(r.instance)) throw new UsageError('--instance must look like 3=L1');
}

/** Turns the request into the engine's override, using the segmentation found (no re-segmenting). */
export function resolveOverride(r: OverrideRequest, spine: SpineSegmentation): LabelOverride | undefined {
  if (r.firstVisible !== undefined) return { instance: 1, label: vertebraName(r.firstVisible, '--first-visible') };
  if (r.lowestLumbar !== undefined) {
    const lumbar = spine.vertebrae.filter((v) => v.label.startsWith('L'));
    const lowest = lumbar[lumbar.length - 1];
    if (!lowest) throw new RachisError('INVALID_ARGUMENT', '--lowest-lumbar: no vertebra is currently labelled lumbar; use --instance N=NAME');
    return { instance: lowest.instance, label: vertebraName(r.lowestLumbar, '--lowest-lumbar') };
  }
  if (r.instance !== undefined) {
    const [n, name] = r.instance.split('=') as [string, string];
    const instance = Number(n);
    if (!spine.vertebrae.some((v) => v.instance === instance)) {
      throw new RachisError('INVALID_ARGUMENT', `--instance: there is no vertebra instance ${instance} (found 1…${spine.vertebrae.length})`);
    }
    return { instance, label: vertebraName(name, '--instance') };
  }
  return undefined;
}
