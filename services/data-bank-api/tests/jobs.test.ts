import { createLogger, type FileRecord } from '@platform/core';
import { closeRedis, createQueue, createRedis, eventNames, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import { isolatedRedisPrefix } from '@platform/testing';
import type { Queue } from 'bullmq';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { FsBackend } from '../src/storage/fs-backend.js';
import { QUEUE } from '../src/jobs/queue.js';
import { gcHandler } from '../src/workers/gc.js';
import { scheduleMaintenance } from '../src/workers/schedule.js';
import { verifyHandler } from '../src/workers/verify.js';
import { appConfig, KEYS, sha256, tempDir, tempEntries } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DAY = 24 * 60 * 60 * 1000;
const logger = createLogger({ service: 'data-bank-jobs-test', level: 'silent' });

async function put(backend: FsBackend, content: string, createdAt = new Date()): Promise<FileRecord> {
  const pending = await backend.beginWrite();
  pending.sink.end(content);
  const id = sha256(content);
  const record = {
    file_id: id,
    sha256: id,
    size: content.length,
    content_type: 'text/plain',
    created_at: createdAt.toISOString(),
  };
  return (await pending.commit(record)).record;
}

describe('data_bank maintenance jobs', () => {
  const redis = createRedis(REDIS_URL, 'command');
  const bull = isolatedRedisPrefix('bull');
  const events = isolatedRedisPrefix('ev');
  const prefix = bull.prefix;
  const namespace = `${events.prefix}:`;
  let queue: Queue;
  let root: string;
  let backend: FsBackend;
  let worker: WorkerHandle | undefined;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let url = '';
  const now = new Date();

  beforeAll(async () => {
    root = await tempDir();
    backend = await FsBackend.open(root);
    queue = createQueue({ connection: redis, queue: QUEUE, prefix });
    app = await buildApp({
      config: appConfig(),
      logger,
      backend,
      jobs: { redis, queue },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await worker?.close(100);
    await app.close();
    await queue.close();
    await bull.cleanup(redis);
    await events.cleanup(redis);
    await closeRedis(redis);
    await rm(root, { recursive: true, force: true });
  });

  const call = (path: string, key: string, method = 'GET') => fetch(`${url}${path}`, { method, headers: { 'x-api-key': key } });

  async function finished(jobId: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 400; i++) {
      const status = (await (await call(`/v1/jobs/${jobId}`, KEYS.reader)).json()) as Record<string, unknown>;
      if (status.status === 'completed' || status.status === 'failed') return status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${jobId} did not finish`);
  }

  async function eventTypes(jobId: string): Promise<string[]> {
    const entries = await redis.xrange(eventNames('data_bank', namespace).stream, '-', '+');
    return entries
      .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as { type: string; job_id: string })
      .filter((event) => event.job_id === jobId)
      .map((event) => event.type);
  }

  it('is not ready until a worker listens on the data_bank queue', async () => {
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      checks: { redis: 'ok', worker: expect.stringMatching(/^failed/) as string },
    });

    worker = startWorker({
      connection: createRedis(REDIS_URL, 'blocking'),
      queue: QUEUE,
      prefix,
      handlers: [verifyHandler(backend), gcHandler(backend, 30 * 24 * 60 * 60, () => now)],
      publisher: new EventPublisher(redis, { namespace }),
      logger,
    });
    await worker.worker.waitUntilReady();
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(`${url}/readyz`)).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ready).toBe(200);
  });

  it('verify re-hashes every file and quarantines the corrupt ones, publishing lifecycle events', async () => {
    const good = await put(backend, 'good file');
    const bad = await put(backend, 'bad file');
    await writeFile(join(root, bad.file_id.slice(0, 2), bad.file_id.slice(2, 4), bad.file_id, 'blob'), 'bad fil!');

    expect((await call('/v1/maintenance/verify', KEYS.reader, 'POST')).status).toBe(403);
    expect((await call('/v1/maintenance/rebuild', KEYS.admin, 'POST')).status).toBe(400);
    const accepted = await call('/v1/maintenance/verify', KEYS.deleter, 'POST');
    expect(accepted.status).toBe(202);
    const { job_id: jobId } = (await accepted.json()) as { job_id: string };

    const status = await finished(jobId);
    expect(status).toMatchObject({
      status: 'completed',
      user_id: '0',
      // The status document carries the job's whole outcome ({ result, result_id?, result_bytes? }).
      result: { checked: 2, corrupt_count: 1, quarantined: 1, corrupt: [{ id: bad.file_id }] },
    });
    expect(await backend.stat(bad.file_id)).toBeUndefined();
    expect(await backend.stat(good.file_id)).toBeDefined();
    expect(await eventTypes(jobId)).toEqual(['data_bank.job.started.v1', 'data_bank.job.completed.v1']);
    expect((await call(`/v1/jobs/${jobId}`, 'nobody')).status).toBe(401);
  });

  it('gc removes abandoned temp writes and files past the TTL', async () => {
    const fresh = await put(backend, 'fresh', new Date(now.getTime() - DAY));
    const expired = await put(backend, 'expired', new Date(now.getTime() - 31 * DAY));
    const abandoned = join(root, '.tmp', 'w-abandoned');
    await mkdir(abandoned);
    await writeFile(join(abandoned, 'blob'), 'half');
    const past = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(abandoned, 'blob'), past, past);
    await utimes(abandoned, past, past);
    const inProgress = await backend.beginWrite();
    inProgress.sink.write('still writing');

    const accepted = await call('/v1/maintenance/gc', KEYS.admin, 'POST');
    const { job_id: jobId } = (await accepted.json()) as { job_id: string };
    const status = await finished(jobId);
    expect(status).toMatchObject({
      status: 'completed',
      result: { temps_removed: 1, expired: 1, bytes_freed: 7 },
    });
    expect(await backend.stat(expired.file_id)).toBeUndefined();
    expect(await backend.stat(fresh.file_id)).toBeDefined();
    expect(await tempEntries(root)).toHaveLength(1);
    await inProgress.abort();
    expect(await eventTypes(jobId)).toEqual(['data_bank.job.started.v1', 'data_bank.job.completed.v1']);
  });

  it('returns the run a request with the same Idempotency-Key queued, and refuses a malformed key', async () => {
    const queueGc = (key?: string) =>
      fetch(`${url}/v1/maintenance/gc`, {
        method: 'POST',
        headers: { 'x-api-key': KEYS.deleter, ...(key !== undefined && { 'idempotency-key': key }) },
      });
    const jobIdOf = async (response: Response) => {
      expect(response.status).toBe(202);
      return ((await response.json()) as { job_id: string }).job_id;
    };
    const first = await jobIdOf(await queueGc('gc-once'));
    expect(await jobIdOf(await queueGc('gc-once'))).toBe(first);
    expect(await jobIdOf(await queueGc('gc-twice'))).not.toBe(first);
    expect(await jobIdOf(await queueGc())).not.toBe(first);
    const malformed = await queueGc('x'.repeat(201));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'INVALID_INPUT' });
    await finished(first);
  });

  it('registers the repeating schedules from the job definitions, and removes one set to 0', async () => {
    await scheduleMaintenance(queue, { gcEverySeconds: 3600, verifyEverySeconds: 0 });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every])).toEqual([['data_bank:gc', 3_600_000]]);
    // Every run gets the definition's schema defaults, attempts and backoff.
    expect(schedulers[0]?.template).toMatchObject({
      data: { user_id: '0', temp_age_seconds: 3600 },
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
    });
    await scheduleMaintenance(queue, { gcEverySeconds: 0, verifyEverySeconds: 0 });
    expect(await queue.getJobSchedulers()).toEqual([]);
  });
});

describe('job routes while Redis is down', () => {
  // Nothing listens on port 1: every Redis command fails as if Redis were down.
  const redis = createRedis('redis://127.0.0.1:1/0', 'command');
  const queue = createQueue({ connection: redis, queue: QUEUE });
  let app: Awaited<ReturnType<typeof buildApp>>;
  let root: string;

  beforeAll(async () => {
    root = await tempDir();
    app = await buildApp({
      config: appConfig(),
      logger,
      backend: await FsBackend.open(root),
      jobs: { redis, queue },
    });
  });
  afterAll(async () => {
    await app.close();
    await queue.close();
    await closeRedis(redis);
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['POST', '/v1/maintenance/verify', KEYS.deleter],
    ['GET', '/v1/jobs/some-job', KEYS.reader],
  ] as const)('%s %s answers 503 with Retry-After within seconds', async (method, path, key) => {
    const started = Date.now();
    const response = await app.inject({ method, url: path, headers: { 'x-api-key': key } });
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      request_id: expect.any(String) as string,
    });
  });

  it('is not ready, but the file routes keep working', async () => {
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    const upload = await app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { 'x-api-key': KEYS.admin, 'content-type': 'text/plain' },
      payload: 'stored without Redis',
    });
    expect(upload.statusCode).toBe(201);
  });
});
