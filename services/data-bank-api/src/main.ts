import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, createRedis } from '@platform/workers';
import { resolve } from 'node:path';
import { buildApp, SERVICE } from './app.js';
import { readConfig, sizeIoThreadPool } from './config.js';
import { FsBackend } from './storage/fs-backend.js';
import { QUEUE } from './workers/queue.js';

const config = loadConfigOrExit(() => readConfig());
sizeIoThreadPool(config.ioThreads);
const logger = createLogger({ service: SERVICE, level: config.logLevel });

const root = resolve(config.root);
const backend = await FsBackend.open(root);
// One process owns the root: whatever an earlier process left half-written is garbage now.
const swept = await backend.sweepTemps(0);
logger.info({ root, swept }, 'storage ready');
if (config.allowAnonymous) {
  for (const [permission, keys] of Object.entries(config.keys) as [string, string[]][]) {
    if (keys.length === 0)
      logger.warn({ permission }, 'DATA_BANK_ALLOW_ANONYMOUS: this permission needs no API key');
  }
}

const redis = createRedis(config.redisUrl, 'command');
const queue = createQueue({ connection: redis, queue: QUEUE });

const app = await buildApp({ config, logger, backend, jobs: { redis, queue } });
await app.listen({ host: config.host, port: config.port });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)],
});
