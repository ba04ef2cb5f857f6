import type { Redis } from 'ioredis';

/** Cancellation requests, kept in Redis so that the API process can reach a worker on another machine. */
export class CancelFlags {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'turkic:cancel:',
  ) {}

  async request(jobId: string): Promise<void> {
    await this.redis.set(`${this.prefix}${jobId}`, '1', 'EX', 7 * 24 * 3600);
  }

  async requested(jobId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}${jobId}`)) === 1;
  }
}
