import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { buildApp } from './app.js';
import { readConfig, SHIPPED_MODELS_DIR } from './config.js';
import { loadInitialModel } from './services/initial-model.js';
import { ModelSlot } from './services/model-slot.js';
import { ModelStore } from './services/model-store.js';
import { createPreprocessPool } from './services/preprocess-pool.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'handwriting-ai', level: config.LOG_LEVEL });
const store = new ModelStore(config.HANDWRITING_MODELS_DIR, SHIPPED_MODELS_DIR);
const slot = new ModelSlot(config.HANDWRITING_INFERENCE_THREADS);
const pool = createPreprocessPool({ threads: config.HANDWRITING_PREPROCESS_THREADS });
await loadInitialModel(store, slot, logger, config.HANDWRITING_MODEL_ID);

const app = await buildApp({
  logger,
  pool,
  slot,
  store,
  apiKeys: config.HANDWRITING_API_KEYS,
  readKeys: config.HANDWRITING_READ_KEYS,
  limits: { maxPixels: config.HANDWRITING_MAX_PIXELS, maxSide: config.HANDWRITING_MAX_SIDE },
  maxUploadBytes: config.HANDWRITING_MAX_UPLOAD_BYTES,
  uncertainBelow: config.HANDWRITING_UNCERTAIN_BELOW,
});

installGracefulShutdown({ logger, steps: [() => app.close(), () => pool.close(), () => slot.close()] });
await app.listen({ host: config.HOST, port: config.PORT });
