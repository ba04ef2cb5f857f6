import { AppError, UserId } from '@platform/core';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

function keyMatches(given: string, keys: string[]): boolean {
  const a = Buffer.from(given);
  let ok = false;
  for (const key of keys) {
    const b = Buffer.from(key);
    if (a.length === b.length && timingSafeEqual(a, b)) ok = true;
  }
  return ok;
}

/**
 * The trusted caller (X-API-Key, when keys are configured) and the user it acts for (X-User-Id).
 * Returns the user id.
 */
export function callerUser(request: FastifyRequest, keys: string[]): string {
  if (keys.length > 0) {
    const given = request.headers['x-api-key'];
    if (typeof given !== 'string' || !keyMatches(given, keys)) throw new AppError('UNAUTHORIZED', 'a valid X-API-Key is required');
  }
  const user = UserId.safeParse(request.headers['x-user-id']);
  if (!user.success) throw new AppError('UNAUTHORIZED', 'X-User-Id must name the user as a decimal string');
  return user.data;
}
