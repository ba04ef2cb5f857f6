import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, standaloneRedis, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig, SHIPPED_MODELS_DIR } from './config.js';
import { DIGITS_QUEUE, trainJob } from './jobs/train.js';
import { DigitServer } from './services/digit-server.js';
import { activateShippedModel } from './services/initial-model.js';
import { createDataBank, digitsRegistry, ModelFiles } from './services/model-files.js';
import { followActiveModel } from './services/model-sync.js';
import { createPreprocessPool } from './services/preprocess-pool.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), SERVICE);
const registry = digitsRegistry(redis, config.registryPrefix);
const files = new ModelFiles(createDataBank(config.dataBankUrl, config.dataBankApiKey), config.modelsDir);
const server = new DigitServer(files, config.inferenceThreads);
const queue = createQueue({ connection: redis, queue: DIGITS_QUEUE, prefix: config.queuePrefix });
const pool = createPreprocessPool({ threads: config.preprocessThreads });

await activateShippedModel(registry, files, SHIPPED_MODELS_DIR, logger);
const follower = followActiveModel(server, registry, logger, config.modelPollMs);
await follower.sync().catch((error: unknown) => {
  logger.error({ err: error }, 'could not read the active model; /readyz answers 503 until one loads');
});

const app = await buildApp({
  logger,
  pool,
  server,
  registry,
  files,
  maxArtifactBytes: config.maxArtifactBytes,
  apiKeys: config.apiKeys,
  readKeys: config.readKeys,
  limits: config.imageLimits,
  maxUploadBytes: config.maxUploadBytes,
  uncertainBelow: config.uncertainBelow,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
  // The API only enqueues; the job's handler runs in src/worker.ts.
  training: { queue, job: trainJob({ timeoutMs: config.trainTimeoutMs }) },
});

installGracefulShutdown({
  logger,
  steps: [
    () => app.close(),
    async () => {
      follower.stop();
      await pool.close();
    },
    () => server.close(),
    () => queue.close(),
    () => closeRedis(redis),
  ],
});
await app.listen({ host: config.host, port: config.port });
