import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, sha256, startServer, storedIds, tempEntries, type TestServer } from './helpers.js';

/** Temp entries once the write aborted by a cut-off settles (abort runs after the socket closed). */
async function settledTempEntries(server: TestServer): Promise<string[]> {
  const deadline = Date.now() + 2000;
  while ((await tempEntries(server.root)).length > 0 && Date.now() < deadline) await sleep(20);
  return tempEntries(server.root);
}

const BOUNDARY = 'data-bank-test-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  ms: number;
}

/** The head of a POST /v1/files with the admin key; `Connection: close` so the answer ends the exchange. */
function requestHead(headers: Record<string, string | number>): string {
  const defaults = { host: 'data-bank', 'x-api-key': KEYS.admin, connection: 'close' };
  const lines: [string, string | number][] = Object.entries({ ...defaults, ...headers });
  return `POST /v1/files HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${String(value)}`).join('\r\n')}\r\n\r\n`;
}

/**
 * Sends `chunks` over a plain socket (`delayMs` apart; `halfClose` then ends the sending side), and
 * waits for the server to answer and close. `status` is 0 when the server closed without answering.
 */
async function exchange(server: TestServer, chunks: (string | Buffer)[], { delayMs = 0, halfClose = false } = {}): Promise<RawAnswer> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const started = Date.now();
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      resolve();
    });
  });
  socket.on('error', () => undefined);
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    if (delayMs > 0) await Promise.race([sleep(delayMs), closed]);
  }
  if (halfClose) socket.end();
  await Promise.race([closed, sleep(15_000)]);
  socket.destroy();
  const text = Buffer.concat(received).toString('latin1');
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body, ms: Date.now() - started };
}

function part(headers: string[], content: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}

const filePart = (content: string | Buffer, type = 'application/octet-stream') =>
  part([`content-disposition: form-data; name="file"; filename="a.bin"`, `content-type: ${type}`], content);
const closing = `--${BOUNDARY}--\r\n`;

/** A complete HTTP request whose body is `body` (the multipart itself may be malformed). */
const post = (body: Buffer, contentType = MULTIPART) =>
  [requestHead({ 'content-type': contentType, 'content-length': body.length }), body] as const;

function expectEnvelope(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.head).toBe(status);
  expect(JSON.parse(answer.body)).toMatchObject({ code, request_id: expect.any(String) as string });
}

describe('malformed multipart uploads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ maxFileBytes: 1024 * 1024 });
  });
  afterAll(() => server.close());

  async function expectNothingKept(): Promise<void> {
    expect(await tempEntries(server.root)).toEqual([]);
    expect(await storedIds(server.root)).toEqual([]);
  }

  const body = Buffer.concat([filePart('the file bytes'), Buffer.from(closing)]);

  it.each([
    ['no boundary', 'multipart/form-data'],
    ['an empty boundary', 'multipart/form-data; boundary='],
    ['a boundary too long', `multipart/form-data; boundary=${'b'.repeat(71)}`],
    ['a different boundary', 'multipart/form-data; boundary=other'],
  ])('answers 400 to a body with %s', async (_case, contentType) => {
    expectEnvelope(await exchange(server, [...post(body, contentType)]), 400, 'INVALID_INPUT');
    await expectNothingKept();
  });

  it('answers 400 to a file part cut off before its delimiter (boundary never closed)', async () => {
    const truncated = body.subarray(0, body.indexOf('bytes') + 2);
    expectEnvelope(await exchange(server, [...post(truncated)]), 400, 'INVALID_INPUT');
    await expectNothingKept();
  });

  it('answers 400 and keeps nothing when the file part ended but the body never closes', async () => {
    // The file part is whole (its bytes are hashed and written) but the body lacks its closing delimiter.
    const unclosed = Buffer.concat([filePart('whole part, unclosed body'), Buffer.from(`--${BOUNDARY}\r\n`)]);
    expectEnvelope(await exchange(server, [...post(unclosed)]), 400, 'INVALID_INPUT');
    await expectNothingKept();
    expect(await storedIds(server.root)).not.toContain(sha256('whole part, unclosed body'));
  });

  it('answers 400 when the client half-closes mid-file', async () => {
    const [head] = post(body);
    const answer = await exchange(server, [head.replace(/content-length: \d+/, 'content-length: 100000'), body], {
      halfClose: true,
    });
    // The socket's end tells the server the body is over: an answer, or at least a close, never a hang.
    expect([0, 400]).toContain(answer.status);
    expect(answer.ms).toBeLessThan(5000);
    await expectNothingKept();
  });

  it.each([
    ['long', `application/${'x'.repeat(300)}`],
    ['non-ASCII', 'text/pl\u00e9in'],
    ['control characters', 'text/pl\u0001in'],
  ])('answers 400 to a part Content-Type that is %s', async (_case, type) => {
    const odd = Buffer.concat([filePart('typed', type), Buffer.from(closing)]);
    expectEnvelope(await exchange(server, [...post(odd)]), 400, 'INVALID_INPUT');
    await expectNothingKept();
  });

  it('answers 400 to fields besides the file part', async () => {
    const withField = Buffer.concat([
      part(['content-disposition: form-data; name="note"'], 'hello'),
      filePart('with a field'),
      Buffer.from(closing),
    ]);
    expectEnvelope(await exchange(server, [...post(withField)]), 400, 'INVALID_INPUT');
    await expectNothingKept();
  });

  it('answers 413 to a multipart file over DATA_BANK_MAX_FILE_BYTES, and stores one at the limit', async () => {
    const over = Buffer.concat([filePart(Buffer.alloc(1024 * 1024 + 1, 7)), Buffer.from(closing)]);
    expectEnvelope(await exchange(server, [...post(over)]), 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingKept();

    const fits = Buffer.concat([filePart(Buffer.alloc(1024 * 1024, 7)), Buffer.from(closing)]);
    const answer = await exchange(server, [...post(fits)]);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ file_id: sha256(Buffer.alloc(1024 * 1024, 7)) });
    expect(await tempEntries(server.root)).toEqual([]);
  });
});

describe('request timeouts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ requestTimeoutMs: 1000 });
  });
  afterAll(() => server.close());

  // 3 MiB: past the in-memory size, so a temp file is being written when the client stalls.
  const trickle = (first: Buffer) => [first, ...Array.from({ length: 40 }, () => Buffer.alloc(1024, 1))];

  it('cuts off a raw upload that trickles in slower than DATA_BANK_REQUEST_TIMEOUT_MS', async () => {
    const head = requestHead({
      'content-type': 'application/octet-stream',
      'content-length': 10 * 1024 * 1024,
    });
    const answer = await exchange(server, [head, ...trickle(Buffer.alloc(3 * 1024 * 1024, 2))], {
      delayMs: 100,
    });
    expect([0, 408]).toContain(answer.status);
    expect(answer.ms).toBeLessThan(3500);
    expect(await settledTempEntries(server)).toEqual([]);
    expect(await storedIds(server.root)).toEqual([]);
  });

  it('cuts off a multipart upload that trickles in', async () => {
    const head = requestHead({ 'content-type': MULTIPART, 'content-length': 10 * 1024 * 1024 });
    const first = filePart(Buffer.alloc(3 * 1024 * 1024, 3)).subarray(0, -2);
    const answer = await exchange(server, [head, ...trickle(first)], { delayMs: 100 });
    expect([0, 408]).toContain(answer.status);
    expect(answer.ms).toBeLessThan(3500);
    expect(await settledTempEntries(server)).toEqual([]);
    expect(await storedIds(server.root)).toEqual([]);
  });

  it('cuts off a client that sends its headers slowly', async () => {
    const head = requestHead({ 'content-type': 'text/plain', 'content-length': 1 });
    const answer = await exchange(server, head.split(''), { delayMs: 100 });
    expect([0, 408]).toContain(answer.status);
    expect(answer.ms).toBeLessThan(3500);
  });

  it('lets an upload that keeps to the deadline through', async () => {
    const answer = await exchange(server, [...post(Buffer.concat([filePart('in time'), Buffer.from(closing)]))]);
    expect(answer.status).toBe(201);
  });
});
