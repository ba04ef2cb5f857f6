import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { loadConsoleConfig } from './config.js';

const config = loadConfigOrExit(() => loadConsoleConfig());
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const redis = connectRedis(config.redis, 'command', { logger });
const blocking = connectRedis(config.redis, 'blocking', { logger });

const app = await buildApp({ config, logger, redis, blocking });
await app.listen({ port: config.PORT, host: config.HOST });
logger.info({ url: `http://${config.HOST}:${String(config.PORT)}/` }, 'console is up: log in with a key from CONSOLE_ADMIN_KEYS');

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => closeRedis(redis), () => closeRedis(blocking)],
});
