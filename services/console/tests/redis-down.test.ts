import { createLogger } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';

// Nothing listens on port 1: the console must still start, say it is not ready, and answer 503s.
const redis = createRedis('redis://127.0.0.1:1/0', 'command');
const blocking = createRedis('redis://127.0.0.1:1/0', 'blocking');
const config = readConfig({ CONSOLE_ADMIN_KEYS: 'admin', LOG_LEVEL: 'silent' });
const app = await buildApp({ config, logger: createLogger({ service: 'console-test', level: 'silent' }), redis, blocking });

beforeAll(() => app.ready());
afterAll(async () => {
  await app.close();
  await closeRedis(redis);
  await closeRedis(blocking);
});

describe('with Redis away', () => {
  it('starts, reports degraded readiness and answers a login with 503', async () => {
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: { redis: expect.stringContaining('failed') as string } });
    const login = await app.inject({ method: 'POST', url: '/api/login', payload: { key: 'admin' } });
    expect(login.statusCode).toBe(503);
    expect(login.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(login.headers['retry-after']).toBe('5');
  });
});
