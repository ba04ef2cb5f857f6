// Sentinel: a master, a replica and 3 sentinels; the master is shut down while jobs run. Jobs keep
// flowing through the promoted replica; none is lost, none completes twice, each has one terminal event.
import type { PlatformEvent } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, subscribeEvents, type RedisTarget } from '../src/index.js';
import { waitFor } from '@platform/testing';
import { silentLogger } from './helpers.js';
import { DOMAIN, startFlow, streamEvents, terminalCounts, type Flow } from './job-flow.js';
import { startSentinelTopology, type SentinelTopology } from './topology.js';

const JOBS = 300;

describe('Redis Sentinel', () => {
  let topology: SentinelTopology;
  let flow: Flow | undefined;
  beforeAll(async () => {
    topology = await startSentinelTopology();
  }, 60_000);
  afterAll(async () => {
    await flow?.close();
    await topology.stop();
  }, 60_000);

  it('keeps jobs flowing through a failover, each completed once with one terminal event', { timeout: 90_000 }, async () => {
    // The URL's host is not used: the sentinels name the master.
    const target: RedisTarget = {
      url: 'redis://ignored:6379/0',
      sentinel: { nodes: topology.sentinels, name: topology.name },
    };
    flow = await startFlow(target, { workers: 2, concurrency: 4, workMs: 10 });
    const running = flow;
    const subscriber = connectRedis(target, 'subscriber');
    const live: PlatformEvent[] = [];
    const subscription = await subscribeEvents({
      redis: subscriber,
      domains: [DOMAIN],
      namespace: running.namespace,
      logger: silentLogger,
      onEvent: (event) => void live.push(event),
    });
    const ids = Array.from({ length: JOBS }, (_, i) => `job-${i}`);
    let failover: Promise<void> | undefined;
    for (const [index, id] of ids.entries()) {
      if (index === JOBS / 3) failover = topology.master.stop(); // a clean SHUTDOWN: it waits for the replica
      await running.enqueue(id);
      if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await failover;
    expect(await topology.currentMaster()).toBe(topology.replica.port);

    await waitFor(async () => (await running.queue.getJobCounts('completed')).completed === JOBS, 60_000, 'every job completed');
    // A job's terminal event is published just after BullMQ marks it completed.
    let counts = new Map<string, { completed: number; failed: number }>();
    await waitFor(
      async () => {
        counts = terminalCounts(await streamEvents(running.commands, running.namespace));
        return counts.size === JOBS;
      },
      10_000,
      'a terminal event for every job',
    ).catch(() => undefined); // the size is asserted next, with the numbers
    expect(counts.size).toBe(JOBS);
    for (const id of ids) expect(counts.get(id), id).toEqual({ completed: 1, failed: 0 });
    expect([...running.runs.values()].every((runs) => runs === 1)).toBe(true);
    expect((await running.queue.getJobCounts('failed')).failed).toBe(0);

    // Live pub/sub follows the failover too (events published while it reconnected are the stream's
    // to deliver): the subscription is back on the new master for jobs run after it.
    const after = Array.from({ length: 20 }, (_, i) => `after-${i}`);
    await Promise.all(after.map((id) => running.enqueue(id)));
    await waitFor(() => Promise.resolve(after.every((id) => terminalCounts(live).has(id))), 20_000, 'live events after the failover');
    await subscription.close();
    await closeRedis(subscriber);
  });
});
