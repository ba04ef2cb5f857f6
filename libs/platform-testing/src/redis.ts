import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A name unique to this run (`t1a2b3c4d_<label>`), for a queue, job id or namespace a test owns. */
export const uniqueName = (label: string): string => `t${randomUUID().slice(0, 8)}_${label}`;

/** Deletes every key matching a glob pattern, walking the keyspace with SCAN (never KEYS, which blocks Redis). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

export interface IsolatedRedisPrefix {
  /** `t1a2b3c4d_<label>`: use it as a BullMQ prefix, or `${prefix}:` as a key namespace. */
  prefix: string;
  /** Deletes every key starting with the prefix, through the caller's connection; returns how many. */
  cleanup(redis: Redis): Promise<number>;
}

/**
 * A key prefix no other test (or parallel test file) shares, and the cleanup that deletes its keys. The
 * cleanup takes the caller's connection (often made later, in a beforeAll), so the helper opens nothing
 * that could outlive the test.
 */
export function isolatedRedisPrefix(label = 'test'): IsolatedRedisPrefix {
  const prefix = uniqueName(label);
  return { prefix, cleanup: (redis) => deleteKeys(redis, `${escapeGlob(prefix)}*`) };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
