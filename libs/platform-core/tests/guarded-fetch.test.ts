import { freePort, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGuardedFetcher,
  type FetchFailureReason,
  type GuardedFetcherOptions,
  type HostLookup,
  UrlNotFetchableError,
} from '../src/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const handlers = new Map<string, Handler>();
const requests: string[] = [];
let connections = 0;
let server: FakeHttpServer;
let port: number;
let origin: string;

beforeAll(async () => {
  server = await startFakeHttpServer((request, response) => {
    requests.push(request.url ?? '');
    const handler = handlers.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (handler) handler(request, response);
    else response.writeHead(404).end('no such page');
  });
  server.server.on('connection', () => (connections += 1));
  ({ port, url: origin } = server);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  requests.length = 0;
  connections = 0;
});

/** A resolver answering from a fixed table, recording every question; unknown names fail like getaddrinfo. */
function fakeDns(records: Record<string, string[]>) {
  const questions: string[] = [];
  const lookup: HostLookup = (hostname) => {
    questions.push(hostname);
    const answers = records[hostname];
    if (answers === undefined) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(answers.map((address) => ({ address })));
  };
  return { lookup, questions };
}

const local = (options: GuardedFetcherOptions = {}) => createGuardedFetcher({ allowList: ['127.0.0.1'], timeoutMs: 2_000, ...options });

async function failure(promise: Promise<unknown>): Promise<UrlNotFetchableError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UrlNotFetchableError);
  return error as UrlNotFetchableError;
}

const seenFailures: UrlNotFetchableError[] = [];
async function expectReason(promise: Promise<unknown>, reason: FetchFailureReason): Promise<UrlNotFetchableError> {
  const error = await failure(promise);
  expect(error.reason).toBe(reason);
  seenFailures.push(error);
  return error;
}

