import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataBankClient,
  DataBankAuthError,
  DataBankIntegrityError,
  DataBankInvalidError,
  DataBankNotFoundError,
  DataBankRangeError,
  DataBankStorageFullError,
  DataBankUnavailableError,
  runWithContext,
  type DataBankClient,
  type FileRecord,
} from '../src/index.js';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const KEY = 'client-key';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
}

/**
 * A stand-in data-bank-api speaking the HTTP contract of DESIGN.md section 6 (the real service cannot be a
 * dependency of @platform/core; its own tests run this client against the real thing). Faults are injected
 * per test: error statuses for the next calls, a body cut off mid-transfer, corrupted bytes.
 */
class FakeDataBank {
  readonly files = new Map<string, { data: Buffer; record: FileRecord }>();
  readonly seen: Seen[] = [];
  failures: number[] = [];
  /** The next GET of a file sends this many bytes, then drops the connection. */
  cutAfter: number | undefined;
  /** Served bytes are flipped (a corrupting proxy). */
  corrupt = false;
  private server: FakeHttpServer | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = await startFakeHttpServer((request, response) => this.handle(request, response));
    this.url = this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    });
    response.end(text);
  }

  private error(response: ServerResponse, status: number, code: string) {
    this.send(response, status, { code, message: `${code} from the fake`, request_id: 'fake' });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', this.url);
    this.seen.push({
      method,
      url: url.pathname + url.search,
      headers: request.headers,
      bodyBytes: body.length,
    });

    const failure = this.failures.shift();
    if (failure !== undefined) {
      this.error(response, failure, failure === 503 ? 'SERVICE_UNAVAILABLE' : 'X');
      return;
    }
    if (request.headers['x-api-key'] !== KEY) {
      this.error(response, 401, 'UNAUTHORIZED');
      return;
    }

    const match = /^\/v1\/files(?:\/([0-9a-f]{64}))?(\/info)?$/.exec(url.pathname);
    if (!match) {
      this.error(response, 404, 'NOT_FOUND');
      return;
    }
    const [, id, info] = match;
    if (!id && method === 'POST') {
      this.store(response, body, request.headers['content-type'], undefined);
      return;
    }
    if (!id && method === 'GET') {
      const records = [...this.files.values()].map((file) => file.record);
      this.send(response, 200, { files: records, next_cursor: null, total_bytes: 0 });
      return;
    }
    if (!id) {
      this.error(response, 405, 'METHOD_NOT_ALLOWED');
      return;
    }
    if (method === 'PUT') {
      this.store(response, body, request.headers['content-type'], id);
      return;
    }
    const file = this.files.get(id);
    if (!file) {
      this.error(response, 404, 'NOT_FOUND');
      return;
    }
    if (info) {
      this.send(response, 200, file.record);
      return;
    }
    if (method === 'DELETE') {
      this.files.delete(id);
      this.send(response, 204);
      return;
    }
    this.serve(request, response, file);
  }

  private store(response: ServerResponse, body: Buffer, contentType: string | undefined, expected: string | undefined) {
    const id = sha256(body);
    if (expected !== undefined && expected !== id) {
      this.error(response, 400, 'INVALID_INPUT');
      return;
    }
    const existing = this.files.get(id);
    if (existing) {
      this.send(response, 200, existing.record);
      return;
    }
    const record: FileRecord = {
      file_id: id,
      sha256: id,
      size: body.length,
      content_type: contentType ?? 'application/octet-stream',
      created_at: '2025-01-02T03:04:05.000Z',
    };
    this.files.set(id, { data: body, record });
    this.send(response, 201, record);
  }

  private serve(request: IncomingMessage, response: ServerResponse, file: { data: Buffer; record: FileRecord }) {
    const { data, record } = file;
    const headers: Record<string, string> = {
      etag: `"${record.sha256}"`,
      'last-modified': new Date(record.created_at).toUTCString(),
      'content-type': record.content_type,
      'accept-ranges': 'bytes',
    };
    let [start, end, status] = [0, data.length - 1, 200];
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const ifRange = request.headers['if-range'];
    if (range && data.length > 0 && (ifRange === undefined || ifRange === headers.etag)) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start >= data.length) {
        this.error(response, 416, 'RANGE_NOT_SATISFIABLE');
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${data.length}`;
    }
    let slice = data.subarray(start, end + 1);
    if (this.corrupt) slice = Buffer.from(slice.map((byte) => byte ^ 0xff));
    response.writeHead(status, { ...headers, 'content-length': String(slice.length) });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const cut = this.cutAfter;
    if (cut !== undefined && cut < slice.length) {
      this.cutAfter = undefined;
      response.write(slice.subarray(0, cut), () => {
        setTimeout(() => request.socket.destroy(), 20);
      });
      return;
    }
    response.end(slice);
  }
}

describe('data-bank client', () => {
  const bank = new FakeDataBank();
  let client: DataBankClient;
  let dir: string;

  beforeAll(async () => {
    await bank.start();
    dir = await mkdtemp(join(tmpdir(), 'data-bank-client-'));
  });
  afterAll(async () => {
    await bank.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    bank.files.clear();
    bank.seen.length = 0;
    bank.failures = [];
    bank.corrupt = false;
    client = createDataBankClient({
      baseUrl: `${bank.url}/`,
      apiKey: KEY,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  });

  it('uploads a buffer with PUT by hash, retrying 503s', async () => {
    const data = randomBytes(1000);
    bank.failures = [503, 503];
    const record = await runWithContext({ request_id: 'req-42' }, () =>
      client.upload({ kind: 'buffer', data }, { contentType: 'image/png' }),
    );
    expect(record).toMatchObject({
      file_id: sha256(data),
      size: 1000,
      content_type: 'image/png',
      created: true,
    });
    expect(bank.seen.map((call) => `${call.method} ${call.url}`)).toEqual(Array(3).fill(`PUT /v1/files/${sha256(data)}`));
    expect(bank.seen[2]?.headers['x-request-id']).toBe('req-42');
    const again = await client.upload({ kind: 'buffer', data });
    expect(again.created).toBe(false);
  });

  it('uploads a file by path: POST without a hash (never retried), PUT with one (retried)', async () => {
    const path = join(dir, 'upload.bin');
    const data = randomBytes(200_000);
    await writeFile(path, data);

    bank.failures = [503];
    await expect(client.upload({ kind: 'path', path })).rejects.toBeInstanceOf(DataBankUnavailableError);
    expect(bank.seen).toHaveLength(1);

    const posted = await client.upload({ kind: 'path', path });
    expect(posted).toMatchObject({
      file_id: sha256(data),
      size: data.length,
      content_type: 'application/octet-stream',
    });
    expect(bank.seen.at(-1)).toMatchObject({ method: 'POST', bodyBytes: data.length });

    bank.files.clear();
    bank.failures = [502];
    const put = await client.upload({ kind: 'path', path }, { sha256: sha256(data).toUpperCase() });
    expect(put.created).toBe(true);
    expect(bank.seen.slice(-2).map((call) => call.method)).toEqual(['PUT', 'PUT']);
    expect(bank.seen.at(-1)?.bodyBytes).toBe(data.length);
  });

  it('uploads web and Node streams, with Content-Length when the size is known', async () => {
    const web = await client.upload({ kind: 'stream', stream: new Blob(['web stream']).stream() });
    expect(web.file_id).toBe(sha256('web stream'));
    expect(bank.seen.at(-1)?.headers['transfer-encoding']).toBe('chunked');

    const node = await client.upload({
      kind: 'stream',
      stream: Readable.from([Buffer.from('node '), Buffer.from('stream')]),
      size: 11,
    });
    expect(node.file_id).toBe(sha256('node stream'));
    expect(bank.seen.at(-1)?.headers['content-length']).toBe('11');

    bank.failures = [503];
    await expect(
      client.upload({ kind: 'stream', stream: Readable.from([Buffer.from('once')]) }, { sha256: sha256('once') }),
    ).rejects.toBeInstanceOf(DataBankUnavailableError); // a stream cannot be replayed, so no retry
  });

  it('maps error statuses to typed errors', async () => {
    const id = sha256('missing');
    await expect(client.info(id)).rejects.toBeInstanceOf(DataBankNotFoundError);
    await expect(client.delete(id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(client.upload({ kind: 'buffer', data: Buffer.from('x') }, { sha256: id })).rejects.toBeInstanceOf(DataBankInvalidError);
    await expect(client.info('not-an-id')).rejects.toBeInstanceOf(DataBankInvalidError);
    bank.failures = [507];
    await expect(client.upload({ kind: 'stream', stream: Readable.from([Buffer.from('y')]) })).rejects.toBeInstanceOf(
      DataBankStorageFullError,
    );
    const anonymous = createDataBankClient({ baseUrl: bank.url });
    await expect(anonymous.list()).rejects.toBeInstanceOf(DataBankAuthError);
    const nowhere = createDataBankClient({
      baseUrl: 'http://127.0.0.1:1',
      retry: { retries: 1, baseDelayMs: 1 },
    });
    await expect(nowhere.info(id)).rejects.toBeInstanceOf(DataBankUnavailableError);
  });

  it('reads records with head, info and list, and deletes', async () => {
    const { file_id } = await client.upload({ kind: 'buffer', data: Buffer.from('hello') }, { contentType: 'text/plain' });
    expect(await client.head(file_id)).toEqual({
      file_id,
      sha256: file_id,
      size: 5,
      content_type: 'text/plain',
      created_at: '2025-01-02T03:04:05.000Z',
    });
    expect(await client.info(file_id)).toMatchObject({ file_id, size: 5 });
    const page = await client.list({ limit: 10, prefix: file_id.slice(0, 2) });
    expect(page.files.map((file) => file.file_id)).toEqual([file_id]);
    expect(bank.seen.at(-1)?.url).toBe(`/v1/files?limit=10&prefix=${file_id.slice(0, 2)}`);
    await client.delete(file_id);
    expect(await client.head(file_id)).toBeUndefined();
  });

  it('streams a file or a range of it', async () => {
    const { file_id } = await client.upload({ kind: 'buffer', data: Buffer.from('0123456789') });
    const read = async (stream: ReadableStream<Uint8Array>) => Buffer.from(await new Response(stream).arrayBuffer()).toString();
    expect(await read(await client.stream(file_id))).toBe('0123456789');
    expect(await read(await client.stream(file_id, { start: 2, end: 4 }))).toBe('234');
    expect(await read(await client.stream(file_id, { start: 7 }))).toBe('789');
    await expect(client.stream(file_id, { start: 50 })).rejects.toBeInstanceOf(DataBankRangeError);
  });

  it('downloads, verifying the hash before the file appears', async () => {
    const data = randomBytes(300_000);
    const { file_id } = await client.upload({ kind: 'buffer', data });
    const target = join(dir, 'download.bin');
    expect(await client.download(file_id, target)).toMatchObject({ file_id, size: data.length });
    expect(sha256(await readFile(target))).toBe(file_id);
    await expect(stat(`${target}.part`)).rejects.toThrow();

    bank.corrupt = true;
    const corrupted = join(dir, 'corrupted.bin');
    await expect(client.download(file_id, corrupted)).rejects.toBeInstanceOf(DataBankIntegrityError);
    await expect(stat(corrupted)).rejects.toThrow();
    await expect(stat(`${corrupted}.part`)).rejects.toThrow();
  });

  it('resumes an interrupted download with a Range request', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const { file_id } = await client.upload({ kind: 'buffer', data });
    const target = join(dir, 'resumed.bin');
    bank.cutAfter = 700_000;
    bank.seen.length = 0;
    await client.download(file_id, target);
    expect(sha256(await readFile(target))).toBe(file_id);
    const gets = bank.seen.filter((call) => call.method === 'GET' && !call.url.endsWith('/info'));
    expect(gets).toHaveLength(2);
    expect(gets[0]?.headers.range).toBeUndefined();
    expect(gets[1]?.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(gets[1]?.headers.range ?? '')?.[0])).toBeGreaterThan(0);
    expect(gets[1]?.headers['if-range']).toBe(`"${file_id}"`);
  });

  it('continues from a .part file left by an earlier process, and restarts when it is longer', async () => {
    const data = randomBytes(100_000);
    const { file_id } = await client.upload({ kind: 'buffer', data });
    const target = join(dir, 'continued.bin');
    await writeFile(`${target}.part`, data.subarray(0, 60_000));
    bank.seen.length = 0;
    await client.download(file_id, target);
    expect(sha256(await readFile(target))).toBe(file_id);
    expect(bank.seen.find((call) => call.headers.range)?.headers.range).toBe('bytes=60000-');

    const overlong = join(dir, 'overlong.bin');
    await writeFile(`${overlong}.part`, randomBytes(200_000));
    await client.download(file_id, overlong);
    expect(sha256(await readFile(overlong))).toBe(file_id);

    const empty = await client.upload({ kind: 'buffer', data: new Uint8Array(0) });
    await client.download(empty.file_id, join(dir, 'empty.bin'));
    expect((await stat(join(dir, 'empty.bin'))).size).toBe(0);
  });
});
