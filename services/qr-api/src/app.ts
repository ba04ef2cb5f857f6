import rateLimit from '@fastify/rate-limit';
import { AppError, createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import type { RedisConnection } from '@platform/workers';
import type { Config } from './config.js';
import { batchRoutes } from './routes/batch.js';
import { decodeRoutes } from './routes/decode.js';
import { qrRoutes } from './routes/qr.js';
import { loadDecoder, readCodes } from './services/decode.js';
import { createQrPool } from './services/qr-pool.js';
import { renderQr, type QrDefaults } from './services/render.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Only when RATE_LIMIT_STORE=redis: the shared rate-limit counters. The service needs no Redis otherwise. */
  redis?: RedisConnection;
}

/**
 * Ready when a code made with the configured defaults reads back: encoder, PNG writer, sharp and ZXing
 * all work. It runs on the event loop (a 66 px code takes about a millisecond), not in the CPU pool, so
 * readiness does not turn with how busy decoding is (a busy pool answers 503 to the decode itself).
 */
function codecCheck(defaults: QrDefaults, maxPixels: number): ReadinessCheck {
  return {
    name: 'codec',
    check: async () => {
      const image = await renderQr('ready', { ...defaults, format: 'png', invert: false, scale: 2 });
      const [result] = await readCodes(image.body, maxPixels);
      if (result?.text !== 'ready') throw new Error('a generated code did not read back');
    },
  };
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config, redis } = deps;
  const { defaults } = config;
  await loadDecoder();
  const pool = createQrPool({ threads: config.cpuThreads, queue: config.cpuQueue });
  const readiness = [codecCheck(defaults, config.maxDecodePixels)];
  if (redis) {
    readiness.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
  }

  const app = await createApp({
    service: SERVICE,
    version,
    logger: deps.logger,
    description: 'QR codes: make PNG, SVG or terminal text from links, text, Wi-Fi, contacts and more; read codes from images.',
    trustProxy: config.trustProxy,
    readiness,
  });
  // After the server has stopped and in-flight requests are answered: finish queued work, stop the threads.
  app.addHook('onClose', () => pool.close());

  // Registered after createApp's /healthz, /readyz and /metrics, so probes are never limited.
  if (config.rateLimit.max > 0) {
    await app.register(rateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      ...(redis ? { redis, nameSpace: 'qr-api:rate-limit:' } : {}),
      errorResponseBuilder: (_request, context) =>
        new AppError('RATE_LIMIT_EXCEEDED', `Rate limit of ${context.max} requests per ${context.after} exceeded; retry later`),
    });
  }

  await app.register((scope, _options, done) => {
    // JSON only: a text/plain body is a 415, not a string that fails validation.
    scope.removeContentTypeParser('text/plain');
    qrRoutes(scope, { defaults, cacheMaxAgeS: config.cacheMaxAgeS });
    batchRoutes(scope, defaults, pool);
    done();
  });
  await app.register(async (scope) => {
    await decodeRoutes(scope, { maxBytes: config.maxDecodeBytes, maxPixels: config.maxDecodePixels, pool });
  });
  return app;
}
