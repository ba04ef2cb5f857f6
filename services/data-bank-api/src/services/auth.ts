import { AppError, ApiKeySet, presentedApiKey } from '@platform/core';
import type { ApiKeys } from '../config.js';

export type Permission = keyof ApiKeys;

/**
 * Checks X-API-Key against the key set of a permission (constant time, see ApiKeySet): 401 without a
 * key, 403 when the key lacks the permission. With `allowAnonymous`, a permission whose set is empty
 * needs no key.
 */
export function createAuthorizer(keys: ApiKeys, allowAnonymous: boolean) {
  const sets = {
    upload: new ApiKeySet(keys.upload),
    read: new ApiKeySet(keys.read),
    delete: new ApiKeySet(keys.delete),
  } satisfies Record<Permission, ApiKeySet>;

  return (permission: Permission, presented: string | string[] | undefined): void => {
    const allowed = sets[permission];
    if (allowed.isEmpty && allowAnonymous) return;
    const key = presentedApiKey(presented);
    if (key === undefined) throw new AppError('UNAUTHORIZED', 'missing API key');
    if (!allowed.matches(key)) throw new AppError('FORBIDDEN', `API key lacks the ${permission} permission`);
  };
}

export type Authorizer = ReturnType<typeof createAuthorizer>;
