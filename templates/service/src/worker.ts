import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { QUEUE } from './jobs/word-count.js';
import { wordCountHandler } from './workers/word-count.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({
  service: `${packageInfo(import.meta.url).name}-worker`,
  level: config.logLevel,
});
const commands = connectRedis(config.redis, 'command', { logger });

const handle = startWorker({
  // BullMQ's blocking reads need a connection of their own.
  connection: connectRedis(config.redis, 'blocking', { logger }),
  queue: QUEUE,
  handlers: [wordCountHandler()],
  publisher: new EventPublisher(commands),
  logger,
});
runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(commands)] });
