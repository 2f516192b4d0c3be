/**
 * Bounded gunzip: decompresses at most `maxBytes` and stops, so a gzip bomb or a hostile header
 * can never make us allocate more than the header-validated size. Truncated streams are reported.
 */
import { createGunzip } from 'node:zlib';
import { RachisError } from '../core/errors.js';

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

export interface GunzipResult {
  data: Buffer;
  /** True when the stream ended before `maxBytes` were produced. */
  ended: boolean;
}

/** Decompresses the first `maxBytes` bytes of a gzip stream (fewer if it ends earlier). */
export function gunzipPrefix(input: Uint8Array, maxBytes: number, file: string): Promise<GunzipResult> {
  return new Promise((resolve, reject) => {
    // Grow geometrically instead of trusting `maxBytes` (from a header) for the first allocation:
    // a 100-byte file claiming 4 GB must not cost 4 GB before it is found truncated.
    let out = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(1 << 20, input.length * 4)));
    let filled = 0;
    let done = false;
    const gz = createGunzip({ chunkSize: 1 << 20 });
    const finish = (ended: boolean): void => {
      if (done) return;
      done = true;
      resolve({ data: out.subarray(0, filled), ended });
    };
    gz.on('data', (chunk: Buffer) => {
      if (done) return;
      const n = Math.min(chunk.length, maxBytes - filled);
      if (filled + n > out.length) {
        const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(filled + n, out.length * 2)));
        out.copy(grown, 0, 0, filled);
        out = grown;
      }
      chunk.copy(out, filled, 0, n);
      filled += n;
      if (filled >= maxBytes) {
        finish(false);
        gz.destroy();
      }
    });
    gz.on('end', () => finish(true));
    gz.on('error', (err: NodeJS.ErrnoException) => {
      if (done) return;
      // A stream cut short ("unexpected end of file") still yields what was decoded so far.
      if (err.code === 'Z_BUF_ERROR') {
        finish(true);
        return;
      }
      done = true;
      reject(new RachisError('MALFORMED', `corrupt gzip data (${err.message})`, { file, cause: err }));
    });
    gz.end(input);
  });
}
