import { createApp, type DataBankClient, type Logger, type PlatformApp, type ScratchArea } from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Config } from './config.js';
import { authRoutes } from './routes/auth.js';
import { importRoutes } from './routes/imports.js';
import { wrappedRoutes } from './routes/wrapped.js';
import type { ImportStore } from './services/import-store.js';
import type { TokenStore } from './services/token-store.js';

export const SERVICE = 'music-wrapped-api';
const VERSION = '0.1.0';

export interface AppDeps {
  logger: Logger;
  redis: RedisConnection;
  queue: Queue;
  imports: ImportStore;
  tokens: TokenStore;
  dataBank: DataBankClient;
  apiKeys: string[];
  maxUploadBytes: number;
  /** Uploads are staged in scratch jobs here; main.ts sweeps it at start. */
  scratch: ScratchArea;
  config: Config;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const app = await createApp({
    service: SERVICE,
    version: VERSION,
    logger: deps.logger,
    description:
      'Year-in-music reports (cards, HTML, JSON) from Spotify, Apple Music, YouTube Music and Last.fm history',
    readiness: [redisReadiness(deps.redis), workerReadiness(deps.queue)],
    // Exports of up to MUSIC_MAX_UPLOAD_BYTES: the upload's own deadline decides, not the default 60 s.
    requestTimeoutMs: deps.config.uploadTimeoutMs + 10_000,
    // An empty MUSIC_API_KEYS trusts every caller, for local development (README).
    auth: { permissions: { api: deps.apiKeys }, openWhenNoKeys: true },
  });
  await app.register(async (scope) => importRoutes(scope as PlatformApp, deps));
  wrappedRoutes(app, deps);
  authRoutes(app, deps);
  return app;
}
