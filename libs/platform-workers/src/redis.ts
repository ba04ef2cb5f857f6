import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './topology.js';

/** One server or a Sentinel-managed master (`Redis`), or a Redis Cluster (`Cluster`). */
export type RedisConnection = Redis | Cluster;

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

const retryStrategy = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 3_000);

function roleOptions(role: RedisRole): RedisOptions {
  return { connectTimeout: 5_000, retryStrategy, connectionName: `platform:${role}`, ...ROLE_OPTIONS[role] };
}

/** Reconnects are handled by ioredis; without a listener every failed attempt would be an unhandled 'error'. */
function quiet<T extends RedisConnection>(redis: T): T {
  redis.on('error', () => undefined);
  return redis;
}

/** A new ioredis connection with bounded connect time and capped exponential reconnects. */
export function createRedis(url: string, role: RedisRole, options: RedisOptions = {}): Redis {
  return quiet(new Redis(url, { ...roleOptions(role), ...options }));
}

/** Credentials, TLS and (unless a Cluster's) the database of a `redis://` or `rediss://` URL. */
function urlOptions(url: string, withDatabase: boolean): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(withDatabase && { db: Number(parsed.pathname.slice(1) || 0) }),
    ...(parsed.protocol === 'rediss:' && { tls: {} }),
  };
}

/**
 * A connection to the configured topology with the role's behaviour: a plain URL as `createRedis`; the
 * master that Sentinel names (found again after a failover; a demoted master's READONLY answer makes it
 * reconnect); or a Redis Cluster, seeded with its nodes (database 0 only).
 */
export function connectRedis(target: string | RedisTarget, role: RedisRole, options: RedisOptions = {}): RedisConnection {
  const url = typeof target === 'string' ? target : target.url;
  if (typeof target === 'string' || (!target.sentinel && !target.cluster)) return createRedis(url, role, options);
  if (target.cluster) {
    return quiet(
      new Cluster(target.cluster, {
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...roleOptions(role), ...urlOptions(url, false), ...options },
      }),
    );
  }
  const { nodes, name, password } = target.sentinel ?? { nodes: [], name: '' };
  return quiet(
    new Redis({
      ...roleOptions(role),
      ...urlOptions(url, true),
      sentinels: nodes,
      name,
      ...(password !== undefined && { sentinelPassword: password }),
      sentinelRetryStrategy: retryStrategy,
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      ...options,
    }),
  );
}

/**
 * BullMQ's key prefix for a connection: on a Cluster every key of a queue must hash to one slot, so the
 * prefix gets braces (`{bull}`) unless it already has a hash tag. Elsewhere it stays as given.
 */
export function bullPrefix(connection: RedisConnection, prefix = 'bull'): string {
  return connection.isCluster && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

/** Quits gracefully, or drops the connection when Redis is not there to answer. */
export async function closeRedis(redis: RedisConnection): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  // Redis did not answer the QUIT: dropping the connection is the fallback, nothing to report.
  await redis.quit().catch(() => {
    redis.disconnect();
  });
}
