import { AppError, HttpClient, HttpNetworkError, HttpTimeoutError, SERVICES, type ServiceName } from '@platform/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Request headers the browser may pass on to a service; cookies and keys never are. */
const FORWARDED_REQUEST = ['accept', 'content-type', 'content-length', 'range', 'if-none-match', 'if-range', 'idempotency-key'];
/** Response headers passed back to the browser. */
const FORWARDED_RESPONSE = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'content-disposition',
  'cache-control',
  'retry-after',
  'last-modified',
  'x-qr-version',
];
/** Every status is answered as it is: the service's error envelope is the console's. */
const ALL_STATUSES = Array.from({ length: 300 }, (_, index) => 300 + index);

export interface ForwardOptions {
  service: ServiceName;
  path: string;
  apiKey: string | undefined;
  userId: string;
  timeoutMs: number;
}

function unreachable(service: ServiceName, error: unknown): AppError {
  if (error instanceof HttpTimeoutError) return new AppError('TIMEOUT', `${service} did not answer in time`);
  if (error instanceof HttpNetworkError) {
    return new AppError('EXTERNAL_SERVICE_ERROR', `${service} is not reachable (is it running on port ${String(SERVICES[service].port)}?)`);
  }
  return new AppError('EXTERNAL_SERVICE_ERROR', `${service} failed to answer`);
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Streams the browser's request to the service and the service's answer back, headers filtered both ways. */
export async function forward(
  clients: Map<ServiceName, HttpClient>,
  request: FastifyRequest,
  reply: FastifyReply,
  options: ForwardOptions,
): Promise<FastifyReply> {
  const client = clients.get(options.service);
  if (!client) throw new Error(`no client for ${options.service}`);
  const headers: Record<string, string> = { 'x-request-id': request.id, 'x-user-id': options.userId };
  for (const name of FORWARDED_REQUEST) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  // Closing the browser's connection (a cancelled download, a left page with a stream) ends the call too.
  const aborted = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) aborted.abort();
  });
  let response: Response;
  try {
    response = await client.request(options.path + query, {
      method: request.method,
      headers,
      ...(hasBody(request) && { body: Readable.toWeb(request.raw) as ReadableStream<Uint8Array> }),
      acceptStatus: ALL_STATUSES,
      timeoutMs: options.timeoutMs,
      signal: aborted.signal,
      retry: false,
    });
  } catch (error) {
    if (aborted.signal.aborted) return reply;
    throw unreachable(options.service, error);
  }
  void reply.status(response.status);
  for (const name of FORWARDED_RESPONSE) {
    const value = response.headers.get(name);
    if (value !== null) void reply.header(name, value);
  }
  // A service's HTML page (the wrapped report) runs with no script access to the console's origin.
  if (response.headers.get('content-type')?.startsWith('text/html')) void reply.header('content-security-policy', 'sandbox');
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) void reply.header('x-accel-buffering', 'no');
  if (!response.body) return reply.send();
  return reply.send(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
}
