import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { currentContext } from './context.js';
import type { ErrorEnvelope } from './errors.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The service answered with an error status; carries the platform envelope when there is one. */
export class HttpError extends Error {
  readonly status: number;
  readonly envelope: ErrorEnvelope | undefined;
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, status: number, envelope: ErrorEnvelope | undefined, body: string) {
    super(`${method} ${url} answered ${status}: ${envelope?.message ?? (body.slice(0, 200) || '(empty body)')}`);
    this.name = 'HttpError';
    this.status = status;
    this.envelope = envelope;
    this.method = method;
    this.url = url;
  }

  get code(): string | undefined {
    return this.envelope?.code;
  }
}

/** No answer within the call's timeout. */
export class HttpTimeoutError extends Error {
  constructor(method: string, url: string, timeoutMs: number) {
    super(`${method} ${url} timed out after ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

/** The connection failed (refused, reset, DNS). */
export class HttpNetworkError extends Error {
  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HttpNetworkError';
  }
}

export interface RetryPolicy {
  /** Retries after the first try (default 3). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  headers?: Record<string, string>;
}

export type RequestBody = string | Uint8Array | ReadableStream<Uint8Array> | Blob | FormData | URLSearchParams;

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON with its content type. */
  json?: unknown;
  body?: RequestBody;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the method's idempotency: PUT-by-hash style calls may opt in, non-idempotent ones out. */
  retry?: boolean;
  /** Statuses returned as they are instead of thrown (for example 304 or 404 on HEAD). */
  acceptStatus?: number[];
}

function backoffDelay(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.random() * ceiling; // full jitter
}

async function readEnvelope(response: Response): Promise<[ErrorEnvelope | undefined, string]> {
  // The body may break off mid-read (the connection dropped): the status alone still describes the failure.
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<ErrorEnvelope>;
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return [parsed as ErrorEnvelope, text];
  } catch {
    // not JSON: the raw text is reported instead
  }
  return [undefined, text];
}

/**
 * A small HTTP client on fetch: per-call timeouts, retries with exponential backoff and full jitter for
 * idempotent methods only, request-id propagation from the current context, typed errors.
 */
export class HttpClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly headers: Record<string, string>;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5_000, ...options.retry };
    this.headers = options.headers ?? {};
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends the request and returns the response; error statuses throw HttpError. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = this.url(path, options.query);
    const headers = new Headers({ ...this.headers, ...options.headers });
    const requestId = currentContext().request_id;
    if (requestId !== undefined && !headers.has('x-request-id')) headers.set('x-request-id', requestId);
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.set('content-type', 'application/json');
    }
    // A stream can be sent once only, so it is never retried.
    const replayable = !(body instanceof ReadableStream);
    const retries = (options.retry ?? IDEMPOTENT.has(method)) && replayable ? this.policy.retries : 0;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;

    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body: body ?? null, signal, duplex: 'half' });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const failure = timeout.aborted ? new HttpTimeoutError(method, url, timeoutMs) : new HttpNetworkError(method, url, error);
        if (attempt >= retries) throw failure;
        await sleep(backoffDelay(this.policy, attempt, null));
        continue;
      }
      if (response.ok || options.acceptStatus?.includes(response.status) || (response.status >= 300 && response.status < 400)) {
        return response;
      }
      if (attempt < retries && RETRYABLE_STATUS.has(response.status)) {
        await response.body?.cancel();
        await sleep(backoffDelay(this.policy, attempt, response.headers.get('retry-after')));
        continue;
      }
      const [envelope, text] = await readEnvelope(response);
      throw new HttpError(method, url, response.status, envelope, text);
    }
  }

  /** Sends the request and parses the JSON answer with the schema. */
  async json<S extends z.ZodType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.output<S>> {
    const response = await this.request(path, options);
    return schema.parse(await response.json());
  }
}
