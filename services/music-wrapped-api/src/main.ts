import { createDataBankClient, createLogger, installGracefulShutdown, loadConfigOrExit, openScratchArea } from '@platform/core';
import { join } from 'node:path';
import { closeRedis, createQueue, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';
import { QUEUE } from './models/wrapped.js';
import { ImportStore } from './services/import-store.js';
import { TokenStore } from './services/token-store.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });

const redis = connectRedis(config.redis, 'command', { logger });
// The API only enqueues (jobs/wrapped.ts): the worker builds the card renderer and the live sources.
const queue = createQueue({ connection: redis, queue: QUEUE, prefix: config.queuePrefix });
const app = await buildApp({
  config,
  logger,
  redis,
  queue,
  imports: new ImportStore(redis, `${config.keyPrefix}:import:`),
  tokens: new TokenStore(redis, config.tokenKey, `${config.keyPrefix}:token:`),
  dataBank: createDataBankClient({ baseUrl: config.dataBankUrl, apiKey: config.dataBankApiKey }),
  scratch: await openScratchArea(join(config.tmpDir, 'api'), logger),
});

await app.listen({ host: config.host, port: config.port });
installGracefulShutdown({ logger, steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)] });
