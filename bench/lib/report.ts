/** Shared helpers for side-by-side benchmarks: percentiles and a table with a ratio column. */

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? NaN;
}

export interface LatencySummary {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Summary of per-operation latencies (ms) over a wall-clock window (ms). */
export function summarise(latenciesMs: number[], wallMs: number): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: (sorted.length / wallMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

export interface BenchRow {
  case: string;
  subject: string;
  /** The figure compared across subjects of a case (higher is better unless `lowerIsBetter`). */
  value: number;
  unit: string;
  extra?: Record<string, string | number>;
}

const format = (value: number): string =>
  Number.isFinite(value) ? (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)) : 'n/a';

/**
 * Prints rows grouped by case with a ratio column: each subject's value divided by the value of the
 * case's peer (the row whose subject is `peer`).
 */
export function printTable(title: string, rows: BenchRow[], peer: string): void {
  const extras = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const header = ['case', 'subject', 'value', 'unit', ...extras, `ratio vs ${peer}`];
  const lines = rows.map((row) => {
    const base = rows.find((other) => other.case === row.case && other.subject === peer);
    const ratio = base ? row.value / base.value : NaN;
    return [
      row.case,
      row.subject,
      format(row.value),
      row.unit,
      ...extras.map((key) => {
        const value = row.extra?.[key];
        return typeof value === 'number' ? format(value) : (value ?? '');
      }),
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a',
    ];
  });
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [title, '', render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)];
  process.stdout.write(`${out.join('\n')}\n`);
}
