import { AppError, ApiKeySet, UserId, checkApiKey } from '@platform/core';
import type { FastifyRequest } from 'fastify';

/**
 * The trusted caller (X-API-Key, when keys are configured) and the user it acts for (X-User-Id).
 * Returns the user id.
 */
export function callerUser(request: FastifyRequest, keys: ApiKeySet): string {
  if (!keys.isEmpty) checkApiKey(keys, request.headers['x-api-key']);
  const user = UserId.safeParse(request.headers['x-user-id']);
  if (!user.success) throw new AppError('UNAUTHORIZED', 'X-User-Id must name the user as a decimal string');
  return user.data;
}
