import { createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import type { ModelRegistry } from '@platform/ml';
import { modelUploadRoutes } from './routes/model-upload.js';
import { modelRoutes } from './routes/models.js';
import { readRoutes } from './routes/read.js';
import { trainRoutes, type TrainRouteDeps } from './routes/train.js';
import type { DigitServer } from './services/digit-server.js';
import type { ModelFiles } from './services/model-files.js';
import type { ImageLimits } from './services/preprocess/decode.js';
import type { PreprocessPool } from './services/preprocess-pool.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  logger: Logger;
  pool: PreprocessPool;
  server: DigitServer;
  registry: ModelRegistry;
  files: ModelFiles;
  /** Largest artifact POST /v1/models accepts. */
  maxArtifactBytes: number;
  apiKeys: string[];
  readKeys: string[];
  limits: ImageLimits;
  maxUploadBytes: number;
  uncertainBelow: number;
  readiness?: ReadinessCheck[];
  training: TrainRouteDeps;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const app = await createApp({
    service: SERVICE,
    version,
    description: 'Handwritten digit recognition: PyTorch-trained, ONNX-served, calibrated, photo-proof',
    logger: deps.logger,
    readiness: [{ name: 'model', check: () => deps.server.ready() }, ...(deps.readiness ?? [])],
    // Empty key lists leave a permission open for local development (logged at start; README).
    auth: { permissions: { models: deps.apiKeys, read: deps.readKeys }, openWhenNoKeys: true },
  });
  modelRoutes(app, deps.registry, deps.server);
  trainRoutes(app, deps.training);
  await app.register(readRoutes, deps);
  await app.register(modelUploadRoutes, deps);
  return app;
}
