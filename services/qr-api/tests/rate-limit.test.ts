import { isolatedRedisPrefix } from '@platform/testing';
import { createLogger, type PlatformApp } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { makeApp, type ErrorBody } from './helpers.js';

const apps: PlatformApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

describe('rate limiting per client IP', () => {
  it('answers 429 with the envelope and Retry-After once the window is spent; probes are never limited', async () => {
    const app = await makeApp({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' });
    apps.push(app);
    const get = (ip: string) => app.inject({ url: '/v1/qr?url=example.com&format=text', remoteAddress: ip });
    expect((await get('10.0.0.1')).statusCode).toBe(200);
    expect((await get('10.0.0.1')).statusCode).toBe(200);
    const limited = await get('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json<ErrorBody>()).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', request_id: limited.headers['x-request-id'] });
    expect((await get('10.0.0.2')).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
  });

  it('shares the counters between instances through Redis when RATE_LIMIT_STORE=redis, and checks Redis for readiness', async () => {
    const counters = isolatedRedisPrefix('qr-api');
    const prefix = `${counters.prefix}:`;
    const redis = createRedis('redis://127.0.0.1:6379/0', 'command', { keyPrefix: prefix });
    const config = readConfig({ RATE_LIMIT_MAX: '3', RATE_LIMIT_STORE: 'redis' });
    const logger = createLogger({ service: 'qr-api-test', level: 'silent' });
    const [one, two] = [await buildApp({ config, logger, redis }), await buildApp({ config, logger, redis })];
    apps.push(one, two);
    const statuses = [];
    for (const app of [one, two, one, two]) {
      statuses.push((await app.inject({ url: '/v1/qr?url=example.com&format=text', remoteAddress: '10.0.0.9' })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await one.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', checks: { codec: 'ok', redis: 'ok' } });
    await closeRedis(redis);
    // The counters are in Redis: a client without the key prefix finds (and deletes) them.
    const plain = createRedis('redis://127.0.0.1:6379/0', 'command');
    expect(await counters.cleanup(plain)).toBeGreaterThan(0);
    await closeRedis(plain);
  });
});
