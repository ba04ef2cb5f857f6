import { createLogger } from '@platform/core';
import { authSpellings, fuzzService } from '@platform/core/testing';
import { closeRedis, createQueue, createRedis } from '@platform/workers';
import { isolatedRedisPrefix } from '@platform/testing';
import type { Queue } from 'bullmq';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { FsBackend } from '../src/storage/fs-backend.js';
import { QUEUE } from '../src/jobs/queue.js';
import { appConfig, KEYS, tempDir, tempEntries } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

describe('data-bank-api under random requests', () => {
  const redis = createRedis(REDIS_URL, 'command');
  const bull = isolatedRedisPrefix('bull');
  let queue: Queue;
  let root: string;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    root = await tempDir();
    queue = createQueue({ connection: redis, queue: QUEUE, prefix: bull.prefix });
    app = await buildApp({
      config: appConfig({ maxFileBytes: 1024 * 1024 }),
      logger: createLogger({ service: 'data-bank-fuzz', level: 'silent' }),
      backend: await FsBackend.open(root),
      jobs: { redis, queue },
    });
  });
  afterAll(async () => {
    await app.close();
    await queue.close();
    await bull.cleanup(redis);
    await closeRedis(redis);
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['no key', undefined],
    ['the upload key', KEYS.uploader],
    ['the read key', KEYS.reader],
    ['the delete key', KEYS.deleter],
    ['a key with every permission', KEYS.admin],
  ])(
    'never answers 500 and always the envelope, with %s',
    async (_case, key) => {
      await fuzzService(app, key === undefined ? {} : { keys: { 'x-api-key': key } });
      // Whatever the uploads were, none is left half-written.
      expect(await tempEntries(root)).toEqual([]);
    },
    120_000,
  );

  it('refuses every spelling of every protected route without a valid key', async () => {
    await authSpellings(app);
  }, 60_000);
});
