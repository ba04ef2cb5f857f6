import { AppError, createApp } from '@platform/core';
import type { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventPublisher, JobBase, closeRedis, createQueue, createRedis, defineJob, handleJob } from '../src/index.js';
import { jobStatus, redisUnavailable, registerJobStatusRoute, startWorker } from '../src/index.js';
import { startStallableProxy } from './proxy.js';
import { deleteKeys, freePort, uniqueName, waitFor } from '@platform/testing';
import { REDIS_URL, collectEvents, silentLogger } from './helpers.js';

const prefix = uniqueName('bull');
const namespace = `${uniqueName('ev')}:`;
const direct = createRedis(REDIS_URL, 'command');
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  // Best effort: a close on a connection the test broke may fail; every one still gets its turn.
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await deleteKeys(direct, `${prefix}:*`);
  await deleteKeys(direct, `${namespace}*`);
  await closeRedis(direct);
}, 30_000);

const echo = (queue: string) =>
  handleJob(defineJob({ domain: 'testing', queue, name: 'echo', schema: JobBase.extend({ text: z.string() }) }), (data) =>
    Promise.resolve({ result: { echoed: data.text } }),
  );

function queueOn(url: string, name: string): Queue {
  const connection = createRedis(url, 'command');
  const queue = createQueue({ connection, queue: name, prefix });
  cleanups.push(
    () => queue.close(),
    () => closeRedis(connection),
  );
  return queue;
}

async function closedPortUrl(): Promise<string> {
  return `redis://127.0.0.1:${String(await freePort())}/0`;
}

async function elapsed<T>(work: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { ms: Date.now() - start, error };
}

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, headers: { 'retry-after': '5' } });
}

describe('idempotent enqueue', () => {
  it('returns the same job for the same key, user and job, and a new one otherwise', async () => {
    const queue = queueOn(REDIS_URL, uniqueName('idem'));
    const job = echo(queue.name);
    const first = await job.definition.enqueue(queue, { user_id: '7', text: 'a' }, { idempotencyKey: 'key-1' });
    expect(await job.definition.enqueue(queue, { user_id: '7', text: 'a' }, { idempotencyKey: 'key-1' })).toBe(first);
    expect(await job.definition.enqueue(queue, { user_id: '8', text: 'a' }, { idempotencyKey: 'key-1' })).not.toBe(first);
    expect(await job.definition.enqueue(queue, { user_id: '7', text: 'a' }, { idempotencyKey: 'key-2' })).not.toBe(first);
    expect(await job.definition.enqueue(queue, { user_id: '7', text: 'a' })).not.toBe(first);
    expect(await queue.getJobCountByTypes('waiting')).toBe(4);
  });
});

