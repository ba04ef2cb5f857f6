// Stopping a worker process must not wait for a Redis that is gone (issue 11: the factory "never stalls
// shutdown while Redis is down"): BullMQ's close and a QUIT would both wait for it to come back.
import { freePort } from '@platform/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeRedis, connectRedis, defineJob, EventPublisher, handleJob, JobBase, startWorker } from '../src/index.js';
import { silentLogger } from './helpers.js';

describe('closing a worker while Redis is down', () => {
  it('returns at once instead of waiting for Redis to come back', async () => {
    const target = { url: `redis://127.0.0.1:${String(await freePort())}/0` };
    const command = connectRedis(target, 'command', { logger: silentLogger });
    const blocking = connectRedis(target, 'blocking', { logger: silentLogger });
    const echo = handleJob(
      defineJob({ domain: 'testing', queue: 'down', name: 'echo', schema: JobBase.extend({ text: z.string() }) }),
      (data) => Promise.resolve({ result: { echoed: data.text } }),
    );
    const handle = startWorker({
      connection: blocking,
      queue: 'down',
      handlers: [echo],
      publisher: new EventPublisher(command),
      logger: silentLogger,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(blocking.status).not.toBe('ready');
    const started = Date.now();
    await handle.close(20_000);
    await Promise.all([closeRedis(command), closeRedis(blocking)]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
