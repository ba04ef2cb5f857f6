import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { createLogger } from '../src/logging.js';

let app: PlatformApp;
let base: string;
let dependencyUp = true;
const open = { auth: 'public' };

beforeAll(async () => {
  app = await createApp({
    service: 'test-api',
    version: '1.2.3',
    logger: createLogger({ service: 'test-api', level: 'silent' }),
    bodyLimit: 1024,
    readinessTimeoutMs: 200,
    readiness: [
      {
        name: 'dependency',
        check: () => (dependencyUp ? Promise.resolve() : Promise.reject(new Error('dependency is down'))),
      },
      { name: 'slow', check: () => (dependencyUp ? Promise.resolve() : sleep(5_000)) },
    ],
  });
  app.post(
    '/v1/echo',
    { config: open, schema: { body: z.object({ text: z.string().min(1), count: z.number().int().max(10) }) } },
    (request) => ({ text: request.body.text.repeat(request.body.count) }),
  );
  app.get('/v1/items/:id', { config: open, schema: { params: z.object({ id: z.string().regex(/^\d+$/) }) } }, (request) => ({
    id: request.params.id,
  }));
  app.get('/v1/conflict', { config: open }, () => {
    throw new AppError('CONFLICT', 'already exists', { details: [{ path: 'id', message: 'taken' }] });
  });
  app.get('/v1/crash', { config: open }, () => {
    throw new Error('database password is hunter2');
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(base + path, init);
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('error envelope', () => {
  it('404 for an unknown route', async () => {
    const { status, body, response } = await call('/v1/nothing');
    expect(status).toBe(404);
    expect(body).toEqual({
      code: 'NOT_FOUND',
      message: 'No route for GET "/v1/nothing"',
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('405 with Allow for a known path and another method', async () => {
    const { status, body, response } = await call('/v1/echo');
    expect(status).toBe(405);
    expect(body.code).toBe('METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('POST');
    expect((await call('/v1/items/5', { method: 'DELETE' })).response.headers.get('allow')).toContain('GET');
  });

  it('400 naming each invalid field', async () => {
    const { status, body } = await call('/v1/echo', json({ text: '', count: 'x' }));
    expect(status).toBe(400);
    expect(body.code).toBe('INVALID_INPUT');
    const paths = (body.details as { path: string }[]).map((detail) => detail.path).sort();
    expect(paths).toEqual(['body.count', 'body.text']);
    expect(body.message).toContain('body.text');
    expect((await call('/v1/items/abc')).body.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('400 for a body that is not JSON, 415 for an unknown content type', async () => {
    const bad = await call('/v1/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_INPUT');
    const media = await call('/v1/echo', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(media.status).toBe(415);
    expect(media.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('413 for a body over the limit', async () => {
    const { status, body } = await call('/v1/echo', json({ text: 'x'.repeat(5000), count: 1 }));
    expect(status).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('500 without leaking the internal message', async () => {
    const { status, body } = await call('/v1/crash');
    expect(status).toBe(500);
    expect(body).toMatchObject({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('AppError keeps its code, status and details', async () => {
    const { status, body } = await call('/v1/conflict');
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'CONFLICT', message: 'already exists', details: [{ path: 'id', message: 'taken' }] });
  });
});

describe('request id', () => {
  it('echoes a valid X-Request-ID in the header and the envelope', async () => {
    const { response, body } = await call('/v1/nothing', { headers: { 'x-request-id': 'trace-abc_123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc_123');
    expect(body.request_id).toBe('trace-abc_123');
  });

  it('replaces an invalid one with a UUID v4', async () => {
    for (const header of ['has space', 'x'.repeat(129)]) {
      const { response } = await call('/healthz', { headers: { 'x-request-id': header } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('standard routes', () => {
  it('healthz, metrics, openapi and docs', async () => {
    expect((await call('/healthz')).body).toEqual({ status: 'ok' });
    await call('/v1/items/7');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/items/:id",status_code="200",service="test-api"}');
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    const openapi = (await call('/openapi.json')).body as { info: { version: string }; paths: Record<string, unknown> };
    expect(openapi.info.version).toBe('1.2.3');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/echo', '/v1/items/{id}']));
    expect(openapi.paths).not.toHaveProperty('/healthz');
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('sends no CORS headers by default', async () => {
    const { response } = await call('/healthz', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('readyz reports each check and answers 503 when one fails or times out', async () => {
    dependencyUp = true;
    expect((await call('/readyz')).body).toEqual({ status: 'ready', checks: { dependency: 'ok', slow: 'ok' } });
    dependencyUp = false;
    const started = Date.now();
    const { status, body } = await call('/readyz');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'degraded',
      reason: 'dependency: dependency is down; slow: timed out after 200 ms',
      checks: { dependency: 'failed: dependency is down', slow: 'failed: timed out after 200 ms' },
    });
    dependencyUp = true;
  });
});
