import { createDataBankClient, createLogger, loadConfigOrExit } from '@platform/core';
import { closeRedis, createRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { SERVICE } from './app.js';
import { readConfig } from './config.js';
import { QUEUE } from './models/wrapped.js';
import { ImportStore } from './services/import-store.js';
import { liveSources } from './services/live-sources.js';
import { TokenStore } from './services/token-store.js';
import { createWrappedJob } from './workers/wrapped.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: `${SERVICE}-worker`, level: config.logLevel });
const redis = createRedis(config.redisUrl, 'command');
const dataBank = createDataBankClient({ baseUrl: config.dataBankUrl, apiKey: config.dataBankApiKey });
const tokens = new TokenStore(redis, config.tokenKey);
const job = createWrappedJob({ imports: new ImportStore(redis), dataBank, liveSource: liveSources(config, tokens), tmpDir: config.tmpDir });
const publisher = new EventPublisher(redis);
const handle = startWorker({ connection: createRedis(config.redisUrl, 'blocking'), queue: QUEUE, jobs: [job], publisher, logger });
runWorkerProcess({ logger, workers: [handle], closers: [() => closeRedis(redis)] });
