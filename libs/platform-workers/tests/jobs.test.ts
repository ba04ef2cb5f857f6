import { createLogger, isJobEvent, type PlatformEvent } from '@platform/core';
import type { Queue } from 'bullmq';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EventPublisher,
  JobBase,
  closeRedis,
  createQueue,
  createRedis,
  defineJob,
  handleJob,
  scheduleJob,
  jobStatus,
  startWorker,
  type WorkerHandle,
} from '../src/index.js';
import { testJobs } from './fixtures/jobs.js';
import { deleteKeys, uniqueName, waitFor } from '@platform/testing';
import { REDIS_URL, collectEvents, silentLogger } from './helpers.js';

const prefix = uniqueName('bull');
const namespace = `${uniqueName('ev')}:`;
const queueName = 'testing';
const commands = createRedis(REDIS_URL, 'command');
const publisher = new EventPublisher(commands, { namespace });
const jobs = testJobs(queueName);
let queue: Queue;
let live: Awaited<ReturnType<typeof collectEvents>>;
const handles: WorkerHandle[] = [];

function work(options: { stalledIntervalMs?: number } = {}): WorkerHandle {
  const handle = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: queueName,
    prefix,
    handlers: Object.values(jobs),
    publisher,
    logger: silentLogger,
    ...options,
  });
  handles.push(handle);
  return handle;
}

const eventsOf = (jobId: string) => live.events.filter((event) => event.job_id === jobId);
const phases = (jobId: string) => eventsOf(jobId).map((event) => event.type.split('.')[2]);
const lastEvent = (jobId: string): PlatformEvent | undefined => eventsOf(jobId).at(-1);
const finished = (jobId: string) => () => eventsOf(jobId).some((e) => isJobEvent(e, 'completed') || isJobEvent(e, 'failed'));

beforeAll(async () => {
  queue = createQueue({ connection: commands, queue: queueName, prefix });
  live = await collectEvents(['testing'], namespace);
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close(100)));
});
afterAll(async () => {
  await live.stop();
  await queue.close();
  await deleteKeys(commands, `${prefix}:*`);
  await deleteKeys(commands, `${namespace}*`);
  await closeRedis(commands);
});

