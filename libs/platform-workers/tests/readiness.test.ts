import { createApp, createLogger, type PlatformApp } from '@platform/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EventPublisher,
  closeRedis,
  createQueue,
  createRedis,
  redisReadiness,
  registerJobStatusRoute,
  startWorker,
  workerReadiness,
  type WorkerHandle,
} from '../src/index.js';
import { testJobs } from './fixtures/jobs.js';
import { freePort, waitFor } from '@platform/testing';
import { collectEvents, silentLogger } from './helpers.js';

/** A private redis-server, so the test can take Redis away without disturbing anyone else. */
function startRedisServer(port: number): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
}

const port = await freePort();
const url = `redis://127.0.0.1:${port}/0`;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  // Best effort: the private Redis may be gone when a close runs; every one still gets its turn.
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('readiness and recovery when Redis comes and goes', () => {
  it('starts without Redis, answers 503 with the reason, and recovers when Redis returns', async () => {
    const commands = createRedis(url, 'command');
    const queue = createQueue({ connection: commands, queue: 'testing' });
    const app: PlatformApp = await createApp({
      service: 'readiness-test',
      version: '0',
      logger: createLogger({ service: 'readiness-test', level: 'silent' }),
      readiness: [redisReadiness(commands), workerReadiness(queue)],
      readinessTimeoutMs: 500,
    });
    registerJobStatusRoute(app, queue, 'public');
    cleanups.push(
      () => app.close(),
      () => queue.close(),
      () => closeRedis(commands),
    );

    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'degraded', checks: { redis: expect.stringMatching(/^failed: /) as string } });
    expect(down.json<{ reason: string }>().reason).toMatch(/^redis: /);

    const server = startRedisServer(port);
    cleanups.push(async () => {
      server.kill('SIGKILL');
      await Promise.resolve();
    });
    await waitFor(() => commands.status === 'ready', 15_000);
    const noWorker = await app.inject({ url: '/readyz' });
    expect(noWorker.statusCode).toBe(503);
    expect(noWorker.json()).toMatchObject({ checks: { redis: 'ok', worker: 'failed: no live worker on queue testing' } });

    const jobs = testJobs('testing');
    const publisherRedis = createRedis(url, 'command');
    const worker: WorkerHandle = startWorker({
      connection: createRedis(url, 'blocking'),
      queue: 'testing',
      handlers: Object.values(jobs),
      publisher: new EventPublisher(publisherRedis),
      logger: silentLogger,
    });
    cleanups.push(
      () => worker.close(100),
      () => closeRedis(publisherRedis),
    );
    await waitFor(async () => (await app.inject({ url: '/readyz' })).statusCode === 200, 10_000);

    const missing = await app.inject({ url: '/v1/jobs/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('keeps working after every connection is dropped, without losing or repeating completed jobs', async () => {
    const live = await collectEvents(['testing'], '', url);
    cleanups.push(() => live.stop());
    const commands = createRedis(url, 'command');
    const queue = createQueue({ connection: commands, queue: 'testing' });
    cleanups.push(
      () => queue.close(),
      () => closeRedis(commands),
    );
    const jobs = testJobs('testing');
    const before = await jobs.echo.definition.enqueue(queue, { user_id: '1', text: 'before' });
    await waitFor(() => live.events.some((event) => event.job_id === before && event.type.endsWith('completed.v1')));

    const admin = createRedis(url, 'command');
    expect(await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes')).toBeGreaterThan(0);
    expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBeGreaterThan(0);
    await closeRedis(admin);

    await waitFor(() => commands.status === 'ready', 10_000);
    const after = await jobs.echo.definition.enqueue(queue, { user_id: '1', text: 'after' });
    await waitFor(() => live.events.some((event) => event.job_id === after && event.type.endsWith('completed.v1')), 15_000);
    const completions = live.events.filter((event) => event.type.endsWith('completed.v1')).map((event) => event.job_id);
    expect(completions.filter((id) => id === before)).toHaveLength(1);
    expect(completions.filter((id) => id === after)).toHaveLength(1);
  }, 30_000);
});
