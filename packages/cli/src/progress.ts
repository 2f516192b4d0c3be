import type { CliIO } from './context.js';

/** Reports pipeline stages: "[2/5] Segmenting spine … 6.1 s" on a terminal, nothing otherwise. */
export interface Progress {
  stage<T>(name: string, work: () => Promise<T> | T): Promise<T>;
  /** Seconds per stage, in order. */
  readonly timings: Record<string, number>;
}

export function createProgress(io: CliIO, totalStages: number, enabled: boolean): Progress {
  const timings: Record<string, number> = {};
  let index = 0;
  const show = enabled && io.stderr.isTTY === true;
  return {
    timings,
    async stage<T>(name: string, work: () => Promise<T> | T): Promise<T> {
      index++;
      if (show) io.stderr.write(`[${index}/${totalStages}] ${name} … `);
      const t0 = performance.now();
      try {
        const result = await work();
        timings[name] = (performance.now() - t0) / 1000;
        if (show) io.stderr.write(`${timings[name].toFixed(1)} s\n`);
        return result;
      } catch (e) {
        if (show) io.stderr.write('failed\n');
        throw e;
      }
    },
  };
}
