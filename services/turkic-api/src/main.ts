import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { createDataBank } from './services/data-bank.js';
import { Detector } from './services/detector.js';
import { Catalog } from './transliteration/catalog.js';
import { CORPUS_QUEUE, corpusJob } from './workers/corpus.js';
import { corpusSettings } from './workers/corpus-settings.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'turkic-api', level: config.LOG_LEVEL });

const catalog = Catalog.load();
const detector = new Detector(config.TURKIC_LID_MODEL_PATH);
const redis = connectRedis(config.redis, 'command', { logger });
const queue = createQueue({ connection: redis, queue: CORPUS_QUEUE, prefix: config.TURKIC_QUEUE_PREFIX });
const dataBank = createDataBank(config.dataBankUrl, config.DATA_BANK_API_KEY);

const app = await buildApp({
  logger,
  catalog,
  detector,
  maxTextChars: config.TURKIC_MAX_TEXT_CHARS,
  apiKeys: config.TURKIC_API_KEYS,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
  corpus: {
    queue,
    catalog,
    dataBank,
    // The API only enqueues; the definition carries the job options (attempts, timeout, retention).
    job: corpusJob({ catalog, detector, dataBank, logger, ...corpusSettings(config) }),
    fetchAllowList: config.FETCH_ALLOW_LIST,
  },
});
await detector.load();
await app.listen({ host: config.HOST, port: config.PORT });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)],
});
