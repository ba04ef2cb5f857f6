// Jobs through a topology the way services run them: API-side enqueues that retry a 503 with the same
// job id (as a client with an Idempotency-Key would), workers with their own connections, events read
// back from the durable stream.
import { decodeEvent, type PlatformEvent } from '@platform/core';
import { z } from 'zod';
import {
  closeRedis,
  connectRedis,
  createQueue,
  defineJob,
  handleJob,
  EventPublisher,
  eventNames,
  JobBase,
  startWorker,
  type RedisConnection,
  type RedisTarget,
  type WorkerHandle,
} from '../src/index.js';
import { uniqueName } from '@platform/testing';
import { silentLogger } from './helpers.js';

export const DOMAIN = 'flow_test';

export interface Flow {
  namespace: string;
  prefix: string;
  commands: RedisConnection;
  queue: ReturnType<typeof createQueue>;
  workers: WorkerHandle[];
  /** How often each job's processor finished its work. */
  runs: Map<string, number>;
  job: ReturnType<typeof flowJob>;
  enqueue(id: string): Promise<void>;
  close(): Promise<void>;
}

function flowJob(runs: Map<string, number>, workMs: number) {
  return handleJob(
    defineJob({
      domain: DOMAIN,
      queue: 'flow',
      name: 'work',
      schema: JobBase.extend({ n: z.number().int() }),
      attempts: 1,
    }),
    async (data, context) => {
      await new Promise((resolve) => setTimeout(resolve, workMs));
      runs.set(context.jobId, (runs.get(context.jobId) ?? 0) + 1);
      return { result: { n: data.n } };
    },
  );
}

export async function startFlow(
  target: string | RedisTarget,
  options: { workers: number; concurrency: number; workMs: number },
): Promise<Flow> {
  const namespace = `${uniqueName('flow')}:`;
  const prefix = uniqueName('bull');
  const runs = new Map<string, number>();
  const job = flowJob(runs, options.workMs);
  const commands = connectRedis(target, 'command');
  const queue = createQueue({ connection: commands, queue: job.definition.queue, prefix });
  const closers: (() => Promise<void>)[] = [];
  const workers = Array.from({ length: options.workers }, () => {
    const blocking = connectRedis(target, 'blocking');
    // A worker's events wait for Redis like its job moves do, so a failover costs no terminal event.
    const publishing = connectRedis(target, 'blocking');
    closers.push(
      () => closeRedis(blocking),
      () => closeRedis(publishing),
    );
    return startWorker({
      connection: blocking,
      queue: job.definition.queue,
      prefix,
      handlers: [job],
      publisher: new EventPublisher(publishing, { namespace }),
      logger: silentLogger,
      concurrency: options.concurrency,
    });
  });
  await Promise.all(workers.map((handle) => handle.worker.waitUntilReady()));
  return {
    namespace,
    prefix,
    commands,
    queue,
    workers,
    runs,
    job,
    enqueue: async (id) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await job.definition.enqueue(queue, { user_id: '7', n: attempt }, { jobId: id });
          return;
        } catch (error) {
          if (attempt > 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    },
    close: async () => {
      await Promise.all(workers.map((handle) => handle.close(1_000)));
      // Best effort, like the stream below: a test that took Redis away leaves nothing to delete.
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await Promise.all(closers.map((close) => close()));
      await commands.del(eventNames(DOMAIN, namespace).stream).catch(() => undefined); // best effort, as above
      await closeRedis(commands);
    },
  };
}

/** Every event in the domain's stream, oldest first. */
export async function streamEvents(redis: RedisConnection, namespace: string): Promise<PlatformEvent[]> {
  const entries = (await redis.xrange(eventNames(DOMAIN, namespace).stream, '-', '+')) as [string, string[]][];
  return entries.map(([, fields]) => decodeEvent(fields[fields.indexOf('event') + 1] ?? ''));
}

/** Terminal events per job id: `completed` and `failed` counts. */
export function terminalCounts(events: PlatformEvent[]): Map<string, { completed: number; failed: number }> {
  const counts = new Map<string, { completed: number; failed: number }>();
  for (const event of events) {
    const kind = /\.job\.(completed|failed)\.v1$/.exec(event.type)?.[1] as 'completed' | 'failed' | undefined;
    if (!kind || !('job_id' in event)) continue;
    const entry = counts.get(event.job_id) ?? { completed: 0, failed: 0 };
    entry[kind]++;
    counts.set(event.job_id, entry);
  }
  return counts;
}
