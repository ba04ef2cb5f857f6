import { createLogger, createScratchArea, type PlatformApp } from '@platform/core';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import { isolatedRedisPrefix } from '@platform/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import { readConfig, type Config } from '../../src/config.js';
import { pipelineFrom, storeFrom, youtubeFrom } from '../../src/deps.js';
import { TRANSCRIPT_QUEUE } from '../../src/jobs/transcribe.js';
import { transcriptionHandler } from '../../src/workers/transcribe.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface Harness {
  config: Config;
  app: PlatformApp;
  queue: Queue;
  redis: Redis;
  prefix: string;
  namespace: string;
  startWorker(): WorkerHandle;
  close(): Promise<void>;
}

/** The real app (and on demand the real worker) on real Redis, under a unique BullMQ prefix and event namespace. */
export async function harness(env: Record<string, string>): Promise<Harness> {
  const config = readConfig({ REDIS_URL, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger({ service: 'transcript-test', level: 'silent' });
  const keys = isolatedRedisPrefix('transcript');
  const { prefix } = keys;
  const namespace = prefix;
  const redis = createRedis(REDIS_URL, 'command');
  const queue = createQueue({ connection: redis, queue: TRANSCRIPT_QUEUE, prefix });
  const store = storeFrom(config);
  const scratch = createScratchArea(config.tmpDir);
  const handler = transcriptionHandler({
    store,
    pipeline: pipelineFrom(config),
    ytdlp: config.tools.ytdlp,
    scratch,
    timeoutMs: config.jobTimeoutMs,
  });
  const app = await buildApp({
    config,
    logger,
    redis,
    queue,
    youtube: youtubeFrom(config),
    store,
    scratch,
  });
  const workers: { handle: WorkerHandle; connections: Redis[] }[] = [];
  return {
    config,
    app,
    queue,
    redis,
    prefix,
    namespace,
    startWorker() {
      const blocking = createRedis(REDIS_URL, 'blocking');
      const publishing = createRedis(REDIS_URL, 'command');
      const handle = startWorker({
        connection: blocking,
        queue: TRANSCRIPT_QUEUE,
        prefix,
        handlers: [handler],
        publisher: new EventPublisher(publishing, { namespace }),
        logger,
      });
      workers.push({ handle, connections: [blocking, publishing] });
      return handle;
    },
    async close() {
      for (const { handle, connections } of workers) {
        await handle.close(1000);
        await Promise.all(connections.map((connection) => closeRedis(connection)));
      }
      await app.close();
      // Best effort: every key under the prefix is deleted below anyway.
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await keys.cleanup(redis);
      await closeRedis(redis);
    },
  };
}
