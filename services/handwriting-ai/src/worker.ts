import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { closeRedis, connectRedis, standaloneRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { DIGITS_QUEUE, trainJob } from './jobs/train.js';
import { createDataBank, digitsRegistry, ModelFiles } from './services/model-files.js';
import { trainHandler } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const { name } = packageInfo(import.meta.url);
const logger = createLogger({ service: `${name}-worker`, level: config.logLevel });
const command = standaloneRedis(connectRedis(config.redis, 'command', { logger }), name);
const blocking = connectRedis(config.redis, 'blocking', { logger });
const publisher = new EventPublisher(command, { namespace: config.eventsNamespace });

const train = trainHandler(
  {
    files: new ModelFiles(createDataBank(config.dataBankUrl, config.dataBankApiKey), config.modelsDir),
    registry: digitsRegistry(command, config.registryPrefix),
    publisher,
    logger,
    python: config.python,
  },
  trainJob({ timeoutMs: config.trainTimeoutMs }),
);

const handle = startWorker({
  connection: blocking,
  queue: DIGITS_QUEUE,
  prefix: config.queuePrefix,
  handlers: [train],
  publisher,
  logger,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
