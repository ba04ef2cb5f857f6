import type { APIEmbed, APIEmbedField } from 'discord.js';
import { createHash } from 'node:crypto';
import type { JobStatus, JobView } from './job-view.js';

const COLOURS: Record<JobStatus, number> = {
  queued: 0x95a5a6,
  processing: 0x3498db,
  completed: 0x2ecc71,
  failed: 0xe74c3c,
};

const LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  processing: 'Running',
  completed: 'Done',
  failed: 'Failed',
};

/** `▰▰▰▰▱▱▱▱▱▱ 40%`: ten cells, a cell filled per full 10%. */
export function progressBar(percent: number, cells = 10): string {
  const clamped = Math.min(100, Math.max(0, percent));
  const filled = Math.floor((clamped / 100) * cells);
  return `${'▰'.repeat(filled)}${'▱'.repeat(cells - filled)} ${Math.round(clamped)}%`;
}

/** Metric names as people read them: `train_loss` → `Train loss`, with known units. */
const METRIC_LABELS: Record<string, string> = {
  loss: 'Loss',
  train_loss: 'Train loss',
  val_loss: 'Validation loss',
  best_val_loss: 'Best validation loss',
  accuracy: 'Accuracy',
  val_accuracy: 'Validation accuracy',
  tokens_per_s: 'Tokens/s',
  epoch: 'Epoch',
  step: 'Step',
};

function metricLabel(key: string): string {
  const known = METRIC_LABELS[key];
  if (known !== undefined) return known;
  const spaced = key.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Whole numbers with thousands separators: `25,000`, `1,902`. */
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** Small fractions (losses) to 4 significant digits: `3.380`, `0.01234`. */
const SIGNIFICANT = new Intl.NumberFormat('en-US', { minimumSignificantDigits: 4, maximumSignificantDigits: 4 });

export function formatMetric(key: string, value: number | string): string {
  if (typeof value === 'string') return value;
  if (/accuracy/.test(key) && value >= 0 && value <= 1) return `${(value * 100).toFixed(2)}%`;
  if (Number.isInteger(value) || Math.abs(value) >= 100) return WHOLE.format(value);
  return SIGNIFICANT.format(value);
}

/** The metrics as inline embed fields (a table of three columns in the client). */
export function metricsFields(metrics: Record<string, number | string>): APIEmbedField[] {
  return Object.entries(metrics).map(([key, value]) => ({ name: metricLabel(key), value: formatMetric(key, value), inline: true }));
}

function resultLines(view: JobView): string[] {
  const lines: string[] = [];
  const url = view.result?.['url'];
  if (typeof url === 'string') lines.push(url);
  if (view.result_id !== undefined) {
    const size = view.result_bytes === undefined ? '' : ` (${WHOLE.format(view.result_bytes)} bytes)`;
    lines.push(`Result file \`${view.result_id.slice(0, 12)}…\`${size}`);
  }
  return lines;
}

/** The embed of a job's message at any point: queued, running (bar, step, metrics), done or failed. */
export function jobEmbed(view: JobView, title: string): APIEmbed {
  const lines: string[] = [];
  if (view.status === 'failed') {
    lines.push(
      view.error?.kind === 'user'
        ? `❌ ${view.error.message}`
        : `❌ ${view.error?.message ?? 'The job failed.'} (a service error; try again later)`,
    );
  } else {
    lines.push(progressBar(view.progress));
    if (view.message !== undefined) lines.push(view.message);
    if (view.status === 'completed') lines.push(...resultLines(view));
  }
  return {
    title: `${title} · ${LABELS[view.status]}`,
    description: lines.join('\n'),
    color: COLOURS[view.status],
    fields: metricsFields(view.metrics),
    footer: { text: `${view.domain} job ${view.job_id}` },
    timestamp: view.updated_at,
  };
}

/**
 * What an embed shows, as a digest for "is this edit a no-op?". The timestamp is left out: it is the
 * time of the last event applied, so a repeated report would otherwise always look like a change; the
 * message keeps the time of the last edit that changed something.
 */
export function embedDigest(embed: APIEmbed): string {
  const shown: APIEmbed = { ...embed };
  delete shown.timestamp;
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url');
}
