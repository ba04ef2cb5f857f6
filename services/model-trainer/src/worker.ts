import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { closeRedis, connectRedis, standaloneRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { mkdir } from 'node:fs/promises';
import { readConfig } from './config.js';
import { TRAINER_QUEUE } from './jobs/queue.js';
import { trainJob } from './jobs/train.js';
import { createStores } from './services/deps.js';
import { tokenizerHandler } from './workers/tokenizer.js';
import { trainHandler } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const { name } = packageInfo(import.meta.url);
const logger = createLogger({ service: `${name}-worker`, level: config.logLevel });
const command = standaloneRedis(connectRedis(config.redis, 'command', { logger }), name);
const blocking = connectRedis(config.redis, 'blocking', { logger });
const publisher = new EventPublisher(command, { namespace: config.eventsNamespace });
const stores = createStores(config, command);
await mkdir(stores.scratchDir, { recursive: true });
const deps = {
  ...stores,
  publisher,
  logger,
  maxCorpusBytes: config.maxCorpusBytes,
  stepEventMs: config.stepEventMs,
  python: config.python,
};

const handle = startWorker({
  connection: blocking,
  queue: TRAINER_QUEUE,
  prefix: config.queuePrefix,
  handlers: [trainHandler(deps, trainJob({ timeoutMs: config.trainTimeoutMs })), tokenizerHandler(deps)],
  publisher,
  logger,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
