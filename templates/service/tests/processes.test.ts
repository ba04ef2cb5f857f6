import { spawnSource, startServiceProcess, waitFor, type ServiceProcess, type SourceProcess } from '@platform/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, REDIS_URL } from './helpers.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
// The real entries use BullMQ's default prefix: a database of their own keeps them off other queues.
const env = { REDIS_URL: REDIS_URL.replace(/\/\d*$/, '/14'), EXAMPLE_API_KEYS: API_KEY };

let api: ServiceProcess;
let worker: SourceProcess;

beforeAll(async () => {
  worker = spawnSource('src/worker.ts', { cwd: serviceDir, env });
  api = await startServiceProcess({ cwd: serviceDir, env });
});

afterAll(async () => {
  await Promise.all([api.stop(), worker.stop()]);
});

describe('the real entries (src/main.ts, src/worker.ts)', () => {
  it('start, and the API is ready once the worker is up', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'readiness');
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { redis: 'ok', worker: 'ok' },
    });
  });
});
