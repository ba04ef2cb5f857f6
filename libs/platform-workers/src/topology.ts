import { z } from 'zod';
import type { LOG_LEVELS } from '@platform/core';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Which Redis to use. `url` alone is one server. With `sentinel`, the sentinels name the master and
 * ioredis follows failovers; with `cluster`, the nodes are seeds and ioredis routes by slot. In both,
 * `url` still carries the data nodes' credentials, database (Sentinel only) and TLS (`rediss:`).
 */
export interface RedisTarget {
  url: string;
  sentinel?: { nodes: HostPort[]; name: string; password?: string | undefined } | undefined;
  cluster?: HostPort[] | undefined;
}

const hostPortList = (defaultPort: number) =>
  z
    .string()
    .transform((value, context): HostPort[] => {
      const nodes: HostPort[] = [];
      for (const item of value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const match = /^(\[[^\]]+\]|[^:\s]+)(?::(\d{1,5}))?$/.exec(item);
        const port = Number(match?.[2] ?? defaultPort);
        if (!match?.[1] || port < 1 || port > 65535) {
          context.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
          return z.NEVER;
        }
        nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
      }
      if (nodes.length === 0) context.addIssue({ code: 'custom', message: 'lists no host:port' });
      return nodes;
    })
    .optional();

/**
 * The variables beside REDIS_URL (which @platform/core's sharedEnv reads). Spread into a service's config
 * schema, add `.superRefine(checkRedisTopology)`, and pass `redisTarget(parsed)` to `connectRedis`.
 */
export const redisTopologyEnv = {
  /** Comma-separated sentinels, `host:port` (port 26379 when left out). */
  REDIS_SENTINELS: hostPortList(26379),
  REDIS_SENTINEL_NAME: z.string().default('mymaster'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  /** Comma-separated cluster seed nodes, `host:port` (port 6379 when left out). */
  REDIS_CLUSTER_NODES: hostPortList(6379),
};

type TopologyEnv = z.output<z.ZodObject<typeof redisTopologyEnv>> & { REDIS_URL: string };

export function checkRedisTopology(env: TopologyEnv, context: z.RefinementCtx): void {
  if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES)
    context.addIssue({
      code: 'custom',
      path: ['REDIS_CLUSTER_NODES'],
      message: 'set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both',
    });
}

export function redisTarget(env: TopologyEnv): RedisTarget {
  return {
    url: env.REDIS_URL,
    sentinel: env.REDIS_SENTINELS && {
      nodes: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME,
      password: env.REDIS_SENTINEL_PASSWORD,
    },
    cluster: env.REDIS_CLUSTER_NODES,
  };
}

type LogLevel = (typeof LOG_LEVELS)[number];

/** The fields every service's camelCase `Config` starts with: where it listens, how it logs, its Redis. */
export interface BaseConfig {
  host: string;
  port: number;
  logLevel: LogLevel;
  redis: RedisTarget;
}

/** `BaseConfig` from the shared variables (HOST, PORT, LOG_LEVEL, REDIS_URL and the topology ones). */
export function baseConfig(env: TopologyEnv & { HOST: string; PORT: number; LOG_LEVEL: LogLevel }): BaseConfig {
  return { host: env.HOST, port: env.PORT, logLevel: env.LOG_LEVEL, redis: redisTarget(env) };
}
