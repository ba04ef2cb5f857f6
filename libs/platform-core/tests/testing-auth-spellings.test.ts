import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { createApp, type PlatformApp } from '../src/http/app.js';
import type { AuthOptions } from '../src/http/auth.js';
import { createLogger } from '../src/logging.js';
import { authSpellings, pathSpellings } from '../src/testing/index.js';

const logger = createLogger({ service: 'auth-test', level: 'silent' });
const apps: PlatformApp[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(auth: AuthOptions, extra?: (app: PlatformApp) => void): Promise<PlatformApp> {
  const app = await createApp({ service: 'auth-test', version: '1.0.0', logger, auth });
  apps.push(app);
  extra?.(app);
  app.post('/v1/transliterate', { config: { auth: 'use', user: true } }, () => ({ served: true }));
  app.get(
    '/v1/files/:id',
    { config: { auth: 'use' }, schema: { params: z.object({ id: z.string().regex(/^[0-9a-f]{8}$/) }) } },
    (request) => ({ id: request.params.id }),
  );
  app.get('/v1/open', { config: { auth: 'public' } }, () => ({ open: true }));
  return app;
}

describe('pathSpellings', () => {
  it('spells a path encoded, double-encoded, in other cases, with dot segments and odd slashes', () => {
    const spellings = pathSpellings('/v1/x');
    for (const expected of [
      '/%761/x',
      '/v%31/x',
      '/%25761/x',
      '/V1/X',
      '/./v1/x',
      '/v1/./x',
      '/a/../v1/x',
      '/v1/a/../x',
      '//v1/x',
      '/v1//x',
      '/v1/x/',
      '/v1%2Fx',
      '/%76%31/%78',
    ]) {
      expect(spellings).toContain(expected);
    }
    expect(spellings).not.toContain('/v1/x');
  });
});

describe('authSpellings', () => {
  it('passes when auth is decided from the matched route', async () => {
    const app = await appWith({ permissions: { use: ['right-key'] } });
    await expect(authSpellings(app)).resolves.toBeUndefined();
  });

  it('fails when the check looks at the raw URL, listing the spellings that got through', async () => {
    // The route plugin is left open; a check on the raw URL, like the old requireApiKey, is the only guard.
    const app = await appWith({ permissions: { use: [] }, openWhenNoKeys: true }, (app) => {
      app.addHook('onRequest', (request, _reply, done) => {
        const refused = request.url.startsWith('/v1/') && request.url !== '/v1/open' && request.headers['x-api-key'] !== 'right-key';
        done(refused ? new AppError('UNAUTHORIZED', 'an X-API-Key header is required') : undefined);
      });
    });
    const failure = authSpellings(app);
    await expect(failure).rejects.toThrow(/got past the auth check/);
    await expect(failure).rejects.toThrow(/POST \/%761\/transliterate without a key: answered 200/);
  });

  it('fails when the canonical spelling without a key is not a 401', async () => {
    const app = await appWith({ permissions: { use: [] }, openWhenNoKeys: true });
    await expect(authSpellings(app)).rejects.toThrow(/POST \/v1\/transliterate without a key: answered 200 without a key, not 401/);
  });

  it('refuses an app with no protected route, rather than pass without trying anything', async () => {
    const app = await createApp({ service: 'open', version: '1.0.0', logger });
    apps.push(app);
    app.get('/v1/open', { config: { auth: 'public' } }, () => ({}));
    await expect(authSpellings(app)).rejects.toThrow(/no protected route/);
  });
});
