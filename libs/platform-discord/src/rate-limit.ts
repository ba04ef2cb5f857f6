import type { Redis } from 'ioredis';

export interface RateLimitRule {
  /** Uses allowed per window. */
  max: number;
  windowS: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the window resets (when refused). */
  retryAfterS: number;
}

/**
 * Fixed-window counters in Redis, one per (command, user, window), so every bot process shares them.
 * INCR and the expiry go in one MULTI; a key never outlives its window.
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'discord:ratelimit:',
  ) {}

  async hit(command: string, userId: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitVerdict> {
    const windowMs = rule.windowS * 1000;
    const window = Math.floor(now / windowMs);
    const key = `${this.prefix}${command}:${userId}:${window}`;
    const results = await this.redis.multi().incr(key).pexpire(key, windowMs).exec();
    const count = Number(results?.[0]?.[1] ?? Number.POSITIVE_INFINITY);
    const retryAfterS = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    return { allowed: count <= rule.max, retryAfterS };
  }
}
