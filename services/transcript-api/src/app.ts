import multipart from '@fastify/multipart';
import {
  createApp,
  type Logger,
  type PlatformApp,
  type ReadinessCheck,
  type ScratchArea,
} from '@platform/core';
import { redisReadiness, workerReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import { registerCaptionRoutes } from './routes/captions.js';
import { registerTranscriptionRoutes } from './routes/transcriptions.js';
import type { YouTube } from './services/captions/youtube.js';
import type { FileStore } from './models/files.js';
import type { transcriptionJob } from './workers/transcribe.js';

export interface AppDeps {
  logger: Logger;
  redis: RedisConnection;
  queue: Queue;
  job: ReturnType<typeof transcriptionJob>;
  youtube: YouTube;
  store: FileStore;
  /** Scratch dirs for uploads (under TRANSCRIPT_TMP_DIR). */
  scratch: ScratchArea;
  apiKeys: string[];
  defaultLanguages: string[];
  maxUploadBytes: number;
  /** The whole upload must arrive within this. */
  uploadTimeoutMs: number;
  /** Checks that the tools the worker runs are installed (`toolChecksFrom`). */
  tools?: ReadinessCheck[];
}

const REQUEST_TIMEOUT_MARGIN_MS = 5_000;

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const app = await createApp({
    service: 'transcript-api',
    version: '0.1.0',
    description: 'YouTube captions and speech-to-text jobs',
    logger: deps.logger,
    readiness: [redisReadiness(deps.redis), workerReadiness(deps.queue), ...(deps.tools ?? [])],
    // An empty TRANSCRIPT_API_KEYS leaves the API open for local development (README).
    auth: { permissions: { api: deps.apiKeys }, openWhenNoKeys: true },
    // Node's own cut-off comes just after the upload's deadline, so the upload answers 408 itself.
    requestTimeoutMs: deps.uploadTimeoutMs + REQUEST_TIMEOUT_MARGIN_MS,
  });
  // Limits are set per upload (saveMultipartFile).
  await app.register(multipart);
  registerCaptionRoutes(app, deps.youtube, deps.defaultLanguages);
  registerTranscriptionRoutes(app, deps);
  return app;
}
