import { createApp, type PlatformApp } from '@platform/core';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  IdempotencyKeyHeaders,
  JobBase,
  closeRedis,
  createQueue,
  createRedis,
  defineJob,
  handleJob,
  idempotencyKeyOf,
} from '../src/index.js';
import { deleteKeys, uniqueName } from '@platform/testing';
import { REDIS_URL, silentLogger } from './helpers.js';

const prefix = uniqueName('bull');
const commands = createRedis(REDIS_URL, 'command');
const job = handleJob(defineJob({ domain: 'testing', queue: 'testing', name: 'echo', schema: JobBase.extend({ text: z.string() }) }), () =>
  Promise.resolve({}),
);
let queue: Queue;
let app: PlatformApp;

beforeAll(async () => {
  queue = createQueue({ connection: commands, queue: 'testing', prefix });
  app = await createApp({ service: 'idempotency-test', version: '0', logger: silentLogger });
  app.post(
    '/things',
    { schema: { headers: IdempotencyKeyHeaders, body: z.object({ user_id: z.string(), text: z.string() }) } },
    async (request, reply) => {
      const jobId = await job.definition.enqueue(queue, request.body, { idempotencyKey: idempotencyKeyOf(request.headers) });
      return reply.status(202).send({ job_id: jobId, status: 'queued', api_key_seen: request.headers['x-api-key'] ?? null });
    },
  );
});
afterAll(async () => {
  await app.close();
  await queue.close();
  await deleteKeys(commands, `${prefix}:*`);
  await closeRedis(commands);
});

const post = (headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/things', headers: { 'x-api-key': 'k', ...headers }, payload: { user_id: '42', text: 'hi' } });

describe('Idempotency-Key on a route that enqueues', () => {
  it('answers a retry with the same key with the same 202 body and job_id', async () => {
    const first = await post({ 'idempotency-key': 'order-1' });
    const again = await post({ 'idempotency-key': 'order-1' });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ api_key_seen: 'k' }); // the header schema keeps the other headers
    const unkeyed = await Promise.all([post({}), post({})]);
    expect(new Set(unkeyed.map((response) => response.json<{ job_id: string }>().job_id)).size).toBe(2);
  });

  it.each([['x'.repeat(201)], ['has space'], ['tab\there']])('answers 400 INVALID_INPUT for the key %j', async (key) => {
    const response = await post({ 'idempotency-key': key });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('accepts 1 to 200 visible ASCII characters and no header at all', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': '~'.repeat(200) })).toBe('~'.repeat(200));
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(() => idempotencyKeyOf({ 'idempotency-key': '' })).toThrow(/Idempotency-Key must be 1 to 200 visible ASCII/);
    expect(() => idempotencyKeyOf({ 'idempotency-key': 'ключ' })).toThrow(/Idempotency-Key/);
    expect(() => idempotencyKeyOf({ 'idempotency-key': ['a', 'b'] })).toThrow();
  });

  it('documents the header in the OpenAPI document', async () => {
    await app.ready();
    expect(JSON.stringify(app.swagger())).toContain('idempotency-key');
  });
});
