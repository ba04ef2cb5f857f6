import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { createLogger } from '../src/logging.js';

let app: PlatformApp;
let port: number;

beforeAll(async () => {
  app = await createApp({
    service: 'client-errors-test',
    version: '0',
    logger: createLogger({ service: 'client-errors-test', level: 'silent' }),
    requestTimeoutMs: 1500,
  });
  app.post('/v1/things/:id', { config: { auth: 'public' }, schema: { params: z.object({ id: z.string() }) } }, () => ({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await app.close();
});

interface RawReply {
  status: number;
  headers: string;
  body: Record<string, unknown>;
  ms: number;
}

/** Writes `request` on a socket (leaving it open unless it ends the request) and reads the reply. */
async function raw(request: string, endSocket = true): Promise<RawReply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      if (endSocket) socket.end(request);
      else socket.write(request);
    });
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = reply.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head.toLowerCase(),
        body: body ? (JSON.parse(body) as Record<string, unknown>) : {},
        ms: Date.now() - started,
      });
    });
  });
}

function expectEnvelope(reply: RawReply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.body).toMatchObject({ code, request_id: expect.any(String) as string });
  expect(reply.headers).toContain(`x-request-id: ${String(reply.body.request_id).toLowerCase()}`);
}

describe('errors raised before a route runs', () => {
  it('an unknown method is the envelope', async () => {
    expectEnvelope(await raw('FOO /v1/things/1 HTTP/1.1\r\nHost: a\r\n\r\n'), 400, 'INVALID_INPUT');
  });

  it('oversized headers are the envelope', async () => {
    expectEnvelope(await raw(`GET /v1/things/1 HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`), 431, 'HEADERS_TOO_LARGE');
  });

  it('a path parameter over the limit is the envelope, without echoing it', async () => {
    const reply = await raw(`POST /v1/things/${'a'.repeat(500)} HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n`);
    expectEnvelope(reply, 414, 'URI_TOO_LONG');
    expect(JSON.stringify(reply.body)).not.toContain('aaaaaaaaaa');
  });

  it('a malformed percent-encoding is the envelope', async () => {
    expectEnvelope(await raw('POST /v1/things/%E0%A4%A HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'), 400, 'INVALID_INPUT');
  });

  it('a 404 quotes at most a bounded part of the path', async () => {
    const reply = await raw(`GET /${'x'.repeat(5000)} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expectEnvelope(reply, 404, 'NOT_FOUND');
    expect(String(reply.body.message).length).toBeLessThan(200);
  });

  it('a client that never finishes its body is cut off', async () => {
    const reply = await raw(
      'POST /v1/things/1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
      false,
    );
    expectEnvelope(reply, 408, 'REQUEST_TIMEOUT');
    expect(reply.ms).toBeLessThan(5000);
  });
});
