/**
 * A small pool of worker threads that decode compressed frames in parallel (the codecs are
 * single-threaded WebAssembly; J2K decoding dominates large compressed reads). Workers are
 * started lazily, kept referenced only while they have work, and replaced if one dies.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RachisError } from '../core/errors.js';
import type { FrameFormat } from './codecs.js';
import type { PixelCodec } from './transfer-syntax.js';

interface Pending {
  resolve: (b: Uint8Array) => void;
  reject: (e: unknown) => void;
  file: string;
  codec: PixelCodec;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class DecodePool {
  private readonly slots: (Slot | undefined)[] = [];
  private nextId = 0;
  private turn = 0;

  constructor(readonly size: number) {}

  private spawn(index: number): Slot {
    const worker = new Worker(new URL('./decode-worker.mjs', import.meta.url));
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; decoded?: Uint8Array; error?: string }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined || !m.decoded) p.reject(new RachisError('MALFORMED', `${p.codec} frame could not be decoded (${m.error ?? 'no output'})`, { file: p.file }));
      else p.resolve(m.decoded);
    });
    const fail = (e: unknown): void => {
      for (const p of slot.pending.values()) p.reject(new RachisError('MALFORMED', `${p.codec} decoder crashed (${String(e)})`, { file: p.file, cause: e }));
      slot.pending.clear();
      if (this.slots[index] === slot) this.slots[index] = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`worker exited with ${code}`));
    return slot;
  }

  /** Stops the workers (pending decodes fail). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s?.worker.terminate()));
    this.slots.length = 0;
  }

  decode(codec: PixelCodec, encoded: Uint8Array, fmt: FrameFormat, file: string): Promise<Uint8Array> {
    const index = this.turn++ % this.size;
    const slot = (this.slots[index] ??= this.spawn(index));
    const id = this.nextId++;
    const copy = encoded.slice(); // transferable, and independent of the file buffer
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, file, codec });
      slot.worker.ref();
      slot.worker.postMessage({ id, codec, encoded: copy, fmt: { ...fmt } }, [copy.buffer]);
    });
  }
}

let shared: DecodePool | undefined;

/** Worker count used by default: one per core (the main thread mostly waits), at most 8; none on one core. */
export function defaultDecodeThreads(): number {
  const n = availableParallelism();
  return n > 1 ? Math.min(8, n) : 0;
}

/** The process-wide pool (created on first use) with `threads` workers. */
export function decodePool(threads: number): DecodePool {
  if (!shared || shared.size !== threads) {
    void shared?.close();
    shared = new DecodePool(threads);
  }
  return shared;
}
