import multipart from '@fastify/multipart';
import { createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck, type ScratchArea } from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Config } from './config.js';
import type { FileStore } from './models/files.js';
import { registerCaptionRoutes } from './routes/captions.js';
import { registerTranscriptionRoutes } from './routes/transcriptions.js';
import type { YouTube } from './services/captions/youtube.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  config: Pick<Config, 'apiKeys' | 'defaultLanguages' | 'uploads'>;
  logger: Logger;
  redis: RedisConnection;
  /** The transcript queue: the API enqueues and reads job status, the worker runs the jobs. */
  queue: Queue;
  youtube: YouTube;
  store: FileStore;
  /** Scratch dirs for uploads (under TRANSCRIPT_TMP_DIR). */
  scratch: ScratchArea;
  /** Checks that the tools the worker runs are installed (`toolChecksFrom`). */
  tools?: ReadinessCheck[];
}

const REQUEST_TIMEOUT_MARGIN_MS = 5_000;

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config } = deps;
  const app = await createApp({
    service: SERVICE,
    version,
    description: 'YouTube captions and speech-to-text jobs',
    logger: deps.logger,
    readiness: [redisReadiness(deps.redis), workerReadiness(deps.queue), ...(deps.tools ?? [])],
    // An empty TRANSCRIPT_API_KEYS leaves the API open for local development (README).
    auth: { permissions: { api: config.apiKeys }, openWhenNoKeys: true },
    // Node's own cut-off comes just after the upload's deadline, so the upload answers 408 itself.
    requestTimeoutMs: config.uploads.timeoutMs + REQUEST_TIMEOUT_MARGIN_MS,
  });
  // Limits are set per upload (saveMultipartFile).
  await app.register(multipart);
  registerCaptionRoutes(app, deps.youtube, config.defaultLanguages);
  registerTranscriptionRoutes(app, { ...deps, uploads: config.uploads });
  return app;
}
