import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';

/** What a harness looks at in an answer. */
export interface ObservedResponse {
  method: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface OutgoingRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** A request that gets no answer in this time is a failure (an upload that never answers, a stall). */
const ANSWER_TIMEOUT_MS = 5_000;

/** The app's base URL, listening on port 0 of 127.0.0.1 first if it is not listening yet. */
export async function listeningUrl(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
  return `http://${address.family === 'IPv6' && host !== '127.0.0.1' ? `[${host}]` : host}:${address.port}`;
}

/** An HTTP/1.1 client that sends paths and headers exactly as given (no normalisation, unlike inject). */
export function rawClient(baseUrl: string): Client {
  return new Client(baseUrl, { headersTimeout: ANSWER_TIMEOUT_MS, bodyTimeout: ANSWER_TIMEOUT_MS });
}

export async function send(client: Client, request: OutgoingRequest): Promise<ObservedResponse> {
  const response = await client.request({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { method: request.method, status: response.statusCode, headers: response.headers, body };
}
