import { createLogger } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, createRedis, standaloneRedis } from '../src/index.js';
import { startStallableProxy } from './proxy.js';
import { freePort, waitFor } from '@platform/testing';
import { REDIS_URL } from './helpers.js';

interface Line {
  level: string;
  msg: string;
  redis: string;
  address: string;
  attempt?: number;
  err?: string;
}

function capture() {
  const lines: Line[] = [];
  const logger = createLogger({
    service: 'workers-test',
    level: 'debug',
    destination: { write: (text: string) => void lines.push(JSON.parse(text) as Line) },
  });
  return { lines, logger };
}

async function closedPortUrl(): Promise<string> {
  return `redis://127.0.0.1:${String(await freePort())}/0`;
}

const reconnects = (lines: Line[]) => lines.filter((line) => line.msg === 'Redis connection failed, reconnecting');

describe('connection logging', () => {
  it('logs ready and end once each, naming the role and the address', async () => {
    const { lines, logger } = capture();
    const redis = createRedis(REDIS_URL, 'command', { logger });
    await redis.ping();
    await closeRedis(redis);
    await waitFor(() => lines.some((line) => line.msg === 'Redis connection ended'));
    expect(lines.map((line) => [line.level, line.msg, line.redis])).toEqual([
      ['info', 'Redis connection ready', 'command'],
      ['info', 'Redis connection ended', 'command'],
    ]);
    expect(lines[0]?.address).toBe(new URL(REDIS_URL).host);
  });

  it('shows a refused port, thins out the retries, and closes at once while Redis is away', async () => {
    const { lines, logger } = capture();
    const redis = connectRedis(await closedPortUrl(), 'blocking', { logger });
    await waitFor(() => reconnects(lines).length >= 1);
    expect(reconnects(lines)[0]).toMatchObject({ level: 'warn', attempt: 1, redis: 'blocking' });
    expect(reconnects(lines)[0]?.err).toContain('ECONNREFUSED');
    // Backoff 200, 400, 800, 1600 ms...: by 3.5 s about 5 attempts, of which only the first 3 are logged.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(reconnects(lines).map((line) => line.attempt)).toEqual([1, 2, 3]);
    const start = Date.now();
    await closeRedis(redis);
    expect(Date.now() - start).toBeLessThan(100);
    // No reconnect is pending any more (ioredis leaves the status at 'reconnecting' with nothing scheduled).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(reconnects(lines)).toHaveLength(3);
  }, 15_000);

  it('shows a wrong password', async () => {
    const { lines, logger } = capture();
    const url = new URL(REDIS_URL);
    url.username = 'nobody';
    url.password = 'wrong';
    const redis = createRedis(url.toString(), 'command', { logger });
    await waitFor(() => reconnects(lines).length >= 1);
    expect(reconnects(lines)[0]?.err).toMatch(/^WRONGPASS/);
    expect(JSON.stringify(lines)).not.toContain('wrong');
    await closeRedis(redis);
  });

  it('shows an unknown host', async () => {
    const { lines, logger } = capture();
    const redis = createRedis('redis://no-such-host.invalid:6379/0', 'command', { logger });
    await waitFor(() => reconnects(lines).length >= 1);
    expect(reconnects(lines)[0]).toMatchObject({ address: 'no-such-host.invalid:6379' });
    expect(reconnects(lines)[0]?.err).toContain('ENOTFOUND');
    await closeRedis(redis);
  });

  it('logs a reconnect after a lost connection and the ready that follows it', async () => {
    const { lines, logger } = capture();
    const redis = createRedis(REDIS_URL, 'command', { logger });
    await redis.ping();
    const id = await redis.client('ID');
    const killer = createRedis(REDIS_URL, 'command');
    await killer.client('KILL', 'ID', String(id));
    await waitFor(() => lines.some((line) => line.msg === 'Redis connection ready again'));
    expect(lines.map((line) => line.msg)).toEqual([
      'Redis connection ready',
      'Redis connection failed, reconnecting',
      'Redis connection ready again',
    ]);
    await closeRedis(killer);
    await closeRedis(redis);
  });

  it('stays quiet without a logger', async () => {
    const redis = createRedis(await closedPortUrl(), 'command');
    const errors: unknown[] = [];
    redis.on('error', (error: unknown) => errors.push(error));
    await waitFor(() => errors.length > 0);
    await closeRedis(redis);
    expect(redis.listenerCount('ready')).toBe(0);
  });
});

describe('closeRedis', () => {
  it('drops a ready connection whose Redis stopped answering, within its timeout', async () => {
    const proxy = await startStallableProxy(REDIS_URL);
    const redis = createRedis(proxy.url, 'blocking');
    await redis.ping();
    const stalled = proxy.stall(2_500);
    const start = Date.now();
    await closeRedis(redis, 500);
    const ms = Date.now() - start;
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1_500);
    // ioredis destroys the half-closed socket after its disconnectTimeout (2 s) at the latest.
    await waitFor(() => redis.status === 'end', 3_000);
    await proxy.close();
    await stalled;
  }, 10_000);
});

describe('standaloneRedis', () => {
  it('passes a one-server connection through and refuses a Cluster', async () => {
    const single = createRedis(REDIS_URL, 'command');
    expect(standaloneRedis(single, 'the registry')).toBe(single);
    const cluster = connectRedis({ url: REDIS_URL, cluster: [{ host: '127.0.0.1', port: 1 }] }, 'command', { lazyConnect: true });
    expect(() => standaloneRedis(cluster, 'the registry')).toThrow(
      /^the registry does not run on a Redis Cluster yet: unset REDIS_CLUSTER_NODES/,
    );
    await closeRedis(single);
    await closeRedis(cluster);
  });
});
