import { createApp, type Logger, type PlatformApp } from '@platform/core';
import { modelRoutes } from './routes/models.js';
import { readRoutes } from './routes/read.js';
import type { ModelSlot } from './services/model-slot.js';
import type { ModelStore } from './services/model-store.js';
import type { ImageLimits } from './services/preprocess/decode.js';
import type { PreprocessPool } from './services/preprocess-pool.js';

export interface AppDeps {
  logger: Logger;
  pool: PreprocessPool;
  slot: ModelSlot;
  store: ModelStore;
  apiKeys: string[];
  readKeys: string[];
  limits: ImageLimits;
  maxUploadBytes: number;
  uncertainBelow: number;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const app = await createApp({
    service: 'handwriting-ai',
    version: '0.1.0',
    description: 'Handwritten digit recognition: PyTorch-trained, ONNX-served, calibrated, photo-proof',
    logger: deps.logger,
    readiness: [{ name: 'model', check: () => deps.slot.ready() }],
    // Empty key lists leave a permission open for local development (logged at start; README).
    auth: { permissions: { models: deps.apiKeys, read: deps.readKeys }, openWhenNoKeys: true },
  });
  modelRoutes(app, deps.store, deps.slot);
  await app.register(readRoutes, deps);
  return app;
}
