import { withRedisDeadline } from '@platform/workers';
import type { Redis } from 'ioredis';

/**
 * Cancellation requests, kept in Redis so that the API process can reach a worker on another machine.
 * A Redis outage is a 503 (SERVICE_UNAVAILABLE with Retry-After), never a hanging request or a 500.
 */
export class CancelFlags {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'turkic:cancel:',
  ) {}

  async request(jobId: string): Promise<void> {
    await withRedisDeadline(() => this.redis.set(`${this.prefix}${jobId}`, '1', 'EX', 7 * 24 * 3600));
  }

  async requested(jobId: string): Promise<boolean> {
    return (await withRedisDeadline(() => this.redis.exists(`${this.prefix}${jobId}`))) === 1;
  }
}
