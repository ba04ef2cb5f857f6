import { createLogger, type PlatformApp } from '@platform/core';
import { isolatedRedisPrefix } from '@platform/testing';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import type { Queue } from 'bullmq';
import { buildApp } from '../src/app.js';
import { readConfig, type Config } from '../src/config.js';
import { QUEUE } from '../src/jobs/word-count.js';
import { wordCountHandler } from '../src/workers/word-count.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const API_KEY = 'example-test-key';

export interface Harness {
  app: PlatformApp;
  config: Config;
  queue: Queue;
  /** `${prefix}:`: the namespace of this harness's events. */
  namespace: string;
  close(): Promise<void>;
}

/** The real app and a real worker in this process, on real Redis, under a BullMQ prefix of their own. */
export async function startService(env: Record<string, string> = {}): Promise<Harness> {
  const config = readConfig({ REDIS_URL, EXAMPLE_API_KEYS: API_KEY, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger({ service: 'example-test', level: 'silent' });
  const keys = isolatedRedisPrefix('example');
  const { prefix } = keys;
  const namespace = `${prefix}:`;
  const redis = createRedis(REDIS_URL, 'command');
  const blocking = createRedis(REDIS_URL, 'blocking');
  const queue = createQueue({ connection: redis, queue: QUEUE, prefix });
  const worker: WorkerHandle = startWorker({
    connection: blocking,
    queue: QUEUE,
    prefix,
    handlers: [wordCountHandler()],
    publisher: new EventPublisher(redis, { namespace }),
    logger,
  });
  const app = await buildApp({ config, logger, redis, queue });
  return {
    app,
    config,
    queue,
    namespace,
    async close() {
      await app.close();
      await worker.close(1000);
      await queue.close();
      await keys.cleanup(redis);
      await closeRedis(blocking);
      await closeRedis(redis);
    },
  };
}

export const headers = (user = '42') => ({ 'x-api-key': API_KEY, 'x-user-id': user });
