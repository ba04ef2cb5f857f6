import type { Logger } from '@platform/core';
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

/** ioredis's options, plus the logger that hears about the connection's state (none: it stays quiet). */
export type ConnectOptions = RedisOptions & { logger?: Logger | undefined };

// Reconnect attempts logged one by one before the log thins out to one line a minute (or a new error).
const LOGGED_ATTEMPTS = 3;
const QUIET_MS = 60_000;

/** An error's text; a refused `localhost` (IPv4 and IPv6) is an AggregateError with no message of its own. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return [...new Set(error.errors.map(describe))].join('; ');
  if (!(error instanceof Error)) return String(error);
  const { code } = error as { code?: unknown };
  const cause = (error as { lastNodeError?: unknown }).lastNodeError;
  const text = error.message || (typeof code === 'string' ? code : error.name);
  return cause === undefined ? text : `${text} (${describe(cause)})`;
}

/** Where a connection goes, without credentials. */
function addressOf(target: string | RedisTarget): string {
  const url = typeof target === 'string' ? target : target.url;
  if (typeof target !== 'string' && target.cluster) return `cluster ${target.cluster.map((n) => `${n.host}:${String(n.port)}`).join(',')}`;
  if (typeof target !== 'string' && target.sentinel) return `sentinel master "${target.sentinel.name}"`;
  return URL.canParse(url) ? new URL(url).host : 'redis';
}

/**
 * Reconnects are handled by ioredis; the listener keeps a failed attempt from being an unhandled 'error'.
 * With a logger, each change of state is one line: ready, reconnecting (attempt and last error: a wrong
 * password, host or port shows here), end. Retries are logged one by one for the first few attempts,
 * then at most once a minute unless the error changes.
 */
function watch<T extends RedisConnection>(redis: T, role: RedisRole, address: string, logger: Logger | undefined): T {
  let lastError: string | undefined;
  redis.on('error', (error: unknown) => {
    lastError = describe(error);
  });
  if (redis.isCluster)
    redis.on('node error', (error: unknown, node: string) => {
      lastError = `${node}: ${describe(error)}`;
    });
  if (!logger) return redis;
  const log = logger.child({ redis: role, address });
  let attempt = 0;
  let loggedAt = 0;
  let loggedError: string | undefined;
  redis.on('ready', () => {
    if (attempt === 0) log.info('Redis connection ready');
    else log.info({ attempts: attempt }, 'Redis connection ready again');
    attempt = 0;
    lastError = undefined;
    loggedError = undefined;
  });
  redis.on('reconnecting', (delay?: number) => {
    attempt += 1;
    const now = Date.now();
    if (attempt > LOGGED_ATTEMPTS && lastError === loggedError && now - loggedAt < QUIET_MS) return;
    loggedAt = now;
    loggedError = lastError;
    log.warn(
      { attempt, ...(delay !== undefined && { delay_ms: delay }), err: lastError ?? 'connection closed' },
      'Redis connection failed, reconnecting',
    );
  });
  redis.on('end', () => {
    log.info('Redis connection ended');
  });
  return redis;
}

function split(options: ConnectOptions): [Logger | undefined, RedisOptions] {
  const { logger, ...rest } = options;
  return [logger, rest];
}

/** A new ioredis connection with bounded connect time and capped exponential reconnects. */
export function createRedis(url: string, role: RedisRole, options: ConnectOptions = {}): Redis {
  const [logger, rest] = split(options);
  return watch(new Redis(url, { ...roleOptions(role), ...rest }), role, addressOf(url), logger);
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
export function connectRedis(target: string | RedisTarget, role: RedisRole, options: ConnectOptions = {}): RedisConnection {
  const url = typeof target === 'string' ? target : target.url;
  if (typeof target === 'string' || (!target.sentinel && !target.cluster)) return createRedis(url, role, options);
  const [logger, rest] = split(options);
  const address = addressOf(target);
  if (target.cluster) {
    return watch(
      new Cluster(target.cluster, {
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...roleOptions(role), ...urlOptions(url, false), ...rest },
      }),
      role,
      address,
      logger,
    );
  }
  const { nodes, name, password } = target.sentinel ?? { nodes: [], name: '' };
  return watch(
    new Redis({
      ...roleOptions(role),
      ...urlOptions(url, true),
      sentinels: nodes,
      name,
      ...(password !== undefined && { sentinelPassword: password }),
      sentinelRetryStrategy: retryStrategy,
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      ...rest,
    }),
    role,
    address,
    logger,
  );
}

/**
 * The connection as a `Redis` (one server or a Sentinel-managed master), for code whose multi-key commands
 * are not slot-safe yet (@platform/ml's registry, @platform/discord's stores): a Cluster is refused at start.
 */
export function standaloneRedis(connection: RedisConnection, user: string): Redis {
  if (connection instanceof Redis) return connection;
  throw new Error(`${user} does not run on a Redis Cluster yet: unset REDIS_CLUSTER_NODES (REDIS_URL or REDIS_SENTINELS)`);
}

/**
 * BullMQ's key prefix for a connection: on a Cluster every key of a queue must hash to one slot, so the
 * prefix gets braces (`{bull}`) unless it already has a hash tag. Elsewhere it stays as given.
 */
export function bullPrefix(connection: RedisConnection, prefix = 'bull'): string {
  return connection.isCluster && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

// How long a QUIT may take before the connection is dropped: a stalled Redis (or a QUIT queued behind a
// blocking command) must not hold shutdown, whose own deadline is longer than this.
const QUIT_TIMEOUT_MS = 2_000;

/** Quits gracefully, or drops the connection when Redis is not there to answer (or not in time). */
export async function closeRedis(redis: RedisConnection, timeoutMs = QUIT_TIMEOUT_MS): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, false);
  });
  // Redis did not answer the QUIT (or not in time): dropping the connection is the fallback, nothing to report.
  const quitted = await Promise.race([
    redis.quit().then(
      () => true,
      () => false,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  if (!quitted) redis.disconnect();
}
