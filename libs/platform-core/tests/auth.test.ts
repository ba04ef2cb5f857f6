import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { requestUser, routeAuthTable } from '../src/http/auth.js';
import { createLogger } from '../src/logging.js';

const logger = createLogger({ service: 'auth-test', level: 'silent' });
const permissions = { read: ['reader-key'], upload: ['uploader-key'] };

async function appWith(register: (app: PlatformApp) => void, openWhenNoKeys = false) {
  const app = await createApp({
    service: 'auth-test',
    version: '0',
    logger,
    bodyLimit: 16,
    auth: { permissions, openWhenNoKeys },
  });
  register(app);
  await app.ready();
  return app;
}

/** Sends a request line byte for byte, so the path reaches the server exactly as spelled. */
async function rawStatus(port: number, method: string, path: string, headers = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end(`${method} ${path} HTTP/1.1\r\nHost: test\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0));
    });
  });
}

describe('route-based auth', () => {
  let app: PlatformApp;
  let port: number;

  beforeAll(async () => {
    app = await appWith((scope) => {
      scope.post('/v1/items', { config: { auth: 'upload' } }, () => ({ ok: true }));
      scope.get('/v1/items/:id', { config: { auth: 'read' }, schema: { params: z.object({ id: z.string() }) } }, (request) => ({
        id: request.params.id,
      }));
      scope.get('/v1/me', { config: { auth: 'read', user: true } }, (request) => ({
        user: requestUser(request),
      }));
      scope.get('/v1/version', { config: { auth: 'public' } }, () => ({ v: 1 }));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
  });

  it('checks the key of the matched route before the body is read', async () => {
    const big = {
      method: 'POST' as const,
      url: '/v1/items',
      payload: JSON.stringify({ pad: 'x'.repeat(100) }),
      headers: { 'content-type': 'application/json' },
    };
    const missing = await app.inject(big);
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({
      code: 'UNAUTHORIZED',
      request_id: missing.headers['x-request-id'],
    });
    expect((await app.inject({ ...big, headers: { ...big.headers, 'x-api-key': 'guess' } })).statusCode).toBe(401);
    // A valid key of another permission is a 403, not a 401.
    expect((await app.inject({ ...big, headers: { ...big.headers, 'x-api-key': 'reader-key' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/items', headers: { 'x-api-key': 'uploader-key' } })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/v1/version' })).statusCode).toBe(200);
  });

  it('no spelling of a protected path gets past the check', async () => {
    const spellings = [
      '/%761/items/1',
      '/v%31/items/1',
      '/v1/%69tems/1',
      '/v1/items/%31',
      '/V1/items/1',
      '/v1/./items/1',
      '/v1/x/../items/1',
      '//v1/items/1',
      '/v1//items/1',
      '/v1/items/1/',
      '/%2576%31/items/1',
    ];
    for (const path of spellings) {
      const status = await rawStatus(port, 'GET', path);
      expect([400, 401, 404], path).toContain(status);
    }
    expect(await rawStatus(port, 'GET', '/%761/items/1', 'X-API-Key: reader-key\r\n')).toBe(200);
  });

  it('names the user the trusted caller acts for', async () => {
    const headers = { 'x-api-key': 'reader-key' };
    expect((await app.inject({ url: '/v1/me', headers })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/me', headers: { ...headers, 'x-user-id': 'alice' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/me', headers: { ...headers, 'x-user-id': '123456789012345678' } })).json()).toEqual({
      user: '123456789012345678',
    });
  });

  it('lists every route with what it declared', () => {
    expect(routeAuthTable(app)).toEqual(
      expect.arrayContaining([
        { method: 'POST', url: '/v1/items', auth: 'upload', user: false },
        { method: 'GET', url: '/v1/me', auth: 'read', user: true },
        { method: 'HEAD', url: '/v1/items/:id', auth: 'read', user: false },
        { method: 'GET', url: '/healthz', auth: 'public', user: false },
      ]),
    );
  });
});

describe('failing closed', () => {
  it('refuses to start with a /v1 route that declares nothing', async () => {
    await expect(appWith((app) => app.get('/v1/forgotten', () => ({})))).rejects.toThrow(/declares no config.auth/);
  });

  it('refuses to start with a route needing an unknown permission', async () => {
    await expect(appWith((app) => app.get('/v1/typo', { config: { auth: 'raed' } }, () => ({})))).rejects.toThrow(/unknown permission/);
  });

  it('a permission with no keys refuses everything unless the service opens it', async () => {
    const closed = await createApp({
      service: 'auth-test',
      version: '0',
      logger,
      auth: { permissions: { read: [] } },
    });
    closed.get('/v1/x', { config: { auth: 'read' } }, () => ({}));
    expect((await closed.inject({ url: '/v1/x', headers: { 'x-api-key': 'anything' } })).statusCode).toBe(401);
    await closed.close();
    const open = await createApp({
      service: 'auth-test',
      version: '0',
      logger,
      auth: { permissions: { read: [] }, openWhenNoKeys: true },
    });
    open.get('/v1/x', { config: { auth: 'read' } }, () => ({}));
    expect((await open.inject({ url: '/v1/x' })).statusCode).toBe(200);
    await open.close();
  });
});
