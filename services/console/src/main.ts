import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = connectRedis(config.redis, 'command', { logger });
const blocking = connectRedis(config.redis, 'blocking', { logger });

const app = await buildApp({ config, logger, redis, blocking });
await app.listen({ port: config.port, host: config.host });
logger.info({ url: `http://${config.host}:${String(config.port)}/` }, 'console is up: log in with a key from CONSOLE_ADMIN_KEYS');

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => closeRedis(redis), () => closeRedis(blocking)],
});
