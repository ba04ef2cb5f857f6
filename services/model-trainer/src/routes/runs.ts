import type { PlatformApp } from '@platform/core';
import { IdempotencyKeyHeaders, idempotencyKeyOf, jobStatus, registerJobCancelRoute } from '@platform/workers';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { RunMetrics, RunRequest, RunStatus } from '../models/run.js';
import { findRun, type RunRecord } from '../services/run-store.js';
import { startRun, type StartRunDeps } from '../services/start-jobs.js';

export type RunRouteDeps = StartRunDeps;

const Accepted = z.object({ run_id: z.string(), job_id: z.string(), status: z.literal('queued') });
const RunView = z.object({
  run_id: z.string(),
  job_id: z.string().nullable(),
  status: RunStatus,
  progress: z.number(),
  family: z.string(),
  size: z.string(),
  public: z.boolean(),
  tokenizer_id: z.string().nullable(),
  metrics: RunMetrics,
  corpus: z.record(z.string(), z.unknown()).nullable(),
  artifact: z.object({ model_id: z.string(), file_id: z.string() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  error: z.object({ kind: z.enum(['user', 'system']), message: z.string() }).nullable(),
});
export const RunParams = z.object({ id: z.string().min(1).max(100) });
const CURVE_COLUMNS = ['kind', 'step', 'tokens', 'elapsed_s', 'train_loss', 'val_loss', 'best_val_loss', 'tokens_per_s', 'lr'] as const;

/** The record, with BullMQ's job state where the record has no final word yet (a crashed worker cannot update it). */
async function runView(queue: Queue, record: RunRecord): Promise<z.output<typeof RunView>> {
  const view = {
    run_id: record.run_id,
    job_id: record.job_id,
    status: record.status,
    progress: record.progress,
    family: record.family,
    size: record.size,
    public: record.public,
    tokenizer_id: record.tokenizer_id,
    metrics: record.metrics,
    corpus: record.corpus,
    artifact: record.artifact,
    created_at: record.created_at,
    updated_at: record.updated_at,
    error: record.error,
  };
  const final = record.status === 'completed' || record.status === 'failed' || record.status === 'cancelled';
  const job = final || record.job_id === null ? undefined : await jobStatus(queue, record.job_id);
  if (!job) return view;
  return { ...view, status: job.status, progress: Math.max(view.progress, job.progress), error: view.error ?? job.error };
}

const csvCell = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? String(value) : '');

export function runRoutes(app: PlatformApp, deps: RunRouteDeps): void {
  app.post(
    '/v1/runs',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'Train a GPT-2 or char-LSTM (a job on queue trainer)',
        headers: IdempotencyKeyHeaders,
        body: RunRequest,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const jobId = await startRun(deps, request.body, idempotencyKeyOf(request.headers));
      return reply.status(202).send({ run_id: jobId, job_id: jobId, status: 'queued' as const });
    },
  );
  app.get(
    '/v1/runs',
    { config: { auth: 'trainer' }, schema: { summary: 'Runs, newest first', response: { 200: z.object({ runs: z.array(RunView) }) } } },
    async () => ({ runs: await Promise.all((await deps.store.list()).map((record) => runView(deps.queue, record))) }),
  );
  app.get(
    '/v1/runs/:id',
    { config: { auth: 'trainer' }, schema: { summary: 'A run with its live metrics', params: RunParams, response: { 200: RunView } } },
    async (request) => runView(deps.queue, await findRun(deps.store, request.params.id)),
  );
  app.get(
    '/v1/runs/:id/metrics',
    {
      config: { auth: 'trainer' },
      schema: {
        summary: 'The loss curve (step and eval points) as JSON, or CSV with ?format=csv',
        params: RunParams,
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
    },
    async (request, reply) => {
      await findRun(deps.store, request.params.id);
      const points = await deps.store.curve(request.params.id);
      if (request.query.format === 'json') return { run_id: request.params.id, points };
      const lines = [CURVE_COLUMNS.join(','), ...points.map((point) => CURVE_COLUMNS.map((column) => csvCell(point[column])).join(','))];
      return reply.type('text/csv; charset=utf-8').send(`${lines.join('\n')}\n`);
    },
  );
  app.get(
    '/v1/runs/:id/logs',
    { config: { auth: 'trainer' }, schema: { summary: "The kernel's log lines (the last 2,000)", params: RunParams } },
    async (request) => {
      await findRun(deps.store, request.params.id);
      return { run_id: request.params.id, logs: await deps.store.logs(request.params.id) };
    },
  );
  // DELETE /v1/runs/{id}: the run id is its job id; the kernel saves last.pt before it stops.
  registerJobCancelRoute(app, deps.queue, 'trainer', '/v1/runs');
}
