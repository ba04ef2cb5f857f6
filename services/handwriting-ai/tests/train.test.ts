import { deleteKeys } from '@platform/testing';
import { startWorker, EventPublisher, createRedis, closeRedis, type WorkerHandle } from '@platform/workers';
import type { Redis } from 'ioredis';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_MODELS_DIR } from '../src/config.js';
import { activateShippedModel } from '../src/services/initial-model.js';
import { digitsRegistry } from '../src/services/model-files.js';
import { DIGITS_QUEUE } from '../src/jobs/train.js';
import { trainHandler } from '../src/workers/train.js';
import { logger, makeApp, modelWorld, REDIS_URL, type ModelWorld, type TestApp } from './helpers/app.js';
import { DIGIT_STROKES, drawDigit, encode } from './helpers/draw.js';
import { idxSubset, mnistFiles, PYTHON } from './helpers/kernel.js';

let world: ModelWorld;
let api: TestApp;
let worker: WorkerHandle;
let subscriber: Redis;
const prefix = `test-handwriting-train-${String(process.pid)}-${String(Date.now())}`;
const events: Array<{ type: string; metrics?: Record<string, unknown> }> = [];

beforeAll(async () => {
  world = await modelWorld();
  api = await makeApp(world, { prefix, models: [] });
  subscriber = createRedis(REDIS_URL, 'command');
  await subscriber.subscribe(`${prefix}:digits:events`);
  subscriber.on('message', (_channel, message: string) => events.push(JSON.parse(message) as (typeof events)[number]));
  const registry = digitsRegistry(world.redis, prefix);
  const publisher = new EventPublisher(world.redis, { namespace: `${prefix}:` });
  worker = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: DIGITS_QUEUE,
    prefix: `${prefix}:bull`,
    handlers: [trainHandler({ files: world.files, registry, publisher, logger, python: PYTHON })],
    publisher,
    logger,
  });
}, 180_000);
afterAll(async () => {
  await worker.close(1000);
  await api.close();
  await closeRedis(subscriber);
  await deleteKeys(world.redis, `${prefix}*`);
  await world.close();
});

const tiny = {
  user_id: '42',
  epochs: 1,
  max_steps: 6,
  batch_size: 32,
  limit_train: 1000,
  limit_test: 100,
  validation_size: 200,
  threads: 1,
};

