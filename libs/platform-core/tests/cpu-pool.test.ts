import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCpuPool, workerModule, type CpuPool } from '../src/cpu/pool.js';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { createLogger } from '../src/logging.js';

type BurnTask = { spinMs: number; data?: Uint8Array; waitMs?: number };
type BurnResult = { sum: number; bytes: number };

const worker = workerModule(import.meta.url, './fixtures/cpu-worker');
let pool: CpuPool<BurnTask, BurnResult>;
let app: PlatformApp;
let base: string;

beforeAll(async () => {
  pool = createCpuPool<BurnTask, BurnResult>({ filename: worker, maxThreads: 2, maxQueue: 1, retryAfterSeconds: 3 });
  app = await createApp({ service: 'cpu-test', version: '0', logger: createLogger({ service: 'cpu-test', level: 'silent' }) });
  app.post('/burn', { schema: { body: z.object({ spinMs: z.number() }) } }, async (request) => pool.run({ spinMs: request.body.spinMs }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await pool.close();
});

const burn = (spinMs: number) =>
  fetch(`${base}/burn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spinMs }) });

describe('CPU pool', () => {
  it('keeps the event loop answering while every thread is busy', async () => {
    const busy = [burn(1500), burn(1500)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const health = await fetch(`${base}/healthz`);
    const elapsed = performance.now() - started;
    expect(health.status).toBe(200);
    expect(elapsed).toBeLessThan(200);
    const answers = await Promise.all(busy);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  });

  it('answers 503 with Retry-After once the threads and the queue are full', async () => {
    const accepted = [burn(800), burn(800), burn(800)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const overflow = await burn(1);
    expect(overflow.status).toBe(503);
    expect(overflow.headers.get('retry-after')).toBe('3');
    expect(((await overflow.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    expect((await Promise.all(accepted)).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(pool.pending).toBe(0);
  });

  it('transfers a Buffer that owns its memory and copies a pooled one', async () => {
    const own = Buffer.allocUnsafeSlow(4096).fill(1);
    expect(await pool.run({ spinMs: 0, data: own }, { transfer: [own] })).toMatchObject({ bytes: 4096 });
    expect(own.buffer.byteLength).toBe(0);

    const pooled = Buffer.from([1, 2, 3]);
    expect(await pool.run({ spinMs: 0, data: pooled }, { transfer: [pooled] })).toMatchObject({ bytes: 6 });
    expect([...pooled]).toEqual([1, 2, 3]);
  });

  it('runs tasksPerThread waiting tasks on one thread at once, and counts them before the queue', async () => {
    const shared = createCpuPool<BurnTask, BurnResult>({ filename: worker, maxThreads: 1, tasksPerThread: 2, maxQueue: 0 });
    try {
      await shared.run({ spinMs: 0 }); // the thread is up
      const started = performance.now();
      const both = Promise.all([shared.run({ spinMs: 0, waitMs: 400 }), shared.run({ spinMs: 0, waitMs: 400 })]);
      await expect(shared.run({ spinMs: 0 })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      await both;
      expect(performance.now() - started).toBeLessThan(700);
    } finally {
      await shared.close();
    }
  });

  it('finishes running tasks on close, then refuses new ones', async () => {
    const closing = createCpuPool<BurnTask, BurnResult>({ filename: worker, maxThreads: 1 });
    const running = closing.run({ spinMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await closing.close();
    await expect(running).resolves.toMatchObject({ bytes: 0 });
    await expect(closing.run({ spinMs: 0 })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });
});
