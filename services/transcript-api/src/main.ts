import { createLogger, installGracefulShutdown, loadConfigOrExit, openScratchArea } from '@platform/core';
import { closeRedis, createQueue, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';
import { storeFrom, toolChecksFrom, youtubeFrom } from './deps.js';
import { TRANSCRIPT_QUEUE } from './jobs/transcribe.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = connectRedis(config.redis, 'command', { logger });
// The API only enqueues (jobs/transcribe.ts): the worker builds the provider and the pipeline.
const queue = createQueue({ connection: redis, queue: TRANSCRIPT_QUEUE, prefix: config.queuePrefix });
// Uploads left behind by an API process that was killed mid-request.
const scratch = await openScratchArea(config.tmpDir, logger);

const app = await buildApp({
  config,
  logger,
  redis,
  queue,
  youtube: youtubeFrom(config),
  store: storeFrom(config),
  scratch,
  tools: toolChecksFrom(config),
});

installGracefulShutdown({ logger, steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)] });
await app.listen({ host: config.host, port: config.port });
