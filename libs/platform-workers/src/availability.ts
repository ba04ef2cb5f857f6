import { AppError } from '@platform/core';

/** How long an API request waits on Redis before it answers 503 (the command role times out sooner). */
export const REDIS_DEADLINE_MS = 4_000;
/** What a 503 for an unreachable Redis tells the client to wait, in seconds. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

class RedisDeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisDeadlineError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// ioredis: commandTimeout, a closed connection, no offline queue; Redis itself: not ready to serve.
const UNAVAILABLE_MESSAGE =
  /^(Command timed out|Connection is closed|Stream isn't writeable|(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN) )/;

function isRedisUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const { code } = error as { code?: unknown };
  if (error instanceof RedisDeadlineError || error.name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true;
  const nested = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  return [error.cause, ...nested].some((inner) => isRedisUnavailable(inner, depth + 1));
}

/**
 * Maps a Redis, ioredis or BullMQ connection failure (refused, reset, timed out, retries used up,
 * Redis loading) to a 503 SERVICE_UNAVAILABLE with Retry-After; any other error is returned as it is.
 * Services use it for their own Redis calls: `.catch((error) => { throw redisUnavailable(error); })`.
 */
export function redisUnavailable(error: unknown): unknown {
  if (!isRedisUnavailable(error)) return error;
  return new AppError('SERVICE_UNAVAILABLE', 'The job store is unavailable; retry shortly', {
    headers: { 'retry-after': String(REDIS_RETRY_AFTER_SECONDS) },
    cause: error,
  });
}

/**
 * Runs Redis work for a request with a deadline: past it, or on a connection failure, the request fails
 * with 503 instead of waiting for Redis to come back. The work may still land in Redis afterwards
 * (its outcome is unknown), which is why enqueueing takes an idempotency key.
 */
export async function withRedisDeadline<T>(work: () => Promise<T>, timeoutMs = REDIS_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new RedisDeadlineError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (error) {
    throw redisUnavailable(error);
  } finally {
    clearTimeout(timer);
  }
}
