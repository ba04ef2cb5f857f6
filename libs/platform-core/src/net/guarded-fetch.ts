import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { parseAllowList, type AllowList } from './allow-list.js';
import { refuse, transportFailure, UrlNotFetchableError } from './fetch-error.js';
import { discard, limitedBody, readAll } from './limited-body.js';
import { pinnedAgent, resolveHop, systemLookup, type HostLookup } from './pinned-agent.js';
import { parseTarget } from './target.js';

export interface GuardedFetcherOptions {
  /** CIDRs, addresses and exact hostnames that may be fetched although not public (see `fetchAllowList`). */
  allowList?: readonly string[];
  /** Redirects followed, each re-checked; one more fails. Default 5. */
  maxRedirects?: number;
  /** Bound on the whole exchange, every hop and reading the body included. Default 30 s. */
  timeoutMs?: number;
  /** Bound on the body, declared or streamed. Default 25 MiB. */
  maxBytes?: number;
  userAgent?: string;
  /** Resolver for hostnames (default: the system's `dns.lookup`), e.g. a custom or split-horizon DNS. */
  lookup?: HostLookup;
}

export interface GuardedFetchInit {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  maxBytes?: number;
  timeoutMs?: number;
  /** Fail (the same generic error) on a final status outside 200..299. */
  requireOk?: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: Headers;
  /** The final URL, after redirects. */
  url: string;
  /** At most `maxBytes`; read it, or destroy it, to release the connection. */
  body: Readable;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
}

export interface GuardedFetcher {
  fetch(url: string | URL, init?: GuardedFetchInit): Promise<GuardedResponse>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const DEFAULTS = { maxRedirects: 5, timeoutMs: 30_000, maxBytes: 25 * 1024 * 1024, userAgent: 'platform-fetcher/1' };

interface Hop {
  url: URL;
  response: Dispatcher.ResponseData;
  release: () => void;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) headers.append(name, item);
  }
  return headers;
}

function requestHeaders(userAgent: string, headers: Record<string, string> = {}): Record<string, string> {
  const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  delete lowered.host;
  return { 'user-agent': userAgent, ...lowered };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)));
}

/** Rejects as soon as the signal aborts, for steps (DNS) that take no signal of their own. */
function untilAborted<T>(step: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(new Error('aborted'));
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    step.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function redirectLocation(hop: Hop): string | undefined {
  const location = hop.response.headers.location;
  if (!REDIRECT_STATUSES.has(hop.response.statusCode) || typeof location !== 'string') return undefined;
  try {
    return new URL(location, hop.url).href;
  } catch (error) {
    throw new UrlNotFetchableError('invalid_url', error);
  }
}

/**
 * The one fetcher for URLs a user chooses. Every hop: the URL checked (http(s), no userinfo, IP literals
 * public), the hostname resolved once with every address checked, and the connection pinned to those
 * addresses. Redirects are followed by hand and re-checked, time and size are bounded, and every failure
 * is a `UrlNotFetchableError` (400, one message; the real reason on `.reason` and `.cause`).
 */
export function createGuardedFetcher(options: GuardedFetcherOptions = {}): GuardedFetcher {
  const settings = { ...DEFAULTS, ...options };
  const allowList: AllowList = parseAllowList(options.allowList ?? []);
  const lookup = options.lookup ?? systemLookup;

  async function openHop(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Hop> {
    const agent = pinnedAgent(await untilAborted(resolveHop(url, lookup, allowList), signal));
    // Best effort: the hop is finished with either way, and a socket that fails to close is dropped by undici.
    const release = () => void agent.destroy().catch(() => undefined);
    try {
      return { url, response: await request(url, { method: 'GET', headers, signal, dispatcher: agent }), release };
    } catch (error) {
      release();
      throw error;
    }
  }

  async function followRedirects(input: string | URL, init: GuardedFetchInit, signal: AbortSignal): Promise<Hop> {
    let url = parseTarget(input, allowList);
    let headers = requestHeaders(settings.userAgent, init.headers);
    for (let redirects = 0; ; redirects += 1) {
      const hop = await openHop(url, headers, signal);
      const location = redirectLocation(hop);
      if (location === undefined) return hop;
      await hop.response.body.dump();
      hop.release();
      if (redirects >= settings.maxRedirects) throw refuse('too_many_redirects', `more than ${String(settings.maxRedirects)} redirects`);
      const next = parseTarget(location, allowList);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      url = next;
    }
  }

  function checkFinal(hop: Hop, init: GuardedFetchInit, maxBytes: number): void {
    const { statusCode, headers } = hop.response;
    if (init.requireOk === true && (statusCode < 200 || statusCode > 299))
      throw refuse('status', `upstream answered ${String(statusCode)}`);
    const declared = Number(headers['content-length']);
    if (declared > maxBytes) throw refuse('too_large', `declared body of ${String(declared)} bytes exceeds ${String(maxBytes)}`);
  }

  return {
    async fetch(input, init = {}) {
      const deadline = AbortSignal.timeout(init.timeoutMs ?? settings.timeoutMs);
      const signal = init.signal ? AbortSignal.any([deadline, init.signal]) : deadline;
      const maxBytes = init.maxBytes ?? settings.maxBytes;
      const toFailure = (error: unknown): UrlNotFetchableError => {
        if (error instanceof UrlNotFetchableError) return error;
        if (deadline.aborted) return new UrlNotFetchableError('timeout', error);
        if (init.signal?.aborted === true) return new UrlNotFetchableError('aborted', error);
        return transportFailure(error);
      };
      let hop: Hop | undefined;
      try {
        hop = await followRedirects(input, init, signal);
        checkFinal(hop, init, maxBytes);
      } catch (error) {
        if (hop) discard(hop.response.body);
        hop?.release();
        throw toFailure(error);
      }
      const body = limitedBody(hop.response.body, maxBytes, toFailure, hop.release);
      return {
        status: hop.response.statusCode,
        headers: toHeaders(hop.response.headers),
        url: hop.url.href,
        body,
        bytes: () => readAll(body),
        text: async () => (await readAll(body)).toString('utf8'),
      };
    },
  };
}
