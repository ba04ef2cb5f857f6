import type { PlatformApp } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@platform/testing';
import { enqueueOnlyCorpus, testApp } from './helpers.js';

let redis: Redis;
let app: PlatformApp;
let corpus: ReturnType<typeof enqueueOnlyCorpus>;

beforeAll(async () => {
  // Without the offline queue a plain command fails at once instead of at the deadline (also a 503).
  redis = createRedis(`redis://127.0.0.1:${await freePort()}/0`, 'command', { enableOfflineQueue: false });
  redis.on('error', () => undefined);
  corpus = enqueueOnlyCorpus(redis, 'test-turkic-outage');
  app = await testApp({ corpus });
});

afterAll(async () => {
  await app.close();
  await corpus.queue.close();
  await closeRedis(redis);
});

describe('with Redis down', () => {
  it('every job route answers 503 with Retry-After (BullMQ waits for the connection: the 4 s deadline)', async () => {
    const requests = [
      { method: 'POST', url: '/v1/corpus-jobs', payload: { source: 'wikipedia', language: 'kk' } },
      { method: 'GET', url: '/v1/corpus-jobs/some-job' },
      { method: 'GET', url: '/v1/jobs/some-job' },
      { method: 'DELETE', url: '/v1/jobs/some-job' },
      { method: 'DELETE', url: '/v1/corpus-jobs/some-job' },
      { method: 'GET', url: '/v1/corpus-jobs/some-job/result' },
    ] as const;
    const responses = await Promise.all(requests.map((request) => app.inject(request)));
    for (const [index, response] of responses.entries()) {
      const { method, url } = requests[index] ?? {};
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    }
  });
});
