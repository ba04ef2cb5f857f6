import { createLogger, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { createDataBank } from './services/data-bank.js';
import { Detector } from './services/detector.js';
import { Catalog } from './transliteration/catalog.js';
import { CORPUS_QUEUE, corpusJob } from './workers/corpus.js';
import { corpusSettings } from './workers/corpus-settings.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'turkic-worker', level: config.LOG_LEVEL });

const detector = new Detector(config.TURKIC_LID_MODEL_PATH);
await detector.load();
const command = connectRedis(config.redis, 'command', { logger });
const blocking = connectRedis(config.redis, 'blocking', { logger });
const job = corpusJob({
  catalog: Catalog.load(),
  detector,
  dataBank: createDataBank(config.dataBankUrl, config.DATA_BANK_API_KEY),
  logger,
  ...corpusSettings(config),
});

const handle = startWorker({
  connection: blocking,
  queue: CORPUS_QUEUE,
  prefix: config.TURKIC_QUEUE_PREFIX,
  jobs: [job],
  publisher: new EventPublisher(command, { namespace: config.TURKIC_EVENTS_NAMESPACE }),
  logger,
  concurrency: config.TURKIC_WORKER_CONCURRENCY,
});

runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(command), () => closeRedis(blocking)] });
