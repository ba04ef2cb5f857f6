import { deleteKeys, uniqueName } from '@platform/testing';
import { createLogger, type PlatformApp } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import type { Redis } from 'ioredis';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.js';
import { readConfig, type Config } from '../../src/config.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const ADMIN_KEY = 'test-admin-key';
export const VIEWER_KEY = 'test-viewer-key';
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

export interface TestConsole {
  app: PlatformApp;
  config: Config;
  redis: Redis;
  /** The event namespace and queue prefix of this console (unique per test file). */
  namespace: string;
  url: string;
  close(): Promise<void>;
}

const newest = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );

/** Builds the web app with Vite when its sources are newer than the last build. */
export async function buildWeb(): Promise<string> {
  const dist = join(WEB_DIR, 'dist');
  const built = join(dist, 'index.html');
  const sources = Math.max(newest(join(WEB_DIR, 'src')), statSync(join(WEB_DIR, 'index.html')).mtimeMs);
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    const { build } = await import('vite');
    await build({ root: WEB_DIR, logLevel: 'warn' });
  }
  return dist;
}

export const newNamespace = (): string => `${uniqueName('console')}:`;

/** The console on a free port against real Redis, with its own namespace and the given environment. */
export async function startConsole(env: Record<string, string> = {}, namespace = newNamespace()): Promise<TestConsole> {
  const config = readConfig({
    REDIS_URL,
    CONSOLE_ADMIN_KEYS: ADMIN_KEY,
    CONSOLE_VIEWER_KEYS: VIEWER_KEY,
    CONSOLE_EVENTS_NAMESPACE: namespace,
    CONSOLE_QUEUE_PREFIX: `${namespace}bull`,
    CONSOLE_WEB_DIR: join(WEB_DIR, 'dist'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const redisUrl = env.REDIS_URL ?? REDIS_URL;
  const redis = createRedis(redisUrl, 'command');
  const blocking = createRedis(redisUrl, 'blocking');
  const app = await buildApp({ config, logger: createLogger({ service: 'console-test', level: 'silent' }), redis, blocking });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    config,
    redis,
    namespace,
    url: `http://127.0.0.1:${String(port)}`,
    close: async () => {
      await app.close();
      await deleteKeys(redis, `${namespace}*`);
      await closeRedis(redis);
      await closeRedis(blocking);
    },
  };
}

/** Logs in through the API; answers the cookie header and the CSRF token for injected requests. */
export async function login(app: PlatformApp, key = ADMIN_KEY): Promise<{ cookie: string; csrf: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/login', payload: { key } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((entry) => entry.name === 'console_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `console_session=${cookie.value}`, csrf: response.json<{ csrf_token: string }>().csrf_token };
}
