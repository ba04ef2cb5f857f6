import { createDataBankClient, createLogger, loadConfigOrExit, openScratchArea, packageInfo } from '@platform/core';
import { join } from 'node:path';
import { createCardRenderer } from '@platform/music';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { QUEUE } from './models/wrapped.js';
import { ImportStore } from './services/import-store.js';
import { liveSources } from './services/live-sources.js';
import { TokenStore } from './services/token-store.js';
import { wrappedHandler } from './workers/wrapped.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: `${packageInfo(import.meta.url).name}-worker`, level: config.logLevel });
const redis = connectRedis(config.redis, 'command', { logger });
const dataBank = createDataBankClient({ baseUrl: config.dataBankUrl, apiKey: config.dataBankApiKey });
const tokens = new TokenStore(redis, config.tokenKey, `${config.keyPrefix}:token:`);
const scratch = await openScratchArea(join(config.tmpDir, 'worker'), logger);
const cards = createCardRenderer();
const handler = wrappedHandler({
  imports: new ImportStore(redis, `${config.keyPrefix}:import:`),
  dataBank,
  liveSource: liveSources(config, tokens),
  scratch,
  cards,
  zipLimits: config.zipLimits,
});
const publisher = new EventPublisher(redis, { namespace: config.eventsNamespace });
const handle = startWorker({
  connection: connectRedis(config.redis, 'blocking', { logger }),
  queue: QUEUE,
  prefix: config.queuePrefix,
  handlers: [handler],
  publisher,
  logger,
});
runWorkerProcess({ logger, workers: [handle], closers: [() => cards.close(), () => closeRedis(redis)] });
