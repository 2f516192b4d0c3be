// Worker thread for parallel frame decoding (see decode-pool.ts). Plain JavaScript on purpose:
// worker threads do not inherit a loader registered through tsx's API (the CLI does that).
import { parentPort } from 'node:worker_threads';
import dcmjsCodecs from 'dcmjs-codecs';

const { NativeCodecs, Context } = dcmjsCodecs;
const ready = NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
const DECODERS = {
  rle: (c) => NativeCodecs.decodeRle(c, {}),
  jpeg: (c) => NativeCodecs.decodeJpeg(c, { convertColorspaceToRgb: true }),
  jpegls: (c) => NativeCodecs.decodeJpegLs(c, {}),
  j2k: (c) => NativeCodecs.decodeJpeg2000(c, {}),
  htj2k: (c) => NativeCodecs.decodeHtJpeg2000(c, {}),
};

parentPort.on('message', async ({ id, codec, encoded, fmt }) => {
  try {
    await ready;
    const ctx = new Context({
      width: fmt.columns,
      height: fmt.rows,
      bitsAllocated: fmt.bitsAllocated,
      bitsStored: fmt.bitsStored,
      samplesPerPixel: fmt.samplesPerPixel,
      pixelRepresentation: fmt.pixelRepresentation,
      planarConfiguration: fmt.planarConfiguration,
      photometricInterpretation: fmt.photometric,
      encodedBuffer: encoded,
    });
    const out = DECODERS[codec](ctx).getDecodedBuffer();
    // Copy out of the wasm heap into a transferable buffer.
    const decoded = out ? new Uint8Array(out) : new Uint8Array(0);
    parentPort.postMessage({ id, decoded }, [decoded.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e instanceof Error ? e.message : e) });
  }
});