describe('job lifecycle', () => {
  it('runs a job: started, progress, completed, and a status document from BullMQ state', async () => {
    work();
    const id = await jobs.echo.definition.enqueue(queue, { user_id: '1234567890123456789', text: 'hi' });
    await waitFor(finished(id));
    expect(phases(id)).toEqual(['started', 'progress', 'completed']);
    expect(eventsOf(id)[1]).toMatchObject({ progress: 50, message: 'half way', payload: { seen: 1 } });
    expect(lastEvent(id)).toMatchObject({ user_id: '1234567890123456789', result: { echoed: 'hi', attempt: 1 } });
    await waitFor(async () => (await jobStatus(queue, id))?.status === 'completed');
    expect(await jobStatus(queue, id)).toMatchObject({
      job_id: id,
      user_id: '1234567890123456789',
      status: 'completed',
      progress: 100,
      message: 'half way',
      result: { echoed: 'hi', attempt: 1 },
      result_id: null,
      error: null,
    });
  });

  it('validates data on enqueue', async () => {
    await expect(jobs.echo.definition.enqueue(queue, { user_id: 'abc', text: 'x' })).rejects.toThrow(/user_id/);
    const other = defineJob({ domain: 'x', queue: 'elsewhere', name: 'n', schema: JobBase });
    await expect(other.enqueue(queue, { user_id: '1' })).rejects.toThrow(/belongs to queue elsewhere/);
  });

  it('schedules a repeating job from its definition (data checked, attempts and backoff applied) and removes it', async () => {
    await expect(scheduleJob(queue, jobs.flaky.definition, { everyMs: 60_000, data: { user_id: 'x', failures: 0 } })).rejects.toThrow(
      /user_id/,
    );
    await scheduleJob(queue, jobs.flaky.definition, { everyMs: 60_000, data: { user_id: '0', failures: 0 } });
    const scheduler = await queue.getJobScheduler('testing:flaky');
    expect(scheduler).toMatchObject({ name: 'flaky', every: 60_000, template: { data: { user_id: '0', failures: 0 } } });
    const next = (await queue.getJobs(['delayed', 'waiting'])).find((job) => job.name === 'flaky');
    expect(next?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 10 } });
    await scheduleJob(queue, jobs.flaky.definition, { everyMs: 0, data: { user_id: '0', failures: 0 } });
    await next?.remove();
    expect((await queue.getJobSchedulers()).map((entry) => entry.key)).not.toContain('testing:flaky');
  });

  it('fails a user error at once without retry', async () => {
    work();
    const id = await jobs.userFailure.definition.enqueue(queue, { user_id: '5' });
    await waitFor(finished(id));
    expect(phases(id)).toEqual(['started', 'failed']);
    expect(lastEvent(id)).toMatchObject({ error_kind: 'user', message: 'no such file' });
    const status = await jobStatus(queue, id);
    expect(status).toMatchObject({ status: 'failed', error: { kind: 'user', message: 'no such file' } });
    expect((await queue.getJob(id))?.attemptsMade).toBe(1);
  });

  it('retries system errors and publishes failed only once the tries are used up', async () => {
    work();
    const recovers = await jobs.flaky.definition.enqueue(queue, { user_id: '5', failures: 2 });
    const never = await jobs.flaky.definition.enqueue(queue, { user_id: '5', failures: 5 });
    await waitFor(finished(recovers));
    await waitFor(finished(never));
    expect(phases(recovers)).toEqual(['started', 'started', 'started', 'completed']);
    expect(lastEvent(recovers)).toMatchObject({ result: { attempt: 3 } });
    expect(phases(never)).toEqual(['started', 'started', 'started', 'failed']);
    expect(lastEvent(never)).toMatchObject({ error_kind: 'system', message: 'transient failure 3' });
  });

  it('fails a job that runs past its timeout as a system error', async () => {
    work();
    const id = await jobs.slow.definition.enqueue(queue, { user_id: '5', ms: 5_000 });
    await waitFor(finished(id));
    expect(lastEvent(id)).toMatchObject({ error_kind: 'system', message: 'job timed out after 300 ms' });
  });

  it('releases a running job back to the queue when the worker stops, for another worker to finish', async () => {
    const first = work();
    const id = await jobs.slow.definition.enqueue(queue, { user_id: '5', ms: 200 });
    await waitFor(() => phases(id).includes('started'));
    // A grace period shorter than the job: the job is released, not failed.
    handles.splice(handles.indexOf(first), 1);
    await first.close(20);
    expect((await jobStatus(queue, id))?.status).toBe('queued');
    work();
    await waitFor(finished(id));
    expect(phases(id)).toEqual(['started', 'started', 'completed']);
  });

  it('fails a job whose worker process died (stalled) with a system error', async () => {
    const stalledQueue = `${queueName}-stalled`;
    const stalled = createQueue({ connection: commands, queue: stalledQueue, prefix });
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'tests/fixtures/hanging-worker.ts', REDIS_URL, prefix, stalledQueue, namespace],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const started = new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        resolve();
      }),
    );
    const hang = handleJob(defineJob({ domain: 'testing', queue: stalledQueue, name: 'hang', schema: JobBase }), () => Promise.resolve({}));
    const id = await hang.definition.enqueue(stalled, { user_id: '9' }, { jobId: uniqueName('stalled') });
    await started;
    expect((await jobStatus(stalled, id))?.status).toBe('processing');
    child.kill('SIGKILL');

    const survivor = startWorker({
      connection: createRedis(REDIS_URL, 'blocking'),
      queue: stalledQueue,
      prefix,
      handlers: [hang],
      publisher,
      logger: silentLogger,
      stalledIntervalMs: 300,
    });
    handles.push(survivor);
    await waitFor(finished(id), 15_000);
    expect(phases(id)).toEqual(['started', 'failed']);
    expect(lastEvent(id)).toMatchObject({ error_kind: 'system', message: expect.stringContaining('stalled') as string });
    expect(await jobStatus(stalled, id)).toMatchObject({ status: 'failed', error: { kind: 'system' } });
    await stalled.close();
  }, 30_000);

  it('finishes the running job on SIGTERM, then exits cleanly', async () => {
    const gracefulQueue = `${queueName}-graceful`;
    const graceful = createQueue({ connection: commands, queue: gracefulQueue, prefix });
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'tests/fixtures/graceful-worker.ts', REDIS_URL, prefix, gracefulQueue, namespace],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const started = new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const work = handleJob(
      defineJob({ domain: 'testing', queue: gracefulQueue, name: 'work', schema: JobBase.extend({ ms: z.number() }) }),
      () => Promise.resolve({}),
    );
    const id = await work.definition.enqueue(graceful, { user_id: '3', ms: 400 }, { jobId: uniqueName('graceful') });
    await started;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await jobStatus(graceful, id)).toMatchObject({ status: 'completed', result: { slept: 400 } });
    await waitFor(finished(id));
    expect(phases(id)).toEqual(['started', 'completed']);
    await graceful.close();
  }, 30_000);
});

describe('status and logs of a job', () => {
  it('shows a job waiting for its retry as queued, retrying and why, not its stale progress', async () => {
    const retried = handleJob(
      defineJob({
        domain: 'testing',
        queue: queueName,
        name: 'retried',
        schema: JobBase,
        attempts: 3,
        backoffMs: 60_000,
      }),
      async (_data, ctx) => {
        await ctx.progress(40, 'transcribing');
        throw new Error('upstream refused');
      },
    );
    handles.push(
      startWorker({
        connection: createRedis(REDIS_URL, 'blocking'),
        queue: queueName,
        prefix,
        handlers: [retried],
        publisher,
        logger: silentLogger,
      }),
    );
    const id = await retried.definition.enqueue(queue, { user_id: '6' });
    await waitFor(async () => (await queue.getJob(id))?.attemptsMade === 1);
    expect(await jobStatus(queue, id)).toMatchObject({
      status: 'queued',
      progress: 0,
      message: 'retrying (attempt 2 of 3): upstream refused',
      error: null,
    });
  });

  it('writes job_id once on every log line of a job', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line !== ''),
        );
        done();
      },
    });
    const logger = createLogger({ service: 'log-test', destination });
    const logged = handleJob(
      defineJob({
        domain: 'testing',
        queue: queueName,
        name: 'logged',
        schema: JobBase,
        attempts: 1,
      }),
      (_data, ctx) => {
        ctx.logger.info('working');
        return Promise.reject(new Error('logged failure'));
      },
    );
    handles.push(
      startWorker({ connection: createRedis(REDIS_URL, 'blocking'), queue: queueName, prefix, handlers: [logged], publisher, logger }),
    );
    const id = await logged.definition.enqueue(queue, { user_id: '6' });
    await waitFor(finished(id));
    const jobLines = lines.filter((line) => line.includes(id));
    expect(jobLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(expect.arrayContaining(['working', 'job failed']));
    for (const line of jobLines) expect(line.split('"job_id"').length - 1).toBe(1);
  });
});
