/** One Rachis de-identification run in a fresh process (used by bench/deid.ts): IN OUT KEYFILE. */
import { deidentifyTree, readKeyFile } from '../src/index.js';

const [input, output, keyFile] = process.argv.slice(2);
if (!input || !output || !keyFile) throw new Error('usage: deid-once.ts IN OUT KEYFILE');
await deidentifyTree({ input, output, key: readKeyFile(keyFile) });
