import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { assertHealthy, assertPlatformResponse, type ObservedResponse } from '../src/testing/index.js';

const servers: FakeHttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function healthzServer(status: number, delayMs: number): Promise<string> {
  const server = await startFakeHttpServer((_request, response) => {
    setTimeout(() => response.writeHead(status).end('{}'), delayMs);
  });
  servers.push(server);
  return server.url;
}

const answer = (status: number, body: unknown, requestId: string | null = 'r-1'): ObservedResponse => ({
  method: 'GET',
  status,
  headers: requestId === null ? {} : { 'x-request-id': requestId },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('assertHealthy', () => {
  it('passes on a 200 in time', async () => {
    await expect(assertHealthy(await healthzServer(200, 0))).resolves.toBeUndefined();
  });

  it('fails on a slow or unhealthy /healthz', async () => {
    await expect(assertHealthy(await healthzServer(200, 1_500))).rejects.toThrow(/did not answer within 1000 ms/);
    await expect(assertHealthy(await healthzServer(503, 0))).rejects.toThrow(/answered 503/);
  });
});

describe('assertPlatformResponse', () => {
  const envelope = { code: 'NOT_FOUND', message: 'no', request_id: 'r-1' };

  it('accepts the envelope carrying the request id', () => {
    expect(() => {
      assertPlatformResponse(answer(404, envelope));
    }).not.toThrow();
    expect(() => {
      assertPlatformResponse(answer(503, { ...envelope, code: 'SERVICE_UNAVAILABLE' }), new Set([503]));
    }).not.toThrow();
  });

  it('refuses a 500 even when allowed, a missing request id, another shape or another request id', () => {
    expect(() => {
      assertPlatformResponse(answer(500, envelope), new Set([500]));
    }).toThrow(/answered 500/);
    expect(() => {
      assertPlatformResponse(answer(200, {}, null));
    }).toThrow(/no x-request-id/);
    expect(() => {
      assertPlatformResponse(answer(400, { error: 'Bad Request', statusCode: 400 }));
    }).toThrow(/not the .* envelope/);
    expect(() => {
      assertPlatformResponse(answer(400, { ...envelope, request_id: 'r-2' }));
    }).toThrow(/differs from x-request-id r-1/);
  });
});
