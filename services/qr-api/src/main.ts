import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { closeRedis, connectRedis } from '@platform/workers';
import { buildApp, SERVICE } from './app.js';
import { readConfig } from './config.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: SERVICE, level: config.logLevel });
const redis = config.rateLimit.store === 'redis' ? connectRedis(config.redis, 'command', { logger }) : undefined;

const app = await buildApp({ config, logger, ...(redis ? { redis } : {}) });
if (config.rateLimit.max === 0) logger.warn('rate limiting is off (RATE_LIMIT_MAX=0)');
await app.listen({ port: config.port, host: config.host });

installGracefulShutdown({
  logger,
  steps: [() => app.close(), async () => (redis ? closeRedis(redis) : undefined)],
});
