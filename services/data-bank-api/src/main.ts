import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis, createQueue } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig, sizeIoThreadPool } from './config.js';
import { openBackend } from './storage/open.js';
import { QUEUE } from './jobs/queue.js';

const config = loadConfigOrExit(() => readConfig());
sizeIoThreadPool(config.ioThreads);
const logger = createLogger({ service: SERVICE, level: config.logLevel });

const backend = await openBackend(config);
// One process owns a filesystem root: whatever an earlier process left half-written is garbage now. A
// bucket is shared by every replica, so there the gc job sweeps abandoned writes by age instead.
const swept = config.s3 ? 0 : await backend.sweepTemps(0);
logger.info({ location: backend.location, swept }, 'storage ready');
if (config.allowAnonymous) {
  for (const [permission, keys] of Object.entries(config.keys)) {
    if (keys.length === 0) logger.warn({ permission }, 'DATA_BANK_ALLOW_ANONYMOUS: this permission needs no API key');
  }
}

const redis = connectRedis(config.redis, 'command', { logger });
const queue = createQueue({ connection: redis, queue: QUEUE });

const app = await buildApp({ config, logger, backend, jobs: { redis, queue } });
await app.listen({ host: config.host, port: config.port });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)],
});
