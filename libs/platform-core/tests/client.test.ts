import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, HttpError, HttpNetworkError, HttpTimeoutError } from '../src/client.js';
import { runWithContext } from '../src/context.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const seen: { method: string; url: string; requestId: string | undefined }[] = [];
let handler: Handler;
let server: FakeHttpServer;
let baseUrl: string;

beforeAll(async () => {
  server = await startFakeHttpServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', requestId: request.headers['x-request-id'] as string | undefined });
    handler(request, response);
  });
  baseUrl = server.url;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  seen.length = 0;
});

const client = () => new HttpClient({ baseUrl, timeoutMs: 300, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } });

/** Fails the first `failures` calls with `status`, then answers 200 JSON. */
function flaky(failures: number, status: number, headers: Record<string, string> = {}): Handler {
  let calls = 0;
  return (_request, response) => {
    calls += 1;
    if (calls <= failures) {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'busy', request_id: 'r' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, calls }));
  };
}

describe('HttpClient', () => {
  it('retries idempotent calls on 503 and parses JSON with a schema', async () => {
    handler = flaky(2, 503);
    const body = await client().json('/v1/x', z.object({ ok: z.boolean(), calls: z.number() }), { query: { a: 1, b: undefined } });
    expect(body).toEqual({ ok: true, calls: 3 });
    expect(seen.map((call) => call.url)).toEqual(['/v1/x?a=1', '/v1/x?a=1', '/v1/x?a=1']);
  });

  it('never retries a POST, and the error carries status and envelope', async () => {
    handler = flaky(1, 503);
    const error = await client()
      .request('/v1/x', { method: 'POST', json: { a: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', method: 'POST' });
    expect(seen).toHaveLength(1);
  });

  it('retries a POST that opts in (PUT-by-hash style)', async () => {
    handler = flaky(1, 502);
    const response = await client().request('/v1/x', { method: 'POST', body: 'abc', retry: true });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('gives up after the retry budget', async () => {
    handler = flaky(10, 500);
    await expect(client().request('/v1/x')).rejects.toMatchObject({ status: 500 });
    expect(seen).toHaveLength(3);
  });

  it('does not retry client errors and keeps a non-JSON body in the message', async () => {
    handler = (_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('nothing here');
    };
    const error = (await client()
      .request('/v1/missing')
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(404);
    expect(error.envelope).toBeUndefined();
    expect(error.message).toContain('nothing here');
    expect(seen).toHaveLength(1);
    const accepted = await client().request('/v1/missing', { acceptStatus: [404] });
    expect(accepted.status).toBe(404);
  });

  it('honours Retry-After', async () => {
    handler = flaky(1, 429, { 'retry-after': '0' });
    expect((await client().request('/v1/x')).status).toBe(200);
  });

  it('times out per call', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    await expect(client().request('/v1/slow', { retry: false, timeoutMs: 100 })).rejects.toBeInstanceOf(HttpTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports refused connections as network errors', async () => {
    const dead = new HttpClient({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 1, baseDelayMs: 1 } });
    await expect(dead.request('/x')).rejects.toBeInstanceOf(HttpNetworkError);
  });

  it('propagates the current request id', async () => {
    handler = flaky(0, 200);
    await runWithContext({ request_id: 'req-77' }, () => client().request('/v1/x'));
    await client().request('/v1/x', { headers: { 'x-request-id': 'explicit' } });
    expect(seen.map((call) => call.requestId)).toEqual(['req-77', 'explicit']);
  });
});
