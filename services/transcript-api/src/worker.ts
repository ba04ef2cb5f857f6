import { createLogger, loadConfigOrExit, openScratchArea, packageInfo, stopAllChildren } from '@platform/core';
import { closeRedis, connectRedis, EventPublisher, runWorkerProcess, startWorker } from '@platform/workers';
import { readConfig } from './config.js';
import { pipelineFrom, storeFrom } from './deps.js';
import { TRANSCRIPT_QUEUE } from './jobs/transcribe.js';
import { transcriptionHandler } from './workers/transcribe.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({
  service: `${packageInfo(import.meta.url).name}-worker`,
  level: config.logLevel,
});
const commands = connectRedis(config.redis, 'command', { logger });
// A worker killed with SIGKILL leaves its ffmpeg running and its files behind: end and remove them.
const scratch = await openScratchArea(config.tmpDir, logger);

const handler = transcriptionHandler({
  store: storeFrom(config),
  pipeline: pipelineFrom(config),
  ytdlp: config.tools.ytdlp,
  scratch,
  timeoutMs: config.jobTimeoutMs,
});

const handle = startWorker({
  connection: connectRedis(config.redis, 'blocking', { logger }),
  queue: TRANSCRIPT_QUEUE,
  prefix: config.queuePrefix,
  handlers: [handler],
  publisher: new EventPublisher(commands, { namespace: config.eventsNamespace }),
  logger,
  concurrency: config.workerConcurrency,
});
logger.info({ provider: config.stt.provider }, 'speech-to-text provider');
runWorkerProcess({ logger, workers: [handle], closers: [stopAllChildren, () => closeRedis(commands)] });
