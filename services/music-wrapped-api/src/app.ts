import { createApp, packageInfo, type DataBankClient, type Logger, type PlatformApp, type ScratchArea } from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Config } from './config.js';
import { authRoutes } from './routes/auth.js';
import { importRoutes } from './routes/imports.js';
import { wrappedRoutes } from './routes/wrapped.js';
import { AccountConnections } from './services/connections.js';
import type { ImportStore } from './services/import-store.js';
import type { TokenStore } from './services/token-store.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  config: Config;
  logger: Logger;
  redis: RedisConnection;
  /** The music_wrapped queue: the API enqueues and reads job status, the worker runs the jobs. */
  queue: Queue;
  imports: ImportStore;
  tokens: TokenStore;
  dataBank: DataBankClient;
  /** Uploads are staged in scratch jobs here; main.ts sweeps it at start. */
  scratch: ScratchArea;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config } = deps;
  const app = await createApp({
    service: SERVICE,
    version,
    logger: deps.logger,
    description: 'Year-in-music reports (cards, HTML, JSON) from Spotify, Apple Music, YouTube Music and Last.fm history',
    readiness: [redisReadiness(deps.redis), workerReadiness(deps.queue)],
    // Exports of up to MUSIC_MAX_UPLOAD_BYTES: the upload's own deadline decides, not the default 60 s.
    requestTimeoutMs: config.uploadTimeoutMs + 10_000,
    // An empty MUSIC_API_KEYS trusts every caller, for local development (README).
    auth: { permissions: { api: config.apiKeys }, openWhenNoKeys: true },
  });
  const uploads = {
    maxBytes: config.maxUploadBytes,
    timeoutMs: config.uploadTimeoutMs,
    zipLimits: config.zipLimits,
  };
  await app.register(async (scope) => importRoutes(scope as PlatformApp, { ...deps, uploads }));
  wrappedRoutes(app, deps);
  authRoutes(app, new AccountConnections(config, deps.tokens, deps.redis));
  return app;
}
