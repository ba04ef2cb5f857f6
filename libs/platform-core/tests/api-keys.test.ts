import { describe, expect, it } from 'vitest';
import { ApiKeySet, checkApiKey, presentedApiKey, requireApiKey } from '../src/http/api-keys.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/logging.js';

const logger = createLogger({ service: 'keys-test', level: 'silent' });

describe('ApiKeySet', () => {
  it('matches only its keys, whatever their length', () => {
    const keys = new ApiKeySet(['short', 'a-much-longer-key-of-another-length']);
    expect(keys.matches('short')).toBe(true);
    expect(keys.matches('a-much-longer-key-of-another-length')).toBe(true);
    expect(keys.matches('shor')).toBe(false);
    expect(keys.matches('')).toBe(false);
    expect(new ApiKeySet([]).isEmpty).toBe(true);
  });

  it('reads the header and answers 401 for a missing or wrong key', () => {
    const keys = new ApiKeySet(['k1']);
    expect(presentedApiKey(['k1', 'k2'])).toBe('k1');
    expect(presentedApiKey('  ')).toBeUndefined();
    expect(() => {
      checkApiKey(keys, undefined);
    }).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', status: 401 }) as Error);
    expect(() => {
      checkApiKey(keys, 'nope');
    }).toThrow(/not valid/);
    expect(() => {
      checkApiKey(keys, 'k1');
    }).not.toThrow();
  });
});

describe('requireApiKey', () => {
  it('guards the prefix only, before the body is read', async () => {
    const app = await createApp({ service: 'keys-test', version: '0', logger, bodyLimit: 16 });
    requireApiKey(app, ['secret'], { logger });
    app.post('/v1/things', () => ({ ok: true }));
    const big = JSON.stringify({ pad: 'x'.repeat(100) });
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/things',
      payload: big,
      headers: { 'content-type': 'application/json' },
    });
    // 401, not 413: the key is checked before the oversized body is looked at.
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const wrong = await app.inject({ method: 'POST', url: '/v1/things', headers: { 'x-api-key': 'guess' } });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({ method: 'POST', url: '/v1/things', headers: { 'x-api-key': 'secret' } });
    expect(right.json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });

  it('leaves the routes open when no keys are configured', async () => {
    const app = await createApp({ service: 'keys-test', version: '0', logger });
    requireApiKey(app, [], { logger });
    app.get('/v1/open', () => ({ ok: true }));
    expect((await app.inject({ url: '/v1/open' })).statusCode).toBe(200);
    await app.close();
  });
});
