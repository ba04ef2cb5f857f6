import { createApp, isJobEvent, type PlatformApp } from '@platform/core';
import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CANCELLED_BY_USER,
  EventPublisher,
  closeRedis,
  createQueue,
  createRedis,
  jobStatus,
  registerJobRoutes,
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
let app: PlatformApp;
let live: Awaited<ReturnType<typeof collectEvents>>;
const handles: WorkerHandle[] = [];

function work(): WorkerHandle {
  const handle = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: queueName,
    prefix,
    handlers: Object.values(jobs),
    publisher,
    logger: silentLogger,
  });
  handles.push(handle);
  return handle;
}

const cancel = (jobId: string) => app.inject({ method: 'DELETE', url: `/v1/jobs/${jobId}` });
const eventsOf = (jobId: string) => live.events.filter((event) => event.job_id === jobId);
const failedEvent = (jobId: string) => eventsOf(jobId).find((event) => isJobEvent(event, 'failed'));

beforeAll(async () => {
  queue = createQueue({ connection: commands, queue: queueName, prefix });
  live = await collectEvents(['testing'], namespace);
  app = await createApp({ service: 'cancel-test', version: '0', logger: silentLogger });
  registerJobRoutes(app, queue, 'public');
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close(100)));
});
afterAll(async () => {
  await app.close();
  await live.stop();
  await queue.close();
  await deleteKeys(commands, `${prefix}:*`);
  await deleteKeys(commands, `${namespace}*`);
  await closeRedis(commands);
});

describe('DELETE /v1/jobs/{id}', () => {
  it('cancels a running job through its signal, in whichever worker runs it: failed as a user error, with its event', async () => {
    work();
    work(); // two workers: the request reaches the one running the job over the cancel channel
    const id = await jobs.patient.definition.enqueue(queue, { user_id: '7' });
    await waitFor(async () => (await jobStatus(queue, id))?.message === 'waiting for a cancel');
    const response = await cancel(id);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ job_id: id, user_id: '7', status: 'cancelling' });
    await waitFor(() => failedEvent(id) !== undefined, 5_000);
    expect(failedEvent(id)).toMatchObject({ error_kind: 'user', message: CANCELLED_BY_USER });
    expect(await jobStatus(queue, id)).toMatchObject({ status: 'failed', error: { kind: 'user', message: CANCELLED_BY_USER } });
    expect((await cancel(id)).statusCode).toBe(409);
  });

  it('cancels a job that is still waiting: it fails when a worker takes it, without starting', async () => {
    const id = await jobs.echo.definition.enqueue(queue, { user_id: '8', text: 'never' });
    expect((await cancel(id)).statusCode).toBe(202);
    work();
    await waitFor(() => failedEvent(id) !== undefined, 5_000);
    expect(eventsOf(id).some((event) => isJobEvent(event, 'started'))).toBe(false);
    expect(await jobStatus(queue, id)).toMatchObject({ status: 'failed', error: { kind: 'user', message: CANCELLED_BY_USER } });
  });

  it('answers 409 for a finished job and 404 for an unknown one, in the error envelope', async () => {
    work();
    const id = await jobs.echo.definition.enqueue(queue, { user_id: '9', text: 'done' });
    await waitFor(async () => (await jobStatus(queue, id))?.status === 'completed');
    const finished = await cancel(id);
    expect(finished.statusCode).toBe(409);
    expect(finished.json()).toMatchObject({ code: 'CONFLICT', message: `Job ${id} has already completed` });
    expect((await cancel('no-such-job')).json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
