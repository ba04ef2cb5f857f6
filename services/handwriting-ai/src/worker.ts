import { createLogger, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis, standaloneRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { createDataBank, digitsRegistry, ModelFiles } from './services/model-files.js';
import { DIGITS_QUEUE, trainJob } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'handwriting-worker', level: config.LOG_LEVEL });
const command = standaloneRedis(connectRedis(config.redis, 'command', { logger }), 'handwriting-ai');
const blocking = connectRedis(config.redis, 'blocking', { logger });
const publisher = new EventPublisher(command, { namespace: config.HANDWRITING_EVENTS_NAMESPACE });

const handle = startWorker({
  connection: blocking,
  queue: DIGITS_QUEUE,
  prefix: config.HANDWRITING_QUEUE_PREFIX,
  jobs: [
    trainJob({
      files: new ModelFiles(createDataBank(config.dataBankUrl, config.DATA_BANK_API_KEY), config.HANDWRITING_MODELS_DIR),
      registry: digitsRegistry(command, config.HANDWRITING_REGISTRY_PREFIX),
      publisher,
      logger,
      python: config.PLATFORM_PYTHON,
      timeoutMs: config.HANDWRITING_TRAIN_TIMEOUT_MS,
    }),
  ],
  publisher,
  logger,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