handlers.set('/hello', (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
handlers.set('/echo-headers', (request, response) => response.writeHead(200).end(JSON.stringify(request.headers)));

describe('refused targets, before any DNS or connection', () => {
  const spellings = [
    '127.0.0.1',
    '2130706433',
    '0177.0.0.1',
    '0x7f.1',
    '0x7f000001',
    '017700000001',
    '127.1',
    '127.0.0.1.',
    '%31%32%37.0.0.1',
    '１２７.０.０.１',
    '0',
    '0.0.0.0',
    '[::1]',
    '[::]',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::127.0.0.1]',
    '[64:ff9b::127.0.0.1]',
    '[2002:7f00:1::]',
    '[fe80::1%25lo]',
    '10.0.0.1',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.1',
    '[fc00::1]',
    '[fd12::1]',
    '[fe80::1]',
    '[ff02::1]',
    '[2001:db8::1]',
    '[::ffff:10.0.0.1]',
    '[::ffff:169.254.169.254]',
  ];
  const urls = [
    ...spellings.map((host) => `http://${host}:PORT/hello`),
    'https://127.0.0.1:PORT/hello',
    'file:///etc/passwd',
    'ftp://example.com/',
    'gopher://example.com/',
    'ws://example.com/',
    'data:text/plain,hi',
    'javascript:alert(1)',
    'http://user:pw@example.com/',
    'http://user@127.0.0.1:PORT/',
    'http://[]/',
    'http://',
    'not a url',
    '',
  ];

  it.each(urls)('refuses %s', async (template) => {
    const dns = fakeDns({});
    const fetcher = createGuardedFetcher({ lookup: dns.lookup });
    const error = await failure(fetcher.fetch(template.replace('PORT', String(port))));
    expect(['blocked_address', 'scheme', 'credentials', 'invalid_url']).toContain(error.reason);
    expect(dns.questions).toEqual([]);
    expect(connections).toBe(0);
  });
});

describe('DNS answers', () => {
  it.each([
    ['a private address', ['10.0.0.7']],
    ['loopback', ['127.0.0.1']],
    ['IPv6 loopback', ['::1']],
    ['a public and a private address', ['93.184.216.34', '192.168.0.10']],
  ])('refuses a public name whose DNS answers %s', async (_what, answers) => {
    const dns = fakeDns({ 'innocent.example': answers });
    await expectReason(
      createGuardedFetcher({ lookup: dns.lookup }).fetch(`http://innocent.example:${String(port)}/hello`),
      'blocked_address',
    );
    expect(connections).toBe(0);
  });

  it('resolves once per hop and connects to the checked address, not a later answer', async () => {
    let calls = 0;
    const rebinding: HostLookup = () => {
      calls += 1;
      return Promise.resolve([{ address: calls === 1 ? '93.184.216.34' : '127.0.0.1' }]);
    };
    const error = await failure(
      createGuardedFetcher({ lookup: rebinding, timeoutMs: 500 }).fetch(`http://rebind.example:${String(port)}/hello`),
    );
    expect(['network', 'timeout']).toContain(error.reason);
    expect(calls).toBe(1);
    expect(connections).toBe(0);
  });

  it('pins the connection to the resolved address while Host stays the hostname', async () => {
    const dns = fakeDns({ 'pinned.test': ['127.0.0.1'] });
    const response = await local({ lookup: dns.lookup }).fetch(`http://pinned.test:${String(port)}/echo-headers`);
    expect(JSON.parse(await response.text())).toMatchObject({ host: `pinned.test:${String(port)}`, 'user-agent': 'platform-fetcher/1' });
    expect(dns.questions).toEqual(['pinned.test']);
  });

  it('reports a name that does not resolve', async () => {
    await expectReason(createGuardedFetcher({ lookup: fakeDns({}).lookup }).fetch('http://nowhere.example/'), 'dns');
  });
});

describe('allow-list', () => {
  it('lets an allow-listed address through: the happy path', async () => {
    const response = await local().fetch(`${origin}/hello?x=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.url).toBe(`${origin}/hello?x=1`);
    expect(await response.text()).toBe('hello');
  });

  it('lets an allow-listed hostname through whatever it resolves to', async () => {
    const dns = fakeDns({ 'minio.internal': ['127.0.0.1'] });
    const fetcher = createGuardedFetcher({ allowList: ['minio.internal'], lookup: dns.lookup });
    expect(await (await fetcher.fetch(`http://minio.internal:${String(port)}/hello`)).text()).toBe('hello');
  });

  it('answers a non-2xx as is, or fails when the caller requires ok', async () => {
    expect((await local().fetch(`${origin}/missing`)).status).toBe(404);
    await expectReason(local().fetch(`${origin}/missing`, { requireOk: true }), 'status');
  });

  it('reports a refused connection', async () => {
    const closedPort = await freePort();
    await expectReason(local().fetch(`http://127.0.0.1:${String(closedPort)}/`), 'network');
  });
});

describe('redirects', () => {
  handlers.set('/to-loopback', (_request, response) =>
    response.writeHead(302, { location: `http://127.0.0.1:${String(port)}/hello` }).end(),
  );
  handlers.set('/to-localhost', (_request, response) =>
    response.writeHead(301, { location: `http://localhost:${String(port)}/hello` }).end(),
  );
  handlers.set('/to-file', (_request, response) => response.writeHead(307, { location: 'file:///etc/passwd' }).end());
  handlers.set('/to-hello', (_request, response) => response.writeHead(308, { location: '/hello' }).end());
  handlers.set('/to-other-origin', (_request, response) =>
    response.writeHead(303, { location: `http://other.test:${String(port)}/echo-headers` }).end(),
  );
  handlers.set('/loop', (request, response) => {
    const step = Number(new URL(request.url ?? '', 'http://x').searchParams.get('n'));
    response.writeHead(302, { location: `/loop?n=${String(step + 1)}` }).end('moved');
  });

  const dns = fakeDns({ 'redirector.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'], localhost: ['127.0.0.1'] });
  const viaName = (options: GuardedFetcherOptions = {}) =>
    createGuardedFetcher({ allowList: ['redirector.test', 'other.test'], lookup: dns.lookup, timeoutMs: 2_000, ...options });
  const at = (path: string) => `http://redirector.test:${String(port)}${path}`;

  it('follows a relative redirect, re-checked, and reports the final URL', async () => {
    const response = await viaName().fetch(at('/to-hello'));
    expect(await response.text()).toBe('hello');
    expect(response.url).toBe(at('/hello'));
  });

  it.each(['/to-loopback', '/to-localhost', '/to-file'])('refuses the hop of %s', async (path) => {
    await failure(viaName().fetch(at(path)));
    expect(requests).toEqual([path]);
  });

  it('drops credentials on a redirect to another origin', async () => {
    const response = await viaName().fetch(at('/to-other-origin'), { headers: { Authorization: 'Bearer secret', 'X-Keep': 'yes' } });
    const headers = JSON.parse(await response.text()) as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-keep']).toBe('yes');
  });

  it('follows at most maxRedirects', async () => {
    await expectReason(viaName({ maxRedirects: 2 }).fetch(at('/loop?n=0')), 'too_many_redirects');
    expect(requests).toEqual(['/loop?n=0', '/loop?n=1', '/loop?n=2']);
    expect((await viaName({ maxRedirects: 2 }).fetch(at('/to-hello'))).status).toBe(200);
  });
});

describe('size and time limits', () => {
  let streamedBytes = 0;
  let streamClosed: Promise<void> = Promise.resolve();
  handlers.set('/declared', (_request, response) => response.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000)));
  handlers.set('/exact', (_request, response) => response.writeHead(200).end('x'.repeat(100)));
  handlers.set('/endless', (_request, response) => {
    streamedBytes = 0;
    streamClosed = new Promise((resolve) => response.once('close', resolve));
    const timer = setInterval(() => {
      streamedBytes += 1024;
      response.write(Buffer.alloc(1024, 'y'));
    }, 2);
    response.once('close', () => {
      clearInterval(timer);
    });
  });
  handlers.set('/silent', () => undefined);
  handlers.set('/trickle', (_request, response) => {
    response.writeHead(200);
    const timer = setInterval(() => response.write('.'), 20);
    response.once('close', () => {
      clearInterval(timer);
    });
  });

  it('refuses a declared body over maxBytes before reading it', async () => {
    await expectReason(local({ maxBytes: 100 }).fetch(`${origin}/declared`), 'too_large');
  });

  it('accepts a body of exactly maxBytes', async () => {
    expect((await (await local({ maxBytes: 100 }).fetch(`${origin}/exact`)).bytes()).length).toBe(100);
  });

  it('stops reading a chunked body at the limit', async () => {
    const response = await local().fetch(`${origin}/endless`, { maxBytes: 8 * 1024 });
    await expectReason(response.text(), 'too_large');
    await streamClosed;
    expect(streamedBytes).toBeLessThan(512 * 1024);
  });

  it('fails the body stream itself with the generic error', async () => {
    const response = await local().fetch(`${origin}/endless`, { maxBytes: 4 * 1024 });
    const error = await new Promise((resolve) => response.body.on('error', resolve).resume());
    expect(error).toBeInstanceOf(UrlNotFetchableError);
    expect((error as UrlNotFetchableError).reason).toBe('too_large');
  });

  it('times out a server that never answers', async () => {
    await expectReason(local({ timeoutMs: 150 }).fetch(`${origin}/silent`), 'timeout');
  });

  it('bounds the time spent reading the body too', async () => {
    const response = await local().fetch(`${origin}/trickle`, { timeoutMs: 200 });
    await expectReason(response.text(), 'timeout');
  });

  it('stops when the caller aborts', async () => {
    await expectReason(local().fetch(`${origin}/silent`, { signal: AbortSignal.timeout(100) }), 'aborted');
  });
});

