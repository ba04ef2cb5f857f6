import { AppError, type PlatformApp } from '@platform/core';
import { timingSafeEqual } from 'node:crypto';

function matches(candidate: string, keys: Buffer[]): boolean {
  const given = Buffer.from(candidate);
  // Every key is compared so the time does not tell which one nearly matched.
  return keys.reduce(
    (found, key) => (key.length === given.length && timingSafeEqual(key, given)) || found,
    false,
  );
}

/** Requires one of `keys` in X-API-Key on every /v1 route; no keys means no auth. */
export function requireApiKey(app: PlatformApp, keys: string[]): void {
  if (keys.length === 0) return;
  const buffers = keys.map((key) => Buffer.from(key));
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers['x-api-key'];
    if (request.url.startsWith('/v1/') && (typeof header !== 'string' || !matches(header, buffers))) {
      done(new AppError('UNAUTHORIZED', 'A valid X-API-Key header is required'));
      return;
    }
    done();
  });
}
