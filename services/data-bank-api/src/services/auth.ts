import { AppError } from '@platform/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeys } from '../config.js';

export type Permission = keyof ApiKeys;

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Checks X-API-Key against the key set of a permission. Keys are compared as SHA-256 digests with
 * timingSafeEqual against every key of the set, so neither the key's length nor which key matched
 * shows in the timing. With `allowAnonymous`, a permission whose set is empty needs no key.
 */
export function createAuthorizer(keys: ApiKeys, allowAnonymous: boolean) {
  const sets = {
    upload: keys.upload.map(digest),
    read: keys.read.map(digest),
    delete: keys.delete.map(digest),
  } satisfies Record<Permission, Buffer[]>;

  return (permission: Permission, presented: string | string[] | undefined): void => {
    const allowed = sets[permission];
    if (allowed.length === 0 && allowAnonymous) return;
    const key = Array.isArray(presented) ? presented[0] : presented;
    if (key === undefined || key.trim() === '') throw new AppError('UNAUTHORIZED', 'missing API key');
    const candidate = digest(key);
    let match = false;
    for (const known of allowed) match = timingSafeEqual(candidate, known) || match;
    if (!match) throw new AppError('FORBIDDEN', `API key lacks the ${permission} permission`);
  };
}

export type Authorizer = ReturnType<typeof createAuthorizer>;
