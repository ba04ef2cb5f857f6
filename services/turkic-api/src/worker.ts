import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { CORPUS_QUEUE, corpusJob } from './jobs/corpus.js';
import { createDataBank } from './services/data-bank.js';
import { Detector } from './services/detector.js';
import { Catalog } from './transliteration/catalog.js';
import { corpusHandler } from './workers/corpus.js';
import { corpusSettings } from './workers/corpus-settings.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: `${packageInfo(import.meta.url).name}-worker`, level: config.logLevel });

const detector = new Detector(config.lidModelPath);
await detector.load();
const command = connectRedis(config.redis, 'command', { logger });
const blocking = connectRedis(config.redis, 'blocking', { logger });
const corpus = corpusHandler(
  {
    catalog: Catalog.load(),
    detector,
    dataBank: createDataBank(config.dataBankUrl, config.dataBankApiKey),
    logger,
    ...corpusSettings(config),
  },
  corpusJob({ timeoutMs: config.corpus.jobTimeoutMs }),
);

const handle = startWorker({
  connection: blocking,
  queue: CORPUS_QUEUE,
  prefix: config.queuePrefix,
  handlers: [corpus],
  publisher: new EventPublisher(command, { namespace: config.eventsNamespace }),
  logger,
  concurrency: config.workerConcurrency,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
