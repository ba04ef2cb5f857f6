import { createLogger, installGracefulShutdown, loadConfigOrExit, openScratchArea } from '@platform/core';
import { closeRedis, createQueue, connectRedis } from '@platform/workers';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { pipelineFrom, storeFrom, toolChecksFrom, youtubeFrom } from './deps.js';
import { TRANSCRIPT_QUEUE, transcriptionJob } from './workers/transcribe.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'transcript-api', level: config.LOG_LEVEL });
const redis = connectRedis(config.redis, 'command', { logger });
const queue = createQueue({ connection: redis, queue: TRANSCRIPT_QUEUE });
const store = storeFrom(config);
// Uploads left behind by an API process that was killed mid-request.
const scratch = await openScratchArea(config.TRANSCRIPT_TMP_DIR, logger);
// The API only enqueues: the definition carries the job's options; processing happens in the worker.
const job = transcriptionJob({
  store,
  pipeline: pipelineFrom(config),
  ytdlp: config.YTDLP_PATH,
  scratch,
  timeoutMs: config.TRANSCRIPT_JOB_TIMEOUT_S * 1000,
});

const app = await buildApp({
  logger,
  redis,
  queue,
  job,
  youtube: youtubeFrom(config),
  store,
  scratch,
  apiKeys: config.TRANSCRIPT_API_KEYS,
  defaultLanguages: config.TRANSCRIPT_DEFAULT_LANGUAGES,
  maxUploadBytes: config.TRANSCRIPT_MAX_UPLOAD_BYTES,
  uploadTimeoutMs: config.TRANSCRIPT_UPLOAD_TIMEOUT_S * 1000,
  tools: toolChecksFrom(config),
});

installGracefulShutdown({ logger, steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)] });
await app.listen({ host: config.HOST, port: config.PORT });
