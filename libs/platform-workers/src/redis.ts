import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for. Commands fail fast when Redis is away; blocking calls (BullMQ workers,
 * XREADGROUP) and subscriptions wait for the reconnect instead of failing.
 */
export type RedisRole = 'command' | 'blocking' | 'subscriber';

// command: an API request must not wait on Redis, so a command fails after 3 s (commandTimeout, also
// while it waits in the offline queue) or after 2 failed reconnects, and requests answer 503 (see
// availability.ts). The offline queue stays on so a command sent during a reconnect is not refused at once.
// blocking/subscriber: no timeout, they wait for the reconnect (a worker finishing a job must not give up).
const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  command: { maxRetriesPerRequest: 2, commandTimeout: 3_000 },
  blocking: { maxRetriesPerRequest: null },
  subscriber: { maxRetriesPerRequest: null },
};

/** A new ioredis connection with bounded connect time and capped exponential reconnects. */
export function createRedis(url: string, role: RedisRole, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3_000),
    connectionName: `platform:${role}`,
    ...ROLE_OPTIONS[role],
    ...options,
  });
  // Reconnects are handled by ioredis; without a listener every failed attempt would be an unhandled 'error'.
  redis.on('error', () => undefined);
  return redis;
}

/** Quits gracefully, or drops the connection when Redis is not there to answer. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => {
    redis.disconnect();
  });
}
