import { createLogger, type PlatformEvent } from '@platform/core';
import type { Redis } from 'ioredis';
import { createRedis, closeRedis, subscribeEvents, type Subscription } from '../src/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const silentLogger = createLogger({ service: 'workers-test', level: 'silent' });

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
