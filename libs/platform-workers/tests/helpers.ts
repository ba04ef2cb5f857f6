import { createLogger, type PlatformEvent } from '@platform/core';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, closeRedis, subscribeEvents, type Subscription } from '../src/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const silentLogger = createLogger({ service: 'workers-test', level: 'silent' });

/** A unique namespace per test so parallel test files never share keys, channels or queues. */
export const uniqueName = (label: string) => `t${randomUUID().slice(0, 8)}_${label}`;

/** Polls until the predicate holds or the timeout passes. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Collects every live event of the domains into an array. */
export async function collectEvents(
  domains: string[],
  namespace: string,
  url = REDIS_URL,
): Promise<{ events: PlatformEvent[]; stop: () => Promise<void> }> {
  const redis: Redis = createRedis(url, 'subscriber');
  const events: PlatformEvent[] = [];
  const subscription: Subscription = await subscribeEvents({
    redis,
    domains,
    namespace,
    logger: silentLogger,
    onEvent: (event) => {
      events.push(event);
    },
  });
  return {
    events,
    stop: async () => {
      await subscription.close();
      await closeRedis(redis);
    },
  };
}

/** Deletes every key under a BullMQ prefix or namespace. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
