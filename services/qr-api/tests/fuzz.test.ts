import { PUBLIC, routeAuthTable, type PlatformApp } from '@platform/core';
import { fuzzService } from '@platform/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => {
  await app.close();
});

describe('the real app under random requests', () => {
  it('never answers 500, always the envelope with a request id, and stays healthy', async () => {
    await fuzzService(app);
  }, 180_000);
});

describe('auth', () => {
  // qr-api is open by design (README: it stores nothing and reads no secrets), so there is no
  // protected route for authSpellings to try. A route that needs a key must come with that test.
  it('declares every /v1 route public', () => {
    const v1 = routeAuthTable(app).filter((route) => route.url.startsWith('/v1/'));
    expect(v1.map((route) => `${route.method} ${route.url}`).sort()).toEqual([
      'GET /v1/qr',
      'HEAD /v1/qr',
      'POST /v1/qr',
      'POST /v1/qr/batch',
      'POST /v1/qr/decode',
    ]);
    expect(v1.filter((route) => route.auth !== PUBLIC)).toEqual([]);
  });
});