describe('Redis unreachable or stalled', () => {
  it('fails an enqueue within seconds with 503 while Redis stalls; a retry with the key finds the one job', async () => {
    const proxy = await startStallableProxy(REDIS_URL);
    cleanups.push(() => proxy.close());
    const queue = queueOn(proxy.url, uniqueName('stall'));
    const job = echo(queue.name);
    await queue.waitUntilReady();
    await job.definition.enqueue(queue, { user_id: '1', text: 'warm up' });

    const stall = proxy.stall(10_000);
    const attempt = await elapsed(job.definition.enqueue(queue, { user_id: '1', text: 'x' }, { idempotencyKey: 'retry-me' }));
    expect(attempt.ms).toBeLessThan(4_500);
    expectUnavailable(attempt.error);
    const status = await elapsed(jobStatus(queue, 'anything'));
    expect(status.ms).toBeLessThan(4_500);
    expectUnavailable(status.error);
    await stall;

    // The stalled add landed after all (the outcome was unknown): the retry must not add a second job.
    const id = await job.definition.enqueue(queue, { user_id: '1', text: 'x' }, { idempotencyKey: 'retry-me' });
    expect(await job.definition.enqueue(queue, { user_id: '1', text: 'x' }, { idempotencyKey: 'retry-me' })).toBe(id);
    expect(await queue.getJobCountByTypes('waiting')).toBe(2);
  }, 25_000);

  it('answers 503 with Retry-After from the job status route while Redis is down', async () => {
    const queue = queueOn(await closedPortUrl(), 'down');
    const app = await createApp({ service: 'blips-test', version: '0', logger: silentLogger });
    registerJobStatusRoute(app, queue, 'public', '/jobs');
    cleanups.push(() => app.close());
    const started = Date.now();
    const response = await app.inject({ url: '/jobs/some-id' });
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expectUnavailable(await elapsed(echo('down').definition.enqueue(queue, { user_id: '1', text: 'x' })).then((r) => r.error));
  });

  it('maps connection errors to 503 and leaves other errors alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expectUnavailable(redisUnavailable(refused));
    expectUnavailable(redisUnavailable(new Error('Command timed out')));
    expectUnavailable(redisUnavailable(new Error('LOADING Redis is loading the dataset in memory')));
    expectUnavailable(redisUnavailable(new Error('wrapped', { cause: refused })));
    const other = new Error('BUSYGROUP Consumer Group name already exists');
    expect(redisUnavailable(other)).toBe(other);
  });

  it('completes a job whose work finished while Redis stalled longer than its lock', async () => {
    const proxy = await startStallableProxy(REDIS_URL);
    cleanups.push(() => proxy.close());
    const name = uniqueName('finish');
    const queue = queueOn(REDIS_URL, name);
    const live = await collectEvents(['testing'], namespace);
    cleanups.push(() => live.stop());
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const work = handleJob(defineJob({ domain: 'testing', queue: name, name: 'work', schema: JobBase }), async () => {
      await gate;
      return { result: { done: true } };
    });
    const handle = startWorker({
      connection: createRedis(proxy.url, 'blocking'),
      queue: name,
      prefix,
      handlers: [work],
      publisher: new EventPublisher(direct, { namespace }),
      logger: silentLogger,
      lockDurationMs: 1_500,
    });
    cleanups.push(() => handle.close(100));
    const id = await work.definition.enqueue(queue, { user_id: '2' });
    await waitFor(async () => (await jobStatus(queue, id))?.status === 'processing');

    const stall = proxy.stall(6_000);
    setTimeout(finish, 500);
    await stall;
    await waitFor(async () => (await jobStatus(queue, id))?.status === 'completed', 10_000);
    expect(await jobStatus(queue, id)).toMatchObject({ status: 'completed', result: { done: true } });
    await waitFor(() => live.events.some((event) => event.job_id === id && event.type === 'testing.job.completed.v1'));
  }, 30_000);

  it('never raises an unhandled rejection from job handlers or event publishing when Redis goes away', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    cleanups.push(() => Promise.resolve(process.off('unhandledRejection', onRejection)));

    const name = uniqueName('handlers');
    const queue = queueOn(REDIS_URL, name);
    const deadPublisher = createRedis(await closedPortUrl(), 'command');
    cleanups.push(() => closeRedis(deadPublisher));
    const failing = handleJob(defineJob({ domain: 'testing', queue: name, name: 'fail', schema: JobBase, attempts: 1 }), () =>
      Promise.reject(new Error('boom')),
    );
    const connection = createRedis(REDIS_URL, 'blocking');
    const handle = startWorker({
      connection,
      queue: name,
      prefix,
      handlers: [failing],
      publisher: new EventPublisher(deadPublisher),
      logger: silentLogger,
    });
    cleanups.push(() => handle.close(100));
    // The worker's own connection goes away the moment the job has failed, while the handlers run.
    let failed = false;
    handle.worker.on('failed', () => {
      failed = true;
      connection.disconnect();
    });
    await failing.definition.enqueue(queue, { user_id: '3' });
    await waitFor(() => failed);
    await new Promise((resolve) => setTimeout(resolve, 3_500)); // past the dead publisher's command timeout
    expect(rejections).toEqual([]);
  }, 20_000);
});
