import type { ErrorKind } from '@platform/core';
import type { Job, Queue } from 'bullmq';
import { withRedisDeadline } from './availability.js';
import type { JobOutcome } from './jobs.js';
import { decodeFailure, type StoredProgress } from './worker.js';

export type JobState = 'queued' | 'processing' | 'completed' | 'failed';

/** The job status document of DESIGN.md section 5, read from BullMQ's own job state. */
export interface JobStatus {
  job_id: string;
  user_id: string;
  status: JobState;
  progress: number;
  message: string | null;
  /** The processor's small JSON result, and the data-bank file it stored, when there is one. */
  result: Record<string, unknown> | null;
  result_id: string | null;
  result_bytes: number | null;
  error: { kind: ErrorKind; message: string } | null;
  created_at: string;
  updated_at: string;
}

function mapState(state: string): JobState {
  if (state === 'active') return 'processing';
  if (state === 'completed' || state === 'failed') return state;
  return 'queued'; // waiting, delayed, prioritized, waiting-children
}

function storedProgress(job: Job): StoredProgress | undefined {
  const value = job.progress as unknown;
  if (typeof value === 'number') return { progress: value, updated_at: new Date(job.timestamp).toISOString() };
  if (typeof value === 'object' && value !== null && 'progress' in value) return value as StoredProgress;
  return undefined;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A queued job that already failed a try is waiting for its retry; its last progress is stale. */
function retryingMessage(job: Job): string | undefined {
  if (job.attemptsMade === 0 || !job.failedReason) return undefined;
  const attempts = job.opts.attempts ?? 1;
  return `retrying (attempt ${String(job.attemptsMade + 1)} of ${String(attempts)}): ${decodeFailure(job.failedReason).message}`;
}

/** Reads the job from BullMQ; 503 SERVICE_UNAVAILABLE within a few seconds when Redis is unreachable. */
export async function jobStatus(queue: Queue, jobId: string): Promise<JobStatus | undefined> {
  // State first, then the job's data: read the other way round, a job finishing in between would
  // show as completed with the result of the snapshot taken before it finished (none).
  const [state, job] = await withRedisDeadline(async () => [await queue.getJobState(jobId), await queue.getJob(jobId)] as const);
  if (!job || state === 'unknown') return undefined;
  const status = mapState(state);
  const retrying = status === 'queued' ? retryingMessage(job) : undefined;
  const stored = storedProgress(job);
  const progress = retrying === undefined ? stored : { ...stored, progress: 0, message: retrying };
  const userId = (job.data as { user_id?: unknown }).user_id;
  const outcome = status === 'completed' ? ((job.returnvalue as JobOutcome | null) ?? {}) : {};
  const times = [iso(job.timestamp), iso(job.processedOn), progress?.updated_at, iso(job.finishedOn)].filter(
    (time): time is string => time !== undefined,
  );
  return {
    job_id: jobId,
    user_id: typeof userId === 'string' ? userId : '',
    status,
    progress: status === 'completed' ? 100 : (progress?.progress ?? 0),
    message: progress?.message ?? null,
    result: outcome.result ?? null,
    result_id: outcome.result_id ?? null,
    result_bytes: outcome.result_bytes ?? null,
    error: status === 'failed' ? decodeFailure(job.failedReason) : null,
    created_at: iso(job.timestamp) ?? new Date().toISOString(),
    updated_at: times.sort().at(-1) ?? new Date().toISOString(),
  };
}
