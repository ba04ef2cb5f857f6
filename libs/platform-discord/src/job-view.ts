import { isJobEvent, type JobCompletedEvent, type JobFailedEvent, type JobProgressEvent, type PlatformEvent } from '@platform/core';
import { z } from 'zod';

export const JobStatus = z.enum(['queued', 'processing', 'completed', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

const Metric = z.union([z.number(), z.string()]);

/** What a job's Discord message shows: the events applied so far, kept in Redis with the message id. */
export const JobView = z.object({
  domain: z.string(),
  job_id: z.string(),
  status: JobStatus,
  progress: z.number().min(0).max(100),
  message: z.string().optional(),
  metrics: z.record(z.string(), Metric),
  result_id: z.string().optional(),
  result_bytes: z.number().optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ kind: z.enum(['user', 'system']), message: z.string() }).optional(),
  updated_at: z.string(),
  /** The last stream entry applied: a redelivered older entry is not applied again. */
  applied: z.string().optional(),
});
export type JobView = z.infer<typeof JobView>;

export function newJobView(domain: string, jobId: string): JobView {
  return { domain, job_id: jobId, status: 'queued', progress: 0, metrics: {}, updated_at: new Date().toISOString() };
}

/** Stream ids are `ms-seq`; compares them as the numbers they are. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

const MAX_METRICS = 12;

/** Finite numbers and short strings only, no ids, at most 12 of them: a payload is not a dump to print. */
function metricsFrom(values: Record<string, unknown> | undefined): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (Object.keys(out).length >= MAX_METRICS) break;
    if (key.endsWith('_id')) continue; // ids (run_id, file_id) are not metrics
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (typeof value === 'string' && value.length <= 64) out[key] = value;
  }
  return out;
}

const isTerminal = (status: JobStatus) => status === 'completed' || status === 'failed';

/**
 * Applies one event. A finished job stays finished (a late progress event cannot reopen it), and
 * progress never moves backwards.
 */
export function applyEvent(view: JobView, event: PlatformEvent, entryId?: string): JobView {
  if (entryId !== undefined && view.applied !== undefined && compareEntryIds(entryId, view.applied) <= 0) return view;
  const next: JobView = { ...view, metrics: { ...view.metrics }, updated_at: event.ts };
  if (entryId !== undefined) next.applied = entryId;
  if ('metrics' in event) {
    Object.assign(next.metrics, metricsFrom(event.metrics));
    return next;
  }
  if (isJobEvent(event, 'completed')) {
    const done = event as JobCompletedEvent;
    next.status = 'completed';
    next.progress = 100;
    delete next.message;
    if (done.result_id !== undefined) next.result_id = done.result_id;
    if (done.result_bytes !== undefined) next.result_bytes = done.result_bytes;
    if (done.result !== undefined) {
      next.result = done.result;
      Object.assign(next.metrics, metricsFrom(done.result));
    }
    return next;
  }
  if (isJobEvent(event, 'failed')) {
    const failed = event as JobFailedEvent;
    next.status = 'failed';
    next.error = { kind: failed.error_kind, message: failed.message };
    return next;
  }
  if (isTerminal(view.status)) return next;
  if (isJobEvent(event, 'started')) {
    next.status = 'processing';
    return next;
  }
  const progress = event as JobProgressEvent;
  next.status = 'processing';
  next.progress = Math.max(view.progress, progress.progress);
  if (progress.message !== undefined) next.message = progress.message;
  Object.assign(next.metrics, metricsFrom(progress.payload));
  return next;
}
