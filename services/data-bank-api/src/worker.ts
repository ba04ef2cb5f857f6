import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { closeRedis, connectRedis, createQueue, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readWorkerConfig, sizeIoThreadPool } from './config.js';
import { openBackend } from './storage/open.js';
import { QUEUE } from './jobs/queue.js';
import { gcHandler } from './workers/gc.js';
import { scheduleMaintenance } from './workers/schedule.js';
import { verifyHandler } from './workers/verify.js';

const config = loadConfigOrExit(() => readWorkerConfig());
sizeIoThreadPool(config.ioThreads);
const logger = createLogger({ service: `${packageInfo(import.meta.url).name}-worker`, level: config.logLevel });

const backend = await openBackend(config);
const commands = connectRedis(config.redis, 'command', { logger });
// Events wait for Redis like the job moves do, so a Sentinel failover costs no terminal event.
const events = connectRedis(config.redis, 'blocking', { logger });
const queue = createQueue({ connection: commands, queue: QUEUE });
await scheduleMaintenance(queue, config);

const handle = startWorker({
  connection: connectRedis(config.redis, 'blocking', { logger }),
  queue: QUEUE,
  handlers: [verifyHandler(backend), gcHandler(backend, config.ttlSeconds)],
  publisher: new EventPublisher(events),
  logger,
});
runWorkerProcess({
  logger,
  workers: [handle],
  closers: [() => queue.close(), () => closeRedis(commands), () => closeRedis(events)],
});
