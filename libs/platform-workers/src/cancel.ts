import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeRedis, type RedisConnection } from './redis.js';

/**
 * Cancelling a job from any process, on BullMQ's own cancellation (`worker.cancelJob` aborts the
 * processor's signal). `worker.cancelJob` only reaches the process running the job, so a request is
 * published on the queue's cancel channel, which every worker of the queue listens to; and marked in
 * Redis, so a job that is still waiting is failed as cancelled when a worker takes it.
 */
export const CANCELLED_BY_USER = 'cancelled by the user';

/** How long a cancel mark outlives the request (a job waiting longer than this runs after all). */
const MARK_TTL_S = 7 * 24 * 3600;

// Both under the queue's BullMQ prefix, so on a Cluster they share its hash tag.
const channelOf = (prefix: string, queue: string) => `${prefix}:${queue}:cancel`;
const markOf = (prefix: string, queue: string, jobId: string) => `${prefix}:${queue}:cancel:${jobId}`;

// BullMQ types its client as its own minimal interface; it is the ioredis connection it was given.
const ioredisOf = async (owner: Queue | Worker) => (await owner.client) as unknown as RedisConnection;

/** Asks whichever worker runs (or will take) the job to cancel it. */
export async function requestCancel(queue: Queue, jobId: string): Promise<void> {
  const client = await ioredisOf(queue);
  const prefix = queue.opts.prefix ?? 'bull';
  await client.set(markOf(prefix, queue.name, jobId), '1', 'EX', MARK_TTL_S);
  await client.publish(channelOf(prefix, queue.name), jobId);
}

export interface CancelListener {
  /** Whether a cancel was requested for the job (checked when a worker takes it). */
  requested(jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Subscribes `worker` to its queue's cancel channel on a connection of its own (a subscribed
 * connection can issue no other command; ioredis subscribes again after a reconnect) and aborts the
 * signal of a job it is running.
 */
export function listenForCancels(
  worker: Worker,
  connection: RedisConnection,
  prefix: string,
  onError: (error: unknown) => void,
): CancelListener {
  const subscriber = connection.duplicate() as Redis;
  subscriber.on('error', () => undefined); // reconnects are ioredis' job
  const channel = channelOf(prefix, worker.name);
  subscriber.on('message', (from: string, jobId: string) => {
    if (from === channel) worker.cancelJob(jobId, CANCELLED_BY_USER);
  });
  subscriber.subscribe(channel).catch(onError);
  return {
    requested: async (jobId) => (await (await ioredisOf(worker)).exists(markOf(prefix, worker.name, jobId))) === 1,
    // closeRedis drops a connection that is not ready at once: a QUIT would wait for Redis to come back.
    close: () => closeRedis(subscriber),
  };
}