describe('POST /v1/models/train', () => {
  it('trains through the real kernel, publishes epoch metrics, registers a model that can be activated and read with', async () => {
    const post = () =>
      api.app.inject({ method: 'POST', url: '/v1/models/train', payload: tiny, headers: { 'idempotency-key': 'tiny-run' } });
    const queued = await post();
    expect(queued.statusCode).toBe(202);
    const { job_id } = queued.json<{ job_id: string }>();
    expect((await post()).json<{ job_id: string }>().job_id).toBe(job_id);

    const status = async () =>
      (await api.app.inject({ method: 'GET', url: `/v1/jobs/${job_id}` })).json<{
        status: string;
        result: { model_id: string; file_id: string; metrics: Record<string, number> } | null;
        error: unknown;
      }>();
    await expect.poll(async () => (await status()).status, { timeout: 150_000, interval: 500 }).toMatch(/completed|failed/);
    const done = await status();
    expect(done.error).toBeNull();
    const result = done.result;
    expect(result?.file_id).toMatch(/^[0-9a-f]{64}$/);
    expect(result?.metrics.onnx_parity_max_abs).toBeLessThan(1e-4);
    const epoch = events.find((event) => event.type === 'digits.metrics.epoch.v1');
    expect(epoch?.metrics).toMatchObject({ epoch: 1 });

    // registered, not active (the request did not ask for it); then activated and read with
    const list = (await api.app.inject({ method: 'GET', url: '/v1/models' })).json<{ models: Array<{ id: string; active: boolean }> }>();
    expect(list.models).toEqual([expect.objectContaining({ id: result?.model_id, active: false })]);
    expect((await api.app.inject({ method: 'POST', url: `/v1/models/${result?.model_id ?? ''}/activate` })).statusCode).toBe(200);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await encode(drawDigit(DIGIT_STROKES.seven)))], { type: 'image/png' }), 'seven.png');
    const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const read = await fetch(`${url}/v1/read`, { method: 'POST', body: form });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { model_id: string }).model_id).toBe(result?.model_id);
  }, 180_000);

  it('trains on IDX files from data-bank (gzip or plain) and fails a bad dataset as a user error', async () => {
    const upload = async (data: Buffer) => (await world.bank.client.upload({ kind: 'buffer', data })).file_id;
    const [images, labels] = await Promise.all([idxSubset(mnistFiles().train_images, 600), idxSubset(mnistFiles().train_labels, 600)]);
    const dataset = { train_images_file_id: await upload(gzipSync(images)), train_labels_file_id: await upload(labels) };
    const run = async (payload: object) => {
      const queued = await api.app.inject({
        method: 'POST',
        url: '/v1/models/train',
        payload: { ...tiny, limit_train: undefined, limit_test: undefined, max_steps: 2, validation_size: 100, ...payload },
      });
      expect(queued.statusCode).toBe(202);
      const { job_id } = queued.json<{ job_id: string }>();
      const status = async () =>
        (await api.app.inject({ method: 'GET', url: `/v1/jobs/${job_id}` })).json<{
          status: string;
          error: { kind: string; message: string } | null;
        }>();
      await expect.poll(async () => (await status()).status, { timeout: 120_000, interval: 500 }).toMatch(/completed|failed/);
      return status();
    };
    expect(await run({ dataset })).toMatchObject({ status: 'completed', error: null });

    const swapped = await run({
      dataset: { train_images_file_id: dataset.train_labels_file_id, train_labels_file_id: dataset.train_images_file_id },
    });
    expect(swapped).toMatchObject({ status: 'failed', error: { kind: 'user' } });
    expect(swapped.error?.message).toContain('train_images/train_labels: shapes (600,) and (600, 28, 28) do not pair');
    const missing = await run({ dataset: { ...dataset, train_labels_file_id: 'f'.repeat(64) } });
    expect(missing).toMatchObject({ status: 'failed', error: { kind: 'user' } });
    expect(missing.error?.message).toContain('no file');
    const halfTest = await api.app.inject({
      method: 'POST',
      url: '/v1/models/train',
      payload: { ...tiny, dataset: { ...dataset, test_images_file_id: dataset.train_images_file_id } },
    });
    expect(halfTest.statusCode).toBe(400);
  }, 180_000);

  it('cancels a running training job: DELETE /v1/jobs/{id} stops the kernel, the job fails as cancelled', async () => {
    const queued = await api.app.inject({
      method: 'POST',
      url: '/v1/models/train',
      payload: { ...tiny, max_steps: undefined, epochs: 50 },
    });
    const { job_id } = queued.json<{ job_id: string }>();
    const status = async () =>
      (await api.app.inject({ method: 'GET', url: `/v1/jobs/${job_id}` })).json<{
        status: string;
        progress: number;
        error: { kind: string; message: string } | null;
      }>();
    await expect.poll(async () => (await status()).progress, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
    expect((await api.app.inject({ method: 'DELETE', url: `/v1/jobs/${job_id}` })).statusCode).toBe(202);
    await expect.poll(async () => (await status()).status, { timeout: 15_000, interval: 200 }).toBe('failed');
    expect((await status()).error).toEqual({ kind: 'user', message: 'cancelled by the user' });
  }, 90_000);

  it('refuses an invalid request before queueing', async () => {
    expect((await api.app.inject({ method: 'POST', url: '/v1/models/train', payload: { ...tiny, epochs: 0 } })).statusCode).toBe(400);
  });
});

describe('the shipped model', () => {
  it('is registered and activated when the registry has no active model, once', async () => {
    const registry = digitsRegistry(world.redis, world.prefix());
    await activateShippedModel(registry, world.files, SHIPPED_MODELS_DIR, logger);
    await activateShippedModel(registry, world.files, SHIPPED_MODELS_DIR, logger);
    expect((await registry.list()).map((model) => [model.id, model.active])).toEqual([['digits-cpu-v1', true]]);
  });
});
