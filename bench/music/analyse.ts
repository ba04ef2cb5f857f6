// Child process of run.ts: imports and analyses one export with @platform/music, prints one JSON line.
import { readExport, WrappedAccumulator } from '@platform/music';

const [path = '', year = '2023', timeZone = 'Europe/Berlin'] = process.argv.slice(2);
const started = performance.now();
const accumulator = new WrappedAccumulator({ year: Number(year), timeZone });
let rows = 0;
for await (const play of readExport(path)) {
  accumulator.add(play);
  rows++;
}
const report = accumulator.report();
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ rows, plays: report.totals.plays, top: report.top_artists[0]?.name, wallMs: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakMb: usage.maxRSS / 1024 })}\n`,
);
