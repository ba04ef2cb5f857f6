import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';
import { CORPUS_QUEUE, corpusJob } from './jobs/corpus.js';
import { createDataBank } from './services/data-bank.js';
import { Detector } from './services/detector.js';
import { Catalog } from './transliteration/catalog.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });

const catalog = Catalog.load();
const detector = new Detector(config.lidModelPath);
const redis = connectRedis(config.redis, 'command', { logger });
const queue = createQueue({ connection: redis, queue: CORPUS_QUEUE, prefix: config.queuePrefix });

const app = await buildApp({
  logger,
  catalog,
  detector,
  maxTextChars: config.maxTextChars,
  apiKeys: config.apiKeys,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
  corpus: {
    queue,
    // The API only enqueues; the worker runs the job with the same definition.
    job: corpusJob({ timeoutMs: config.corpus.jobTimeoutMs }),
    catalog,
    dataBank: createDataBank(config.dataBankUrl, config.dataBankApiKey),
    fetchAllowList: config.fetchAllowList,
  },
});
await detector.load();
await app.listen({ host: config.host, port: config.port });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)],
});
