import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { loadConsoleConfig } from './config.js';

const config = loadConfigOrExit(() => loadConsoleConfig());
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const redis = createRedis(config.REDIS_URL, 'command');
const blocking = createRedis(config.REDIS_URL, 'blocking');

const app = await buildApp({ config, logger, redis, blocking });
await app.listen({ port: config.PORT, host: config.HOST });
logger.info({ url: `http://${config.HOST}:${String(config.PORT)}/` }, 'console is up: log in with a key from CONSOLE_ADMIN_KEYS');

installGracefulShutdown({
  logger,
  steps: [() => app.close(), () => closeRedis(redis), () => closeRedis(blocking)],
});
