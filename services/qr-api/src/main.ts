import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { loadQrConfig } from './config.js';

const config = loadConfigOrExit(() => loadQrConfig());
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const redis = config.RATE_LIMIT_STORE === 'redis' ? connectRedis(config.redis, 'command', { logger }) : undefined;

const app = await buildApp({ config, logger, ...(redis ? { redis } : {}) });
if (config.RATE_LIMIT_MAX === 0) logger.warn('rate limiting is off (RATE_LIMIT_MAX=0)');
await app.listen({ port: config.PORT, host: config.HOST });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), async () => (redis ? closeRedis(redis) : undefined)],
});
