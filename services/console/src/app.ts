import fastifyCookie from '@fastify/cookie';
import { createApp, type Logger, type PlatformApp } from '@platform/core';
import { createQueue, redisReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleConfig } from './config.js';
import { DOMAINS } from './models/catalog.js';
import { eventRoutes } from './routes/events.js';
import { overviewRoutes } from './routes/overview.js';
import { proxyRoutes } from './routes/proxy.js';
import { queueBoardRoutes } from './routes/queues.js';
import { sessionRoutes } from './routes/session.js';
import { staticRoutes } from './routes/static.js';
import { registerAccess } from './services/access.js';
import { EventHub } from './services/event-hub.js';
import { Overview } from './services/overview.js';
import { SessionStore } from './services/sessions.js';

export const SERVICE = 'console';
const VERSION = '0.1.0';

const BUILT_WEB = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../web/dist/' : '../web/dist/', import.meta.url));

export interface AppDeps {
  config: ConsoleConfig;
  logger: Logger;
  /** Commands: sessions, queue counts, recent events. */
  redis: RedisConnection;
  /** A connection of its own for the blocking stream read. */
  blocking: RedisConnection;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config, redis } = deps;
  const webDir = config.CONSOLE_WEB_DIR ?? BUILT_WEB;
  const queues = new Map<string, Queue>(
    DOMAINS.map((domain) => [domain, createQueue({ queue: domain, connection: redis, prefix: config.CONSOLE_QUEUE_PREFIX })]),
  );
  const hub = new EventHub({ redis, blocking: deps.blocking, domains: DOMAINS, namespace: config.CONSOLE_EVENTS_NAMESPACE, logger: deps.logger });
  const store = new SessionStore({
    redis,
    prefix: `${config.CONSOLE_EVENTS_NAMESPACE}console:session:`,
    ttlSeconds: config.CONSOLE_SESSION_TTL_S,
    adminKeys: config.CONSOLE_ADMIN_KEYS,
    viewerKeys: config.CONSOLE_VIEWER_KEYS,
  });
  if (config.CONSOLE_ADMIN_KEYS.length === 0) deps.logger.warn('CONSOLE_ADMIN_KEYS is empty: nobody can log in as admin');

  const app = await createApp({
    service: SERVICE,
    version: VERSION,
    logger: deps.logger,
    description: 'The web console: every service of the platform in a browser.',
    trustProxy: config.TRUST_PROXY,
    readiness: [
      redisReadiness(redis),
      { name: 'web', check: () => access(join(webDir, 'index.html')) },
    ],
  });
  await app.register(fastifyCookie, { secret: config.CONSOLE_SESSION_SECRET ?? randomBytes(32).toString('hex') });
  registerAccess(app, store);
  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').header('x-frame-options', 'SAMEORIGIN');
    done(null, payload);
  });

  sessionRoutes(app, store, config.CONSOLE_USER_ID);
  overviewRoutes(app, new Overview(config.upstreams, queues));
  eventRoutes(app, hub, queues);
  await proxyRoutes(app, config);
  await queueBoardRoutes(app, queues);
  await staticRoutes(app, webDir);

  app.addHook('onReady', (done) => {
    hub.start();
    done();
  });
  app.addHook('onClose', async () => {
    await hub.stop();
    await Promise.all([...queues.values()].map((queue) => queue.close()));
  });
  return app;
}
