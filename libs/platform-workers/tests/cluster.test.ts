// Redis Cluster: 3 masters. BullMQ's keys get a hash-tagged prefix, so each queue lives in one slot;
// live pub/sub and the durable stream both deliver every event.
import type { PlatformEvent } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullPrefix, closeRedis, connectRedis, consumeEventStream, subscribeEvents, type RedisTarget } from '../src/index.js';
import { waitFor } from '@platform/testing';
import { silentLogger } from './helpers.js';
import { DOMAIN, startFlow, streamEvents, terminalCounts, type Flow } from './job-flow.js';
import { startCluster, type ClusterTopology } from './topology.js';

const JOBS = 200;

describe('Redis Cluster', () => {
  let cluster: ClusterTopology;
  let flow: Flow | undefined;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    await flow?.close();
    await cluster.stop();
  }, 60_000);

  it('runs jobs with a {hash-tagged} prefix and delivers events live and through the stream', { timeout: 60_000 }, async () => {
    const target: RedisTarget = { url: 'redis://ignored:6379', cluster: cluster.nodes };
    flow = await startFlow(target, { workers: 2, concurrency: 8, workMs: 2 });
    const running = flow;
    expect(bullPrefix(running.commands, running.prefix)).toBe(`{${running.prefix}}`);
    expect(running.queue.opts.prefix).toBe(`{${running.prefix}}`);

    const subscriber = connectRedis(target, 'subscriber');
    const consumer = connectRedis(target, 'blocking');
    const live: PlatformEvent[] = [];
    const caught: PlatformEvent[] = [];
    const subscription = await subscribeEvents({
      redis: subscriber,
      domains: [DOMAIN],
      namespace: running.namespace,
      logger: silentLogger,
      onEvent: (event) => void live.push(event),
    });
    const stream = await consumeEventStream({
      redis: consumer,
      domain: DOMAIN,
      group: 'g',
      consumer: 'c',
      namespace: running.namespace,
      logger: silentLogger,
      blockMs: 200,
      onEvent: (event) => void caught.push(event),
    });
    try {
      const ids = Array.from({ length: JOBS }, (_, i) => `job-${i}`);
      await Promise.all(ids.map((id) => running.enqueue(id)));
      await waitFor(async () => (await running.queue.getJobCounts('completed')).completed === JOBS, 30_000, 'every job completed');
      await waitFor(
        () => Promise.resolve(terminalCounts(live).size === JOBS && terminalCounts(caught).size === JOBS),
        10_000,
        'every terminal event delivered',
      );
      for (const events of [live, caught, await streamEvents(running.commands, running.namespace)]) {
        const counts = terminalCounts(events);
        for (const id of ids) expect(counts.get(id), id).toEqual({ completed: 1, failed: 0 });
      }
    } finally {
      await subscription.close();
      await stream.close();
      await closeRedis(subscriber);
    }
  });
});
