import { createApp, packageInfo, type Logger, type PlatformApp } from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Config } from './config.js';
import { registerWordCountRoutes } from './routes/word-counts.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

/** Everything the app uses, built by main.ts (or a test): the app itself reads no environment. */
export interface AppDeps {
  config: Pick<Config, 'apiKeys' | 'maxTextChars'>;
  logger: Logger;
  redis: RedisConnection;
  /** The example queue: the API enqueues and reads job status; the worker runs the jobs. */
  queue: Queue;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config } = deps;
  const app = await createApp({
    service: SERVICE,
    version,
    description: 'Reference service: word counts as jobs',
    logger: deps.logger,
    readiness: [redisReadiness(deps.redis), workerReadiness(deps.queue)],
    // An empty EXAMPLE_API_KEYS leaves the API open for local development (README).
    auth: { permissions: { api: config.apiKeys }, openWhenNoKeys: true },
  });
  registerWordCountRoutes(app, { queue: deps.queue, maxTextChars: config.maxTextChars });
  return app;
}
