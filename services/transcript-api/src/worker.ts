import { createLogger, loadConfigOrExit, openScratchArea, stopAllChildren } from '@platform/core';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { pipelineFrom, storeFrom } from './deps.js';
import { TRANSCRIPT_QUEUE, transcriptionJob } from './workers/transcribe.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: 'transcript-worker', level: config.LOG_LEVEL });
const commands = connectRedis(config.redis, 'command', { logger });
// A worker killed with SIGKILL leaves its ffmpeg running and its files behind: end and remove them.
const scratch = await openScratchArea(config.TRANSCRIPT_TMP_DIR, logger);

const job = transcriptionJob({
  store: storeFrom(config),
  pipeline: pipelineFrom(config),
  ytdlp: config.YTDLP_PATH,
  scratch,
  timeoutMs: config.TRANSCRIPT_JOB_TIMEOUT_S * 1000,
});

const handle = startWorker({
  connection: connectRedis(config.redis, 'blocking', { logger }),
  queue: TRANSCRIPT_QUEUE,
  jobs: [job],
  publisher: new EventPublisher(commands),
  logger,
  concurrency: config.TRANSCRIPT_WORKER_CONCURRENCY,
});
logger.info({ provider: config.STT_PROVIDER }, 'speech-to-text provider');
runWorkerProcess({ logger, workers: [handle], closers: [stopAllChildren, () => closeRedis(commands)] });
