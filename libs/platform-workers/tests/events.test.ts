import { jobCompleted, jobStarted, type PlatformEvent } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPublisher, closeRedis, consumeEventStream, createRedis, eventNames } from '../src/index.js';
import { deleteKeys, uniqueName, waitFor } from '@platform/testing';
import { REDIS_URL, collectEvents, silentLogger } from './helpers.js';

const redis = createRedis(REDIS_URL, 'command');
const namespace = `${uniqueName('events')}:`;
const publisher = new EventPublisher(redis, { namespace, streamMaxLen: 100 });
const base = { domain: 'qr', user_id: '1234567890123456789' };

beforeAll(async () => {
  await redis.ping();
});
afterAll(async () => {
  await deleteKeys(redis, `${namespace}*`);
  await closeRedis(redis);
});

describe('event delivery', () => {
  it('publishes live and to the stream in one MULTI', async () => {
    const live = await collectEvents(['qr'], namespace);
    const event = jobStarted({ ...base, job_id: 'a', queue: 'qr' });
    await publisher.publish(event);
    await waitFor(() => live.events.length === 1);
    expect(live.events[0]).toEqual(event);
    const entries = await redis.xrange(eventNames('qr', namespace).stream, '-', '+');
    const [field, json] = entries.at(-1)?.[1] ?? [];
    expect(field).toBe('event');
    expect(JSON.parse(json ?? '')).toEqual(event);
    await live.stop();
  });

  it('skips malformed messages without killing the subscriber', async () => {
    const live = await collectEvents(['qr'], namespace);
    const { channel } = eventNames('qr', namespace);
    await redis.publish(channel, 'not json');
    await redis.publish(channel, JSON.stringify({ type: 'qr.job.exploded.v1' }));
    const good = jobCompleted({ ...base, job_id: 'b', result: { ok: true } });
    await publisher.publish(good);
    await waitFor(() => live.events.length === 1);
    expect(live.events).toEqual([good]);
    await live.stop();
  });

  it('lets a consumer that was down catch up through its group, acknowledging handled entries', async () => {
    const domain = 'catchup';
    const group = 'bot';
    const received: PlatformEvent[] = [];
    const start = () =>
      consumeEventStream({
        redis: createRedis(REDIS_URL, 'blocking'),
        domain,
        group,
        consumer: 'bot-1',
        namespace,
        logger: silentLogger,
        blockMs: 100,
        onEvent: (event) => {
          if (event.job_id === 'poison' && received.filter((e) => e.job_id === 'poison').length === 0) {
            received.push(event);
            throw new Error('handler failed once');
          }
          received.push(event);
        },
      });
    // The group is created at the stream's end: only events after the first start count.
    const first = await start();
    await first.close();

    const { stream } = eventNames(domain, namespace);
    const whileDown = ['d1', 'd2', 'poison'].map((id) => jobStarted({ domain, user_id: '7', job_id: id, queue: domain }));
    for (const event of whileDown) await publisher.publish(event);
    await redis.xadd(stream, '*', 'event', '{"broken": true}');

    const second = await start();
    await waitFor(() => received.length === 3);
    await second.close();
    expect(received.map((event) => event.job_id)).toEqual(['d1', 'd2', 'poison']);
    // The failed entry stays pending and is delivered again on the next start; the malformed one was acked.
    const third = await start();
    await waitFor(() => received.length === 4);
    await third.close();
    expect(received.at(-1)?.job_id).toBe('poison');
    const pending = (await redis.xpending(stream, group)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});
