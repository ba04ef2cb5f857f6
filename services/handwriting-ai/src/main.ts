import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createQueue, connectRedis, standaloneRedis, EventPublisher, redisReadiness, workerReadiness } from '@platform/workers';
import { buildApp } from './app.js';
import { readConfig, SHIPPED_MODELS_DIR } from './config.js';
import { DigitServer } from './services/digit-server.js';
import { activateShippedModel } from './services/initial-model.js';
import { createDataBank, digitsRegistry, ModelFiles } from './services/model-files.js';
import { followActiveModel } from './services/model-sync.js';
import { createPreprocessPool } from './services/preprocess-pool.js';
import { DIGITS_QUEUE, trainJob } from './workers/train.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'handwriting-ai', level: config.LOG_LEVEL });
const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), 'handwriting-ai');
const registry = digitsRegistry(redis, config.HANDWRITING_REGISTRY_PREFIX);
const files = new ModelFiles(createDataBank(config.dataBankUrl, config.DATA_BANK_API_KEY), config.HANDWRITING_MODELS_DIR);
const server = new DigitServer(files, config.HANDWRITING_INFERENCE_THREADS);
const queue = createQueue({ connection: redis, queue: DIGITS_QUEUE, prefix: config.HANDWRITING_QUEUE_PREFIX });
// The API only enqueues; the job's handler runs in src/worker.ts.
const job = trainJob({ files, registry, publisher: new EventPublisher(redis, { namespace: config.HANDWRITING_EVENTS_NAMESPACE }), logger });
const pool = createPreprocessPool({ threads: config.HANDWRITING_PREPROCESS_THREADS });

await activateShippedModel(registry, files, SHIPPED_MODELS_DIR, logger);
const follower = followActiveModel(server, registry, logger, config.HANDWRITING_MODEL_POLL_MS);
await follower.sync().catch((error: unknown) => {
  logger.error({ err: error }, 'could not read the active model; /readyz answers 503 until one loads');
});

const app = await buildApp({
  logger,
  pool,
  server,
  registry,
  files,
  maxArtifactBytes: config.HANDWRITING_MAX_ARTIFACT_BYTES,
  apiKeys: config.HANDWRITING_API_KEYS,
  readKeys: config.HANDWRITING_READ_KEYS,
  limits: { maxPixels: config.HANDWRITING_MAX_PIXELS, maxSide: config.HANDWRITING_MAX_SIDE },
  maxUploadBytes: config.HANDWRITING_MAX_UPLOAD_BYTES,
  uncertainBelow: config.HANDWRITING_UNCERTAIN_BELOW,
  readiness: [redisReadiness(redis), workerReadiness(queue)],
  training: { queue, job },
});

installGracefulShutdown({
  logger,
  steps: [() => app.close(), async () => { follower.stop(); await pool.close(); }, () => server.close(), () => queue.close(), () => closeRedis(redis)],
});
await app.listen({ host: config.HOST, port: config.PORT });
