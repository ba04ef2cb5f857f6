import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, standaloneRedis, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig, SHIPPED_MODELS_DIR } from './config.js';
import { TRAINER_QUEUE } from './jobs/queue.js';
import { trainJob } from './jobs/train.js';
import { ChatStore } from './services/chat-store.js';
import { createStores } from './services/deps.js';
import { ModelServer } from './services/model-server.js';
import { keepRegisteringShippedModels } from './services/shipped-model.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), SERVICE);
const stores = createStores(config, redis);
const queue = createQueue({ connection: redis, queue: TRAINER_QUEUE, prefix: config.queuePrefix });
const models = new ModelServer(stores.registry, stores.cache, { threads: config.inferenceThreads, maxLoaded: config.maxLoadedModels });

const stopRegistering = keepRegisteringShippedModels({ ...stores, logger }, SHIPPED_MODELS_DIR);

const app = await buildApp({
  ...stores,
  logger,
  queue,
  // The API only enqueues; the jobs' handlers run in src/worker.ts.
  trainJob: trainJob({ timeoutMs: config.trainTimeoutMs }),
  models,
  chats: new ChatStore(redis, config.keyPrefix, config.chatTtlS),
  apiKeys: config.apiKeys,
  maxGenerateTokens: config.maxGenerateTokens,
  maxScoreChars: config.maxScoreChars,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
});

installGracefulShutdown({
  logger,
  steps: [
    () => {
      stopRegistering();
      return app.close();
    },
    () => models.close(),
    () => queue.close(),
    () => closeRedis(redis),
  ],
});
await app.listen({ host: config.host, port: config.port });
