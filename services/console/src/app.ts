import fastifyCookie from '@fastify/cookie';
import { createApp, packageInfo, type Logger, type PlatformApp } from '@platform/core';
import { createQueue, redisReadiness, type RedisConnection } from '@platform/workers';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
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

const PACKAGE = packageInfo(import.meta.url);
export const SERVICE = PACKAGE.name;

const BUILT_WEB = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../web/dist/' : '../web/dist/', import.meta.url));

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Commands: sessions, queue counts, recent events. */
  redis: RedisConnection;
  /** A connection of its own for the blocking stream read. */
  blocking: RedisConnection;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  const { config, redis } = deps;
  const webDir = config.webDir ?? BUILT_WEB;
  const queues = new Map<string, Queue>(
    DOMAINS.map((domain) => [domain, createQueue({ queue: domain, connection: redis, prefix: config.queuePrefix })]),
  );
  const hub = new EventHub({ redis, blocking: deps.blocking, domains: DOMAINS, namespace: config.eventsNamespace, logger: deps.logger });
  const store = new SessionStore({
    redis,
    prefix: `${config.eventsNamespace}console:session:`,
    ttlSeconds: config.sessionTtlS,
    adminKeys: config.adminKeys,
    viewerKeys: config.viewerKeys,
  });
  if (config.adminKeys.length === 0) deps.logger.warn('CONSOLE_ADMIN_KEYS is empty: nobody can log in as admin');

  const app = await createApp({
    service: SERVICE,
    version: PACKAGE.version,
    logger: deps.logger,
    description: 'The web console: every service of the platform in a browser.',
    trustProxy: config.trustProxy,
    readiness: [redisReadiness(redis), { name: 'web', check: () => access(join(webDir, 'index.html')) }],
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret ?? randomBytes(32).toString('hex') });
  registerAccess(app, store);
  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').header('x-frame-options', 'SAMEORIGIN');
    done(null, payload);
  });

  sessionRoutes(app, store, config.userId);
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
