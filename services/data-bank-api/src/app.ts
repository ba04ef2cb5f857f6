import { createApp, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { filesRoutes } from './routes/files.js';
import { createAuthorizer } from './services/auth.js';
import { FileStore } from './services/file-store.js';
import type { StorageBackend } from './storage/backend.js';

export const SERVICE = 'data-bank-api';
export const VERSION = '0.1.0';

export interface AppDeps {
  config: Pick<Config, 'keys' | 'allowAnonymous' | 'maxFileBytes' | 'minFreeBytes'>;
  logger: Logger;
  backend: StorageBackend;
  /** Checked by /readyz when given. */
  redis?: Pick<Redis, 'ping'>;
}

function readinessChecks(deps: AppDeps): ReadinessCheck[] {
  const { backend, config, redis } = deps;
  const checks: ReadinessCheck[] = [
    { name: 'storage', check: () => backend.checkWritable() },
    {
      name: 'free_space',
      check: async () => {
        const free = await backend.freeBytes();
        if (free < config.minFreeBytes)
          throw new Error(`low disk: ${free} bytes free, ${config.minFreeBytes} required`);
      },
    },
  ];
  if (redis) {
    checks.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
  }
  return checks;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config } = deps;
  const app = await createApp({
    service: SERVICE,
    version: VERSION,
    logger: deps.logger,
    description: 'Content-addressed file store: files are named by the SHA-256 of their bytes.',
    readiness: readinessChecks(deps),
  });
  const store = new FileStore(deps.backend, {
    maxFileBytes: config.maxFileBytes,
    minFreeBytes: config.minFreeBytes,
  });
  const authorize = createAuthorizer(config.keys, config.allowAnonymous);
  await app.register(async (scope) => filesRoutes(scope as PlatformApp, { store, authorize }));
  return app;
}
