import { readBody, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as the music fakes read it: the body already read, the URL parsed. */
export interface FakeRequest {
  method: string;
  url: URL;
  body: string;
  headers: IncomingMessage['headers'];
}

export interface FakeServer extends FakeHttpServer {
  /** Every request seen, in order. */
  requests: FakeRequest[];
}

export type FakeHandler = (request: FakeRequest, response: ServerResponse) => unknown;

/** @platform/testing's fake HTTP server, recording each request, for the stand-ins of music services' APIs. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = await startFakeHttpServer(async (incoming, response) => {
    const body = (await readBody(incoming)).toString('utf8');
    const request = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', 'http://fake'),
      body,
      headers: incoming.headers,
    };
    requests.push(request);
    await handler(request, response);
  });
  return { ...server, requests };
}
