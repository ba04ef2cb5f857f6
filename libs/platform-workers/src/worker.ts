import {
  errorMessage,
  jobCompleted,
  jobFailed,
  jobProgress,
  jobStarted,
  runWithContext,
  type ErrorKind,
  type Logger,
} from '@platform/core';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { setMaxListeners } from 'node:events';
import type { EventPublisher } from './events.js';
import { UserError, type JobContext, type JobDefinition, type JobOutcome } from './jobs.js';

/** BullMQ keeps only a message per failure, so the kind travels as its prefix: `[user] no such file`. */
const KIND_PREFIX = /^\[(user|system)\] /;

export function encodeFailure(kind: ErrorKind, message: string): string {
  return `[${kind}] ${message}`;
}

export function decodeFailure(reason: string): { kind: ErrorKind; message: string } {
  const match = KIND_PREFIX.exec(reason);
  // A failure BullMQ recorded itself (a stalled job, a lost lock) is a system error.
  return match ? { kind: match[1] as ErrorKind, message: reason.slice(match[0].length) } : { kind: 'system', message: reason };
}

/** The progress document stored in BullMQ's job state. */
export interface StoredProgress {
  progress: number;
  message?: string;
  payload?: Record<string, unknown>;
  updated_at: string;
}

export interface StartWorkerOptions {
  /** A blocking-role connection (maxRetriesPerRequest null); BullMQ duplicates it for its own needs. */
  connection: Redis;
  queue: string;
  jobs: JobDefinition[];
  publisher: EventPublisher;
  logger: Logger;
  prefix?: string;
  concurrency?: number;
  /** Lock time before a silent worker's job counts as stalled (default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /**
   * How often a job may stall (its worker died) before it fails with a system error. Default 0: a
   * job whose worker died fails at once rather than running again behind the user's back.
   */
  maxStalledCount?: number;
}

class JobTimeoutError extends Error {}
class JobReleasedError extends Error {}

export interface WorkerHandle {
  worker: Worker;
  /**
   * Stops taking jobs and lets running ones finish for up to `graceMs` (default 20 s); jobs still
   * running then are released back to the queue for another worker.
   */
  close(graceMs?: number): Promise<void>;
}

function userIdOf(job: Job): string {
  const userId = (job.data as { user_id?: unknown }).user_id;
  return typeof userId === 'string' ? userId : '0';
}

async function runWithTimeout<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number, outer: AbortSignal): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let abortFromOuter: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    abortFromOuter = () => {
      const error = new JobReleasedError('worker is shutting down');
      controller.abort(error);
      reject(error);
    };
    outer.addEventListener('abort', abortFromOuter);
    timer = setTimeout(() => {
      const error = new JobTimeoutError(`job timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    if (abortFromOuter) outer.removeEventListener('abort', abortFromOuter);
  }
}

/**
 * A BullMQ worker running the given job definitions, publishing started / progress / completed / failed
 * for every job, including failures BullMQ records on its own (stalled jobs).
 */
export function startWorker(options: StartWorkerOptions): WorkerHandle {
  const { publisher, logger } = options;
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  const domainOf = (name: string) => byName.get(name)?.domain ?? options.queue;
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // one listener per running job

  const publish = (event: Parameters<EventPublisher['publish']>[0]) =>
    publisher.publish(event).catch((error: unknown) => {
      logger.error({ type: event.type, err: errorMessage(error) }, 'could not publish event');
    });

  const processJob = async (job: Job, token?: string): Promise<JobOutcome> => {
    const jobId = job.id ?? '';
    const definition = byName.get(job.name);
    if (!definition) throw new UnrecoverableError(encodeFailure('system', `no processor for job name "${job.name}"`));
    const parsed = definition.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(encodeFailure('user', `invalid job data: ${parsed.error.message}`));
    const base = { domain: definition.domain, job_id: jobId, user_id: parsed.data.user_id };
    const jobLogger = logger.child({ job_id: jobId, job_name: job.name });
    await publish(jobStarted({ ...base, queue: options.queue }));

    return runWithContext({ job_id: jobId }, async () => {
      try {
        return await runWithTimeout(
          (signal) => {
            const context: JobContext = {
              jobId,
              attempt: job.attemptsMade + 1,
              logger: jobLogger,
              signal,
              progress: async (pct, message, payload) => {
                const progress = Math.max(0, Math.min(100, pct));
                const stored: StoredProgress = { progress, updated_at: new Date().toISOString() };
                if (message !== undefined) stored.message = message;
                if (payload !== undefined) stored.payload = payload;
                await job.updateProgress(stored);
                await publish(jobProgress({ ...base, progress, ...(message !== undefined && { message }), ...(payload && { payload }) }));
              },
            };
            return definition.process(parsed.data, context);
          },
          definition.timeoutMs,
          shutdown.signal,
        );
      } catch (error) {
        if (error instanceof JobReleasedError) {
          await job.moveToWait(token);
          jobLogger.info('released back to the queue');
          throw new WaitingError();
        }
        if (error instanceof UserError) throw new UnrecoverableError(encodeFailure('user', error.message));
        if (error instanceof JobTimeoutError) throw new UnrecoverableError(encodeFailure('system', error.message));
        jobLogger.error({ err: error }, 'job failed');
        throw new Error(encodeFailure('system', errorMessage(error)));
      }
    });
  };

  const worker = new Worker(options.queue, processJob, {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 0,
  });

  worker.on('completed', (job, outcome: JobOutcome) => {
    const completed = jobCompleted({ domain: domainOf(job.name), job_id: job.id ?? '', user_id: userIdOf(job), ...outcome });
    void publish(completed);
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    void (async () => {
      // A failure that will be retried is not the end of the job.
      if ((await job.getState()) !== 'failed') return;
      const { kind, message } = decodeFailure(error.message);
      await publish(jobFailed({ domain: domainOf(job.name), job_id: job.id ?? '', user_id: userIdOf(job), error_kind: kind, message }));
    })();
  });
  worker.on('error', (error) => {
    logger.warn({ err: errorMessage(error) }, 'worker error');
  });
  return {
    worker,
    close: async (graceMs = 20_000) => {
      const closing = worker.close();
      const timer = setTimeout(() => {
        shutdown.abort();
      }, graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
