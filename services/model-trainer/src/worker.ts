import { createLogger, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis, standaloneRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { mkdir } from 'node:fs/promises';
import { readConfig } from './config.js';
import { createStores } from './services/deps.js';
import { tokenizerJob } from './workers/tokenizer.js';
import { TRAINER_QUEUE, trainJob } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'model-trainer-worker', level: config.LOG_LEVEL });
const command = standaloneRedis(connectRedis(config.redis, 'command', { logger }), 'model-trainer');
const blocking = connectRedis(config.redis, 'blocking', { logger });
const publisher = new EventPublisher(command, { namespace: config.TRAINER_EVENTS_NAMESPACE });
const stores = createStores(config, command);
await mkdir(stores.scratchDir, { recursive: true });
const deps = {
  ...stores,
  publisher,
  logger,
  maxCorpusBytes: config.TRAINER_MAX_CORPUS_BYTES,
  stepEventMs: config.TRAINER_STEP_EVENT_INTERVAL_MS,
  python: config.PLATFORM_PYTHON,
  timeoutMs: config.TRAINER_TRAIN_TIMEOUT_MS,
};

const handle = startWorker({
  connection: blocking,
  queue: TRAINER_QUEUE,
  prefix: config.TRAINER_QUEUE_PREFIX,
  jobs: [trainJob(deps), tokenizerJob(deps)],
  publisher,
  logger,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
