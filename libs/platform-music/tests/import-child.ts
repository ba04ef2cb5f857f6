// Run by large-import.test.ts in a child process with a small heap limit.
import { readExport, WrappedAccumulator } from '../src/index.js';

const [path] = process.argv.slice(2);
const accumulator = new WrappedAccumulator({ year: 2023, timeZone: 'Europe/Berlin' });
let count = 0;
const started = Date.now();
for await (const play of readExport(path ?? '', 'big.json')) {
  accumulator.add(play);
  count++;
}
const report = accumulator.report();
process.stdout.write(`${JSON.stringify({ count, artists: report.totals.distinct_artists, ms: Date.now() - started })}\n`);
