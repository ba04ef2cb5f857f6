import { routeAuthTable } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_ROUTES } from '../src/models/proxy-routes.js';
import { buildWeb, login, startConsole, VIEWER_KEY, type TestConsole } from './helpers/console.js';

let world: TestConsole;

beforeAll(async () => {
  await buildWeb();
  world = await startConsole({ DATA_BANK_URL: 'http://127.0.0.1:9' });
});
afterAll(() => world.close());

describe('probes and pages', () => {
  it('answers /healthz and /readyz without a session', async () => {
    expect((await world.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await world.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', web: 'ok' } });
  });

  it('serves the web app with a strict content security policy and no session', async () => {
    const page = await world.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an unknown route with the error envelope', async () => {
    const response = await world.app.inject('/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) as string });
  });
});

describe('login and session', () => {
  it('refuses a wrong key with 401 and sets no cookie', async () => {
    const response = await world.app.inject({ method: 'POST', url: '/api/login', payload: { key: 'nope' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHORIZED', message: 'that key opens no console session' });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an empty body as a 400 envelope', async () => {
    const response = await world.app.inject({ method: 'POST', url: '/api/login', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('opens a signed HttpOnly SameSite=Strict session that /api/session reads back', async () => {
    const response = await world.app.inject({ method: 'POST', url: '/api/login', payload: { key: 'test-admin-key' } });
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/console_session=[^;]+\.[^;]+;/); // value.signature
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    const { cookie } = await login(world.app);
    const session = await world.app.inject({ url: '/api/session', headers: { cookie } });
    expect(session.json()).toMatchObject({ role: 'admin', user_id: '0', csrf_token: expect.any(String) as string });
  });

  it('refuses a tampered cookie', async () => {
    const { cookie } = await login(world.app);
    const tampered = cookie.replace(/console_session=./, (prefix) => `${prefix.slice(0, -1)}${prefix.endsWith('A') ? 'B' : 'A'}`);
    expect((await world.app.inject({ url: '/api/session', headers: { cookie: tampered } })).statusCode).toBe(401);
  });

  it('ends the session everywhere on logout', async () => {
    const { cookie, csrf } = await login(world.app);
    const out = await world.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect((await world.app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing call without the session token', async () => {
    const { cookie } = await login(world.app);
    const response = await world.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('CSRF') as string });
  });

  it('refuses another origin even with the token, and a cross-site fetch', async () => {
    const { cookie, csrf } = await login(world.app);
    const foreign = await world.app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    const site = await world.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { key: 'test-admin-key' },
    });
    expect(site.statusCode).toBe(403);
  });

  it('accepts bull-board actions from the same origin only (its UI sends no token)', async () => {
    const { cookie } = await login(world.app);
    const bare = await world.app.inject({ method: 'PUT', url: '/queues/api/queues/qr/pause', headers: { cookie } });
    expect(bare.statusCode).toBe(403);
    const same = await world.app.inject({
      method: 'PUT',
      url: '/queues/api/queues/qr/pause',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.statusCode).toBeLessThan(300);
    await world.app.inject({ method: 'PUT', url: '/queues/api/queues/qr/resume', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
  });
});

describe('access by route', () => {
  it('refuses every /api and /queues route without a session', async () => {
    const routes = routeAuthTable(world.app).filter(
      (route) => /^\/(api|queues)\b/.test(route.url) && route.url !== '/api/login' && route.method !== 'HEAD',
    );
    expect(routes.length).toBeGreaterThan(PROXY_ROUTES.length);
    for (const route of routes) {
      const url = route.url.replace(/:[a-z_]+/g, 'x').replace('*', 'x');
      const response = await world.app.inject({ method: route.method as 'GET', url });
      expect([401, 403], `${route.method} ${url}`).toContain(response.statusCode);
    }
  });

  it('sends a browser that opens /queues without a session to the login page', async () => {
    const response = await world.app.inject({ url: '/queues', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/#/login?next=%2Fqueues');
  });

  it('keeps the queue board and deletes for admins', async () => {
    const viewer = await login(world.app, VIEWER_KEY);
    expect((await world.app.inject({ url: '/queues/', headers: { cookie: viewer.cookie } })).statusCode).toBe(403);
    const remove = await world.app.inject({
      method: 'DELETE',
      url: `/api/data-bank/v1/files/${'a'.repeat(64)}`,
      headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf },
    });
    expect(remove.statusCode).toBe(403);
    const admin = await login(world.app);
    const board = await world.app.inject({ url: '/queues/', headers: { cookie: admin.cookie } });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('Platform queues');
  });

  it('answers a service that is down with a 502 envelope naming it', async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    const response = await world.app.inject({ url: '/api/data-bank/v1/files', headers: { cookie } });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({
      code: 'EXTERNAL_SERVICE_ERROR',
      message: expect.stringContaining('data-bank-api is not reachable') as string,
    });
  });

  it('reports every service on the overview, down ones with their reason', async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    const response = await world.app.inject({ url: '/api/overview', headers: { cookie } });
    const { services } = response.json<{
      services: { name: string; state: string; reason: string; queue: { counts: unknown } | null }[];
    }>();
    expect(services.map((service) => service.name)).toContain('model-trainer');
    const bank = services.find((service) => service.name === 'data-bank-api');
    expect(bank).toMatchObject({ state: 'down', reason: 'not reachable: is it running?' });
    expect(bank?.queue?.counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
  });
});
