import type { PlatformApp } from '@platform/core';
import { assertPlatformResponse, authSpellings, fuzzService } from '@platform/core/testing';
import fc from 'fast-check';
import { closeRedis, createRedis } from '@platform/workers';
import { isolatedRedisPrefix } from '@platform/testing';
import type { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES, TRANSFORMS } from '../src/models/corpus.js';
import { catalog, enqueueOnlyCorpus, testApp } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const KEY = 'turkic-fuzz-key';
const keys = isolatedRedisPrefix('turkic-fuzz');

let redis: Redis;
let corpus: ReturnType<typeof enqueueOnlyCorpus>;
let keyed: PlatformApp;
let open: PlatformApp;

beforeAll(async () => {
  redis = createRedis(REDIS_URL, 'command');
  corpus = enqueueOnlyCorpus(redis, keys.prefix);
  // With Redis, so the corpus job routes are fuzzed too; no worker runs, queued jobs are removed after.
  keyed = await testApp({ apiKeys: [KEY], corpus });
  open = await testApp({ corpus });
  await keyed.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await keyed.close();
  await open.close();
  await corpus.queue.obliterate({ force: true });
  await corpus.queue.close();
  await keys.cleanup(redis);
  await closeRedis(redis);
});

describe('fuzzing every route', () => {
  it('keeps the HTTP contract with and without a key', async () => {
    await fuzzService(keyed, { keys: { 'x-api-key': KEY } });
  }, 120_000);

  it('keeps the HTTP contract with auth open (no TURKIC_API_KEYS)', async () => {
    await fuzzService(open);
  }, 120_000);
});

/** Corpus job bodies that mostly pass the schema, so the checks after it (URL target, idempotency) run. */
const corpusBody = fc.record(
  {
    source: fc.constantFrom(...SOURCES),
    language: fc.oneof(fc.constantFrom(...catalog.languages), fc.string({ maxLength: 9 })),
    transform: fc.constantFrom(...TRANSFORMS),
    url: fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom('http://0x7f.1/', 'http://[::ffff:10.0.0.1]/', 'http://[fe80::1%25eth0]/', 'ftp://example.com/', 'http://０x7f.1/'),
      fc.string(),
    ),
    dataset: fc.string({ maxLength: 30 }),
    file_id: fc.stringMatching(/^[0-9a-f]{64}$/),
    max_sentences: fc.integer({ min: -1, max: 2_000_000 }),
    user_id: fc.oneof(fc.stringMatching(/^[1-9][0-9]{0,19}$/), fc.string()),
  },
  { requiredKeys: ['source', 'language'] },
);
const idempotencyKey = fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 210 }), fc.stringMatching(/^[!-~]{1,200}$/)), {
  nil: undefined,
});

describe('fuzzing corpus job requests that reach the route', () => {
  it('answers 202 or a 4xx envelope, never a 500', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(corpusBody, idempotencyKey, async (body, key) => {
        const response = await open.inject({
          method: 'POST',
          url: '/v1/corpus-jobs',
          payload: body,
          headers: key === undefined ? {} : { 'idempotency-key': key },
        });
        const headers = Object.fromEntries(
          Object.entries(response.headers).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value]),
        );
        assertPlatformResponse({ method: 'POST', status: response.statusCode, headers, body: response.rawPayload });
        if (response.statusCode === 202) accepted += 1;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(0);
  }, 60_000);
});

describe('auth from the matched route', () => {
  it('refuses every spelling of every protected route without a key', async () => {
    await authSpellings(keyed);
  }, 60_000);

  it('answers 401 to POST /%761/transliterate without a key', async () => {
    const address = keyed.server.address();
    if (address === null || typeof address === 'string') throw new Error('the app is not listening');
    const response = await request(`http://127.0.0.1:${address.port}/%761/transliterate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Сәлем', language: 'kk', target: 'latin' }),
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
