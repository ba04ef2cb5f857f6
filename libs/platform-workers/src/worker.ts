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
import { setMaxListeners } from 'node:events';
import { CANCELLED_BY_USER, listenForCancels } from './cancel.js';
import type { EventPublisher } from './events.js';
import { UserError, type JobContext, type JobHandler, type JobOutcome } from './jobs.js';
import { bullPrefix, type RedisConnection } from './redis.js';

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
  connection: RedisConnection;
  queue: string;
  /** What this worker runs (`handleJob`), by job name. */
  handlers: JobHandler[];
  publisher: EventPublisher;
  logger: Logger;
  /** BullMQ key prefix (default `bull`, `{bull}` on a Cluster). */
  prefix?: string;
  concurrency?: number;
  /**
   * Lock time before a silent worker's job counts as stalled (default 90 s). BullMQ renews it every
   * quarter to half of it, so a Redis blip up to about half of it (45 s) costs no job its lock.
   */
  lockDurationMs?: number;
  /** How often the stall check runs (default 30 s). */
  stalledIntervalMs?: number;
  /**
   * How often a job may stall (its worker died) before it fails with a system error. Default 0: a
   * job whose worker died fails at once rather than running again behind the user's back.
   */
  maxStalledCount?: number;
}

// Sets the lock again for the finishing worker when it expired (a Redis blip longer than the lock) but
// no stall check has taken the job away yet: without it, moving the finished job to completed fails
// with "Missing lock" and the job is later failed as stalled with its result orphaned.
const RECLAIM_LOCK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if not redis.call('LPOS', KEYS[2], ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

async function reclaimLock(worker: Worker, jobId: string, token: string | undefined, lockDurationMs: number): Promise<void> {
  if (token === undefined) return;
  const client = await worker.client;
  client.defineCommand('platformReclaimLock', { numberOfKeys: 2, lua: RECLAIM_LOCK });
  const keys = [`${worker.toKey(jobId)}:lock`, worker.keys.active ?? ''];
  await client.runCommand('platformReclaimLock', [...keys, token, lockDurationMs, jobId]);
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

/** Resolves once the connection is not ready (now, or when it next drops). */
function redisLost(connection: RedisConnection): Promise<void> {
  if (connection.status !== 'ready') return Promise.resolve();
  return new Promise((resolve) =>
    connection.once('close', () => {
      resolve();
    }),
  );
}

/** How long a cancelled job's processor may take to stop before the job fails anyway. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Runs `work` with a signal that aborts on the timeout, on shutdown (`outer`) and on a user's cancel
 * (`cancel`, BullMQ's signal for the job). A timeout or shutdown rejects the run at once; a cancel lets the
 * work settle first (up to CANCEL_GRACE_MS), then fails it as cancelled.
 */
async function runWithTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer: AbortSignal,
  cancel: AbortSignal | undefined,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let abortFromOuter: (() => void) | undefined;
  let abortFromCancel: (() => void) | undefined;
  let cancelled: UserError | undefined;
  let cancelGrace: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    abortFromOuter = () => {
      const error = new JobReleasedError('worker is shutting down');
      controller.abort(error);
      reject(error);
    };
    outer.addEventListener('abort', abortFromOuter);
    abortFromCancel = () => {
      cancelled = new UserError(CANCELLED_BY_USER);
      controller.abort(cancelled);
      // The work gets a moment to clean up (scratch files, a child process) before the job ends.
      cancelGrace = setTimeout(reject, CANCEL_GRACE_MS, cancelled);
    };
    cancel?.addEventListener('abort', abortFromCancel);
    timer = setTimeout(() => {
      const error = new JobTimeoutError(`job timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } catch (error) {
    // Whatever the work threw once cancelled (an AbortError, a child's exit), the job was cancelled.
    throw cancelled ?? error;
  } finally {
    clearTimeout(timer);
    clearTimeout(cancelGrace);
    if (abortFromOuter) outer.removeEventListener('abort', abortFromOuter);
    if (abortFromCancel) cancel?.removeEventListener('abort', abortFromCancel);
  }
}

/**
 * A BullMQ worker running the given job definitions, publishing started / progress / completed / failed
 * for every job, including failures BullMQ records on its own (stalled jobs).
 */
export function startWorker(options: StartWorkerOptions): WorkerHandle {
  const { publisher, logger } = options;
  const byName = new Map(options.handlers.map((handler) => [handler.definition.name, handler]));
  const domainOf = (name: string) => byName.get(name)?.definition.domain ?? options.queue;
  const lockDurationMs = options.lockDurationMs ?? 90_000;
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // one listener per running job

  const publish = (event: Parameters<EventPublisher['publish']>[0]) =>
    publisher.publish(event).catch((error: unknown) => {
      logger.error({ type: event.type, err: errorMessage(error) }, 'could not publish event');
    });

  const prefix = bullPrefix(options.connection, options.prefix);

  const processJob = async (job: Job, token?: string, cancel?: AbortSignal): Promise<JobOutcome> => {
    const jobId = job.id ?? '';
    const handler = byName.get(job.name);
    if (!handler) throw new UnrecoverableError(encodeFailure('system', `no processor for job name "${job.name}"`));
    const { definition } = handler;
    const parsed = definition.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(encodeFailure('user', `invalid job data: ${parsed.error.message}`));
    // A cancel requested while the job waited: it never starts.
    if (await cancels.requested(jobId)) throw new UnrecoverableError(encodeFailure('user', CANCELLED_BY_USER));
    const base = { domain: definition.domain, job_id: jobId, user_id: parsed.data.user_id };
    // job_id comes from the context (the logger's mixin), so it is not bound here a second time.
    const jobLogger = logger.child({ job_name: job.name });
    await publish(jobStarted({ ...base, queue: options.queue }));
    const holdLock = () =>
      reclaimLock(worker, jobId, token, lockDurationMs).catch((error: unknown) => {
        jobLogger.warn({ err: errorMessage(error) }, 'could not check the job lock');
      });

    return runWithContext({ job_id: jobId }, async () => {
      try {
        const outcome = await runWithTimeout(
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
            return handler.process(parsed.data, context);
          },
          definition.timeoutMs,
          shutdown.signal,
          cancel,
        );
        await holdLock();
        return outcome;
      } catch (error) {
        await holdLock();
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
    prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 0,
  });

  const cancels = listenForCancels(worker, options.connection, prefix, (error) => {
    logger.warn({ err: errorMessage(error) }, 'could not subscribe to cancel requests');
  });

  worker.on('completed', (job, outcome: JobOutcome) => {
    const completed = jobCompleted({ domain: domainOf(job.name), job_id: job.id ?? '', user_id: userIdOf(job), ...outcome });
    void publish(completed);
  });
  worker.on('failed', (job, error) => {
    // A failure that will be retried is not the end of the job. BullMQ sets finishedOn only when it
    // moved the job to failed for good; deciding from it needs no Redis read that could reject here.
    if (!job?.finishedOn) return;
    const { kind, message } = decodeFailure(error.message);
    void publish(jobFailed({ domain: domainOf(job.name), job_id: job.id ?? '', user_id: userIdOf(job), error_kind: kind, message }));
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
        // BullMQ's close waits for Redis to move the running jobs; with Redis gone nothing can be moved
        // (the jobs' locks expire and another worker's stall check fails them), so stop waiting.
        await Promise.race([closing, redisLost(options.connection)]);
      } finally {
        clearTimeout(timer);
        shutdown.abort();
        await cancels.close();
      }
    },
  };
}
