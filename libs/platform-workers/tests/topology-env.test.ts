import { loadConfig, port, sharedEnv } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfig, checkRedisTopology, connectRedis, redisTarget, redisTopologyEnv } from '../src/index.js';

const schema = z.object({ ...sharedEnv, ...redisTopologyEnv }).superRefine(checkRedisTopology);
const read = (env: Record<string, string>) => redisTarget(loadConfig(schema, env));

describe('Redis topology from the environment', () => {
  it('is one server by default, as REDIS_URL says', () => {
    expect(read({})).toEqual({ url: 'redis://127.0.0.1:6379/0', sentinel: undefined, cluster: undefined });
  });

  it('reads sentinels (default port 26379) with the master name and password', () => {
    expect(
      read({
        REDIS_SENTINELS: 's1:26380, s2 ,[::1]:26381',
        REDIS_SENTINEL_NAME: 'main',
        REDIS_SENTINEL_PASSWORD: 'pw',
      }).sentinel,
    ).toEqual({
      nodes: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26381 },
      ],
      name: 'main',
      password: 'pw',
    });
  });

  it('reads cluster seed nodes (default port 6379)', () => {
    expect(read({ REDIS_CLUSTER_NODES: 'a:7000,b' }).cluster).toEqual([
      { host: 'a', port: 7000 },
      { host: 'b', port: 6379 },
    ]);
  });

  it('refuses bad lists and both topologies at once', () => {
    expect(() => read({ REDIS_SENTINELS: 'a:99999' })).toThrow(/REDIS_SENTINELS/);
    expect(() => read({ REDIS_CLUSTER_NODES: ' , ' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => read({ REDIS_SENTINELS: 'a', REDIS_CLUSTER_NODES: 'b' })).toThrow(/not both/);
  });

  it('takes credentials, database and TLS for Sentinel-managed masters from REDIS_URL', () => {
    const redis = connectRedis(
      {
        url: 'rediss://user:p%40ss@ignored:6379/3',
        sentinel: { nodes: [{ host: '127.0.0.1', port: 1 }], name: 'm' },
      },
      'command',
      { lazyConnect: true },
    );
    expect(redis.isCluster).toBe(false);
    expect((redis as unknown as { options: Record<string, unknown> }).options).toMatchObject({
      username: 'user',
      password: 'p@ss',
      db: 3,
      tls: {},
      name: 'm',
    });
    redis.disconnect();
  });
});

describe('baseConfig', () => {
  it('is where a service listens, how it logs and its Redis, from the shared variables', () => {
    const withPort = z.object({ ...sharedEnv, ...redisTopologyEnv, PORT: port(8000) }).superRefine(checkRedisTopology);
    expect(baseConfig(loadConfig(withPort, { HOST: '0.0.0.0', LOG_LEVEL: 'warn', REDIS_CLUSTER_NODES: 'r1,r2:7000' }))).toEqual({
      host: '0.0.0.0',
      port: 8000,
      logLevel: 'warn',
      redis: {
        url: 'redis://127.0.0.1:6379/0',
        sentinel: undefined,
        cluster: [
          { host: 'r1', port: 6379 },
          { host: 'r2', port: 7000 },
        ],
      },
    });
  });
});