describe('https', () => {
  let tlsServer: TlsServer;
  let tlsPort: number;
  const serverNames: string[] = [];
  const certDir = mkdtempSync(join(tmpdir(), 'guarded-fetch-tls-'));

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=secure.test',
        '-addext',
        'subjectAltName=DNS:secure.test',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const context = { key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) };
    tlsServer = createTlsServer(
      {
        ...context,
        SNICallback: (name, callback) => {
          serverNames.push(name);
          callback(null, createSecureContext(context));
        },
      },
      (_request, response) => response.end('secret'),
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  afterAll(() => {
    tlsServer.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('sends the hostname as SNI over the pinned connection and reports an untrusted certificate', async () => {
    const dns = fakeDns({ 'secure.test': ['127.0.0.1'] });
    await expectReason(local({ lookup: dns.lookup }).fetch(`https://secure.test:${String(tlsPort)}/`), 'tls');
    expect(serverNames).toEqual(['secure.test']);
  });
});

describe('the one user-facing error', () => {
  it('is the same 400 for every reason and names no address, port or upstream text', () => {
    const reasons = new Set(seenFailures.map((error) => error.reason));
    expect(reasons).toEqual(
      new Set(['blocked_address', 'dns', 'status', 'network', 'too_many_redirects', 'too_large', 'timeout', 'aborted', 'tls']),
    );
    for (const error of seenFailures) {
      expect(error.toEnvelope('r')).toEqual({ code: 'URL_NOT_FETCHABLE', message: 'The URL could not be fetched', request_id: 'r' });
      expect(error.status).toBe(400);
      expect(error.cause).toBeDefined();
    }
  });
});
