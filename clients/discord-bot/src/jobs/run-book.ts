import type { Redis } from 'ioredis';

/** The training runs each user started from Discord (newest first), for /runs and autocompletion. */
export class RunBook {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly keep = 25,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}runs:${userId}`;
  }

  async add(userId: string, runId: string): Promise<void> {
    const key = this.key(userId);
    await this.redis
      .multi()
      .lrem(key, 0, runId)
      .lpush(key, runId)
      .ltrim(key, 0, this.keep - 1)
      .exec();
  }

  async list(userId: string): Promise<string[]> {
    return this.redis.lrange(this.key(userId), 0, this.keep - 1);
  }
}
