import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { PlatformApp } from './app.js';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * A set of API keys checked in constant time: keys are compared as SHA-256 digests, against every key
 * of the set, so neither a key's length nor which key matched shows in the timing.
 */
export class ApiKeySet {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get isEmpty(): boolean {
    return this.digests.length === 0;
  }

  matches(presented: string): boolean {
    const candidate = digest(presented);
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(candidate, known) || match;
    return match;
  }
}

/** The X-API-Key header, or undefined when it is absent or blank. */
export function presentedApiKey(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  return key === undefined || key.trim() === '' ? undefined : key;
}

/** Throws 401 unless the header carries a key of the set. */
export function checkApiKey(keys: ApiKeySet, header: string | string[] | undefined): void {
  const key = presentedApiKey(header);
  if (key === undefined) throw new AppError('UNAUTHORIZED', 'an X-API-Key header is required');
  if (!keys.matches(key)) throw new AppError('UNAUTHORIZED', 'the X-API-Key is not valid');
}

/**
 * Requires a key of `keys` in X-API-Key on every route under `prefix` (default `/v1/`), checked in
 * onRequest, before any body is read. An empty list leaves the routes open and says so in the log.
 */
export function requireApiKey(
  app: PlatformApp,
  keys: readonly string[],
  options: { logger: Logger; prefix?: string },
): void {
  const prefix = options.prefix ?? '/v1/';
  const set = new ApiKeySet(keys);
  if (set.isEmpty) {
    options.logger.warn(`no API keys configured: ${prefix} routes are open (development only)`);
    return;
  }
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith(prefix)) {
      done();
      return;
    }
    try {
      checkApiKey(set, request.headers['x-api-key']);
      done();
    } catch (error) {
      done(error as AppError);
    }
  });
}
