import type { ReadinessCheck } from '@platform/core';
import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis.js';

export function redisReadiness(redis: RedisConnection): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
      await redis.ping();
    },
  };
}

/** Ready when at least one live BullMQ worker is connected to the queue. */
export function workerReadiness(queue: Queue): ReadinessCheck {
  return {
    name: 'worker',
    check: async () => {
      const count = await queue.getWorkersCount();
      if (count === 0) throw new Error(`no live worker on queue ${queue.name}`);
    },
  };
}
