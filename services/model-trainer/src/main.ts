import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, standaloneRedis, EventPublisher, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp } from './app.js';
import { readConfig, SHIPPED_MODELS_DIR } from './config.js';
import { ChatStore } from './services/chat-store.js';
import { createStores } from './services/deps.js';
import { ModelServer } from './services/model-server.js';
import { keepRegisteringShippedModels } from './services/shipped-model.js';
import { tokenizerJob } from './workers/tokenizer.js';
import { TRAINER_QUEUE, trainJob } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'model-trainer', level: config.LOG_LEVEL });
const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), 'model-trainer');
const stores = createStores(config, redis);
const queue = createQueue({ connection: redis, queue: TRAINER_QUEUE, prefix: config.TRAINER_QUEUE_PREFIX });
const publisher = new EventPublisher(redis, { namespace: config.TRAINER_EVENTS_NAMESPACE });
// The API only enqueues; the jobs' handlers run in src/worker.ts.
const jobDeps = { ...stores, publisher, logger, maxCorpusBytes: config.TRAINER_MAX_CORPUS_BYTES, stepEventMs: config.TRAINER_STEP_EVENT_INTERVAL_MS };
const models = new ModelServer(stores.registry, stores.cache, { threads: config.TRAINER_INFERENCE_THREADS, maxLoaded: config.TRAINER_MAX_LOADED_MODELS });

const stopRegistering = keepRegisteringShippedModels({ ...stores, logger }, SHIPPED_MODELS_DIR);

const app = await buildApp({
  ...stores,
  logger,
  queue,
  trainJob: trainJob(jobDeps),
  tokenizerJob: tokenizerJob(jobDeps),
  models,
  chats: new ChatStore(redis, config.TRAINER_KEY_PREFIX, config.TRAINER_CHAT_TTL_S),
  apiKeys: config.TRAINER_API_KEYS,
  maxGenerateTokens: config.TRAINER_MAX_GENERATE_TOKENS,
  maxScoreChars: config.TRAINER_MAX_SCORE_CHARS,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
});

installGracefulShutdown({ logger, steps: [() => { stopRegistering(); return app.close(); }, () => models.close(), () => queue.close(), () => closeRedis(redis)] });
await app.listen({ host: config.HOST, port: config.PORT });
