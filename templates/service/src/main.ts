import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis, createQueue } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';
import { QUEUE } from './jobs/word-count.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = connectRedis(config.redis, 'command', { logger });
// The API only enqueues (src/jobs): it builds nothing a handler needs.
const queue = createQueue({ connection: redis, queue: QUEUE });

const app = await buildApp({ config, logger, redis, queue });
installGracefulShutdown({ logger, steps: [() => app.close(), () => queue.close(), () => closeRedis(redis)] });
await app.listen({ host: config.host, port: config.port });
