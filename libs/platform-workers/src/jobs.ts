import { UserId, type Logger } from '@platform/core';
import { Queue, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import { withRedisDeadline } from './availability.js';
import { idempotentJobId } from './idempotency.js';
import { bullPrefix, type RedisConnection } from './redis.js';

/** A failure caused by the job's input (bad data, not found): reported as `user` and never retried. */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** What a processor returns; `result` is small JSON, larger results live in data-bank (`result_id`). */
export interface JobOutcome {
  result?: Record<string, unknown>;
  result_id?: string;
  result_bytes?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  logger: Logger;
  /** Aborted when the job times out or the worker shuts down. */
  signal: AbortSignal;
  /** Records progress (0..100) in BullMQ's job state and publishes a progress event. */
  progress(pct: number, message?: string, payload?: Record<string, unknown>): Promise<void>;
}

/** Every job's data names the user it is for. */
export const JobBase = z.object({ user_id: UserId });

/**
 * What a job is, apart from how it runs: what an API process needs to enqueue it (and a worker to
 * validate its data). Like BullMQ's own split of `Queue.add` and `Worker`, the processor is separate
 * (`handleJob`), so API processes never build what only workers run (STT providers, pipelines, storage).
 */
export interface JobSpec<S extends z.ZodType<{ user_id: string }>> {
  /** Event domain, e.g. `data_bank` (DESIGN.md section 5). */
  domain: string;
  queue: string;
  name: string;
  schema: S;
  /** Tries in all (default 3); user errors and timeouts are never retried. */
  attempts?: number;
  /** First retry delay, doubled each time (default 5 s). */
  backoffMs?: number;
  /** Wall-clock limit of one try (default 10 min). */
  timeoutMs?: number;
  /** How long finished jobs stay readable (default 7 days for completed, 30 days for failed). */
  keepCompletedSeconds?: number;
  keepFailedSeconds?: number;
}

export interface JobDefinition<S extends z.ZodType<{ user_id: string }> = z.ZodType<{ user_id: string }>> extends Required<
  Omit<JobSpec<S>, 'schema'>
> {
  schema: S;
  /** BullMQ options every job of this definition is added with (attempts, backoff, retention). */
  jobOptions: JobsOptions;
  /**
   * Validates the data and adds a job; returns the job id. With an idempotency key (the request's
   * `Idempotency-Key`), the same key from the same user returns the job it queued first. When Redis is
   * unreachable or slow it fails within a few seconds with 503 SERVICE_UNAVAILABLE.
   */
  enqueue(queue: Queue, data: z.input<S>, options?: EnqueueOptions): Promise<string>;
}

export type JobProcessor<S extends z.ZodType<{ user_id: string }>> = (data: z.output<S>, context: JobContext) => Promise<JobOutcome>;

/** A definition with its processor: what `startWorker` runs. */
export interface JobHandler<S extends z.ZodType<{ user_id: string }> = z.ZodType<{ user_id: string }>> {
  definition: JobDefinition<S>;
  // Method syntax on purpose: a worker takes a list of handlers with different data types.
  process(data: z.output<S>, context: JobContext): Promise<JobOutcome>;
}

export interface EnqueueOptions {
  jobId?: string;
  idempotencyKey?: string | undefined;
}

const DAY = 24 * 60 * 60;

export function defineJob<S extends z.ZodType<{ user_id: string }>>(spec: JobSpec<S>): JobDefinition<S> {
  const definition = {
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 10 * 60_000,
    keepCompletedSeconds: 7 * DAY,
    keepFailedSeconds: 30 * DAY,
    ...spec,
  };
  const jobOptions: JobsOptions = {
    attempts: definition.attempts,
    backoff: { type: 'exponential', delay: definition.backoffMs },
    removeOnComplete: { age: definition.keepCompletedSeconds, count: 10_000 },
    removeOnFail: { age: definition.keepFailedSeconds, count: 10_000 },
  };
  return {
    ...definition,
    jobOptions,
    async enqueue(queue, data, { idempotencyKey, jobId } = {}) {
      if (queue.name !== definition.queue) {
        throw new Error(`job ${definition.name} belongs to queue ${definition.queue}, not ${queue.name}`);
      }
      const parsed = definition.schema.parse(data);
      const { domain, name } = definition;
      const id =
        idempotencyKey === undefined
          ? jobId
          : idempotentJobId({ domain, queue: queue.name, name, userId: parsed.user_id, key: idempotencyKey });
      const job = await withRedisDeadline(() => queue.add(name, parsed, { ...jobOptions, ...(id !== undefined && { jobId: id }) }));
      if (job.id === undefined) throw new Error('BullMQ returned a job without an id');
      return job.id;
    },
  };
}

/** Pairs a definition with the function that runs it (in the worker process only). */
export function handleJob<S extends z.ZodType<{ user_id: string }>>(definition: JobDefinition<S>, process: JobProcessor<S>): JobHandler<S> {
  return { definition, process };
}

/**
 * Creates or updates a repeating job (BullMQ's job scheduler, shared by every worker process) with the
 * definition's data validation, attempts, backoff and retention; `everyMs` 0 removes it.
 */
export async function scheduleJob<S extends z.ZodType<{ user_id: string }>>(
  queue: Queue,
  definition: JobDefinition<S>,
  schedule: { everyMs: number; data: z.input<S> },
): Promise<void> {
  if (queue.name !== definition.queue) throw new Error(`job ${definition.name} belongs to queue ${definition.queue}, not ${queue.name}`);
  const schedulerId = `${definition.domain}:${definition.name}`;
  if (schedule.everyMs <= 0) {
    await queue.removeJobScheduler(schedulerId);
    return;
  }
  const data = definition.schema.parse(schedule.data);
  await queue.upsertJobScheduler(schedulerId, { every: schedule.everyMs }, { name: definition.name, data, opts: definition.jobOptions });
}

export interface QueueOptions {
  connection: RedisConnection;
  queue: string;
  /** BullMQ key prefix (default `bull`, `{bull}` on a Cluster); tests use their own. */
  prefix?: string;
}

export function createQueue(options: QueueOptions): Queue {
  return new Queue(options.queue, { connection: options.connection, prefix: bullPrefix(options.connection, options.prefix) });
}
