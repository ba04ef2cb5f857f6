import { createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Config } from './config.js';
import { filesRoutes } from './routes/files.js';
import { jobRoutes } from './routes/jobs.js';
import { FileStore } from './services/file-store.js';
import type { StorageBackend } from './storage/backend.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  config: Pick<Config, 'keys' | 'allowAnonymous' | 'maxFileBytes' | 'minFreeBytes' | 'requestTimeoutMs'>;
  logger: Logger;
  backend: StorageBackend;
  /** The data_bank queue and its Redis connection: readiness (PING, a live worker), job routes. */
  jobs?: { redis: RedisConnection; queue: Queue };
}

function readinessChecks(deps: AppDeps): ReadinessCheck[] {
  const { backend, config } = deps;
  const checks: ReadinessCheck[] = [
    { name: 'storage', check: () => backend.checkWritable() },
    {
      name: 'free_space',
      check: async () => {
        const free = await backend.freeBytes();
        if (free < config.minFreeBytes) throw new Error(`low disk: ${free} bytes free, ${config.minFreeBytes} required`);
      },
    },
  ];
  if (deps.jobs) checks.push(redisReadiness(deps.jobs.redis), workerReadiness(deps.jobs.queue));
  return checks;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config } = deps;
  const app = await createApp({
    service: SERVICE,
    version,
    logger: deps.logger,
    description: 'Content-addressed file store: files are named by the SHA-256 of their bytes.',
    readiness: readinessChecks(deps),
    // DATA_BANK_ALLOW_ANONYMOUS opens a permission that has no keys (README).
    auth: { permissions: { ...config.keys }, openWhenNoKeys: config.allowAnonymous },
    requestTimeoutMs: config.requestTimeoutMs,
  });
  const store = new FileStore(deps.backend, {
    maxFileBytes: config.maxFileBytes,
    minFreeBytes: config.minFreeBytes,
  });
  const uploads = { maxFileBytes: config.maxFileBytes, timeoutMs: config.requestTimeoutMs };
  await app.register(async (scope) => filesRoutes(scope, { store, uploads }));
  if (deps.jobs) {
    const { queue } = deps.jobs;
    await app.register((scope, _options, done) => {
      jobRoutes(scope, queue);
      done();
    });
  }
  return app;
}
