import { createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import { registerJobRoutes } from '@platform/workers';
import { inferenceRoutes, type InferenceRouteDeps } from './routes/inference.js';
import { runRoutes, type RunRouteDeps } from './routes/runs.js';
import { tokenizerRoutes, type TokenizerRouteDeps } from './routes/tokenizers.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps extends RunRouteDeps, TokenizerRouteDeps, InferenceRouteDeps {
  logger: Logger;
  apiKeys: string[];
  readiness?: ReadinessCheck[];
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const app = await createApp({
    service: SERVICE,
    version,
    description: 'Tokenizers, GPT-2 and char-LSTM training in PyTorch, generation and scoring from TypeScript',
    logger: deps.logger,
    readiness: deps.readiness ?? [],
    // An empty key list leaves the service open for local development (logged at start; README).
    auth: { permissions: { trainer: deps.apiKeys }, openWhenNoKeys: true },
  });
  registerJobRoutes(app, deps.queue, 'trainer');
  tokenizerRoutes(app, deps);
  runRoutes(app, deps);
  inferenceRoutes(app, deps);
  return app;
}
