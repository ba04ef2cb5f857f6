import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, isolatedRedisPrefix, uniqueName } from '../src/index.js';

// A plain client: @platform/workers' tests import @platform/testing, so using its factory here would be a cycle.
// eslint-disable-next-line @platform/guards/no-redis-construction -- see above
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { lazyConnect: true });

afterAll(async () => {
  await redis.quit();
});

describe('isolatedRedisPrefix', () => {
  it('gives distinct prefixes and deletes only its own keys, past one SCAN page', async () => {
    const mine = isolatedRedisPrefix('mine');
    const other = isolatedRedisPrefix('mine');
    expect(mine.prefix).not.toBe(other.prefix);
    expect(mine.prefix).toMatch(/^t[0-9a-f]{8}_mine$/);
    const pipeline = redis.pipeline();
    for (let index = 0; index < 2500; index++) pipeline.set(`${mine.prefix}:${index}`, '1');
    pipeline.set(`${other.prefix}:kept`, '1');
    await pipeline.exec();

    expect(await mine.cleanup(redis)).toBe(2500);
    expect(await redis.exists(`${mine.prefix}:0`, `${mine.prefix}:2499`)).toBe(0);
    expect(await redis.get(`${other.prefix}:kept`)).toBe('1');
    expect(await other.cleanup(redis)).toBe(1);
  });

  it('deleteKeys matches the glob pattern it is given', async () => {
    const name = uniqueName('glob');
    await redis.set(`${name}:a`, '1');
    await redis.set(`${name}-b`, '1');
    expect(await deleteKeys(redis, `${name}:*`)).toBe(1);
    expect(await redis.get(`${name}-b`)).toBe('1');
    expect(await deleteKeys(redis, `${name}*`)).toBe(1);
  });
});
