import { waitFor } from '@platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers, startService, type Harness } from './helpers.js';

let service: Harness;

beforeAll(async () => {
  service = await startService({ EXAMPLE_MAX_TEXT_CHARS: '1000' });
});

afterAll(async () => {
  await service.close();
});

describe('probes', () => {
  it('is alive', async () => {
    const response = await service.app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready with Redis and a live worker on the queue', async () => {
    // The worker's first heartbeat can take a moment after start.
    await waitFor(async () => (await service.app.inject({ url: '/readyz' })).statusCode === 200, 10_000, 'readiness');
    const response = await service.app.inject({ url: '/readyz' });
    expect(response.json()).toEqual({ status: 'ready', checks: { redis: 'ok', worker: 'ok' } });
  });
});

describe('POST /v1/word-counts', () => {
  const count = (payload: unknown, requestHeaders: Record<string, string> = headers()) =>
    service.app.inject({
      method: 'POST',
      url: '/v1/word-counts',
      headers: requestHeaders,
      payload: payload as object,
    });

  it('refuses a caller without a key, and a request that names no user', async () => {
    expect((await count({ text: 'a b' }, {})).statusCode).toBe(401);
    expect((await count({ text: 'a b' }, { 'x-api-key': headers()['x-api-key'] })).statusCode).toBe(401);
  });

  it('answers 400 in the error envelope for a bad body and a text over the limit', async () => {
    const missing = await count({});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'INVALID_INPUT' });
    const long = await count({ text: 'a '.repeat(600) });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The text is longer than 1000 characters',
    });
  });

  it('runs the job on the worker; its status and result are in GET /v1/jobs/{id}', async () => {
    const queued = await count({ text: 'the quick brown fox jumps' });
    expect(queued.statusCode).toBe(202);
    const { job_id: jobId } = queued.json<{ job_id: string }>();
    const status = async () =>
      (await service.app.inject({ url: `/v1/jobs/${jobId}`, headers: headers() })).json<{
        status: string;
        result?: unknown;
      }>();
    await waitFor(async () => (await status()).status === 'completed', 10_000, 'the job to complete');
    expect(await status()).toMatchObject({
      status: 'completed',
      user_id: '42',
      result: { words: 5, longest: 'quick' },
    });
  });

  it("fails a text of only spaces as the user's error, without a retry", async () => {
    const queued = await count({ text: '   ' });
    const { job_id: jobId } = queued.json<{ job_id: string }>();
    const status = async () => (await service.app.inject({ url: `/v1/jobs/${jobId}`, headers: headers() })).json<{ status: string }>();
    await waitFor(async () => (await status()).status === 'failed', 10_000, 'the job to fail');
    expect(await status()).toMatchObject({
      status: 'failed',
      error: { kind: 'user', message: 'the text has no words' },
    });
    expect((await service.queue.getJob(jobId))?.attemptsMade).toBe(1);
  });

  it('returns the first job again for a repeated Idempotency-Key', async () => {
    const send = () => count({ text: 'once only' }, { ...headers(), 'idempotency-key': 'k-1' });
    const first = (await send()).json<{ job_id: string }>();
    const again = (await send()).json<{ job_id: string }>();
    expect(again.job_id).toBe(first.job_id);
  });
});
