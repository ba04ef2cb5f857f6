// Prints line and branch coverage per package from vitest's json-summary (coverage/coverage-summary.json).
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const path = 'coverage/coverage-summary.json';
if (!existsSync(path)) process.exit(0);
const summary = JSON.parse(readFileSync(path, 'utf8'));
const totals = new Map();
for (const [file, metrics] of Object.entries(summary)) {
  if (file === 'total') continue;
  const [group, name] = relative(process.cwd(), file).split('/');
  const key = `${group}/${name}`;
  const entry = totals.get(key) ?? { lines: [0, 0], branches: [0, 0] };
  entry.lines[0] += metrics.lines.covered;
  entry.lines[1] += metrics.lines.total;
  entry.branches[0] += metrics.branches.covered;
  entry.branches[1] += metrics.branches.total;
  totals.set(key, entry);
}
const pct = ([covered, total]) => (total === 0 ? '100.0' : ((covered / total) * 100).toFixed(1)).padStart(6);
console.log('coverage by package      lines  branches');
for (const [key, entry] of [...totals].sort()) console.log(`${key.padEnd(24)} ${pct(entry.lines)}%  ${pct(entry.branches)}%`);
