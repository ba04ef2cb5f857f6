/**
 * Child process of the benchmark: reads every spectrum of an mzML with @platform/instrument-io
 * (both arrays decoded), then `--get N` random spectra through the offset index; prints one JSON line.
 */
import { MzmlReader } from '@platform/instrument-io';

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: read.ts FILE [--get N]');
const gets = rest[0] === '--get' ? Number(rest[1]) : 0;
const reader = new MzmlReader(file);
const started = performance.now();
let spectra = 0;
let peaks = 0;
for await (const s of reader.spectra()) {
  spectra++;
  peaks += s.mz.length;
}
const streamSeconds = (performance.now() - started) / 1000;
let getSeconds = 0;
if (gets > 0) {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const t = performance.now();
  for (let i = 0; i < gets; i++) await reader.get(next() % spectra);
  getSeconds = (performance.now() - t) / 1000;
}
process.stdout.write(`${JSON.stringify({ spectra, peaks, streamSeconds, getSeconds, gets })}\n`);
