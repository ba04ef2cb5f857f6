import { FileList, FileRecord } from '@platform/core';
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  byteStream,
  hashBody,
  KEYS,
  randomFile,
  sha256,
  startServer,
  storedIds,
  tempDir,
  tempEntries,
  type TestServer,
} from './helpers.js';

const MiB = 1024 * 1024;

async function upload(server: TestServer, data: Uint8Array | string, headers: Record<string, string> = {}) {
  const response = await server.request('/v1/files', { method: 'POST', body: data, headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('uploads and downloads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it.each([0, 1, MiB + 1])('round-trips %i bytes', async (size) => {
    const data = randomBytes(size);
    const { response, body } = await upload(server, data);
    expect(response.status).toBe(201);
    const record = FileRecord.parse(body);
    expect(record).toMatchObject({
      file_id: sha256(data),
      sha256: sha256(data),
      size,
      content_type: 'application/octet-stream',
    });
    expect(response.headers.get('location')).toBe(`/v1/files/${record.file_id}`);

    const head = await server.request(`/v1/files/${record.file_id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.headers.get('etag')).toBe(`"${record.sha256}"`);

    const download = await server.request(`/v1/files/${record.file_id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('accept-ranges')).toBe('bytes');
    expect(download.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(download.headers.get('last-modified')).toBe(new Date(record.created_at).toUTCString());
    expect(await hashBody(download)).toEqual({ sha256: record.sha256, size });
  });

  it('round-trips 100 MiB streamed from and to disk', async () => {
    const dir = await tempDir();
    try {
      const path = join(dir, 'big.bin');
      const expected = await randomFile(path, 100 * MiB);
      const response = await server.request('/v1/files', { method: 'POST', body: await openAsBlob(path) });
      expect(response.status).toBe(201);
      expect(FileRecord.parse(await response.json())).toMatchObject({ file_id: expected, size: 100 * MiB });
      expect(await hashBody(await server.request(`/v1/files/${expected}`))).toEqual({
        sha256: expected,
        size: 100 * MiB,
      });
      expect(await tempEntries(server.root)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores the raw Content-Type and a multipart part type', async () => {
    const raw = await upload(server, '{"a":1}', { 'content-type': 'application/json' });
    expect(raw.body).toMatchObject({ content_type: 'application/json', size: 7 });
    const served = await server.request(`/v1/files/${sha256('{"a":1}')}`);
    expect(served.headers.get('content-type')).toBe('application/json');
    expect(await served.text()).toBe('{"a":1}');

    const form = new FormData();
    form.append('file', new Blob(['multipart bytes'], { type: 'text/plain; charset=utf-8' }), 'a.txt');
    const response = await server.request('/v1/files', { method: 'POST', body: form });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      file_id: sha256('multipart bytes'),
      size: 15,
      content_type: 'text/plain', // busboy reports the media type without parameters
    });
  });

  it('rejects a multipart body without a "file" part', async () => {
    const form = new FormData();
    form.append('upload', new Blob(['x']), 'a.txt');
    const response = await server.request('/v1/files', { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_INPUT',
      request_id: expect.any(String) as string,
    });
  });

  it('rejects a Content-Type that cannot be echoed in a header', async () => {
    const { response, body } = await upload(server, 'x', { 'content-type': `text/${'x'.repeat(300)}` });
    expect(response.status).toBe(400);
    expect(body.code).toBe('INVALID_INPUT');
  });

  it('answers 200 with the original record for content that already exists', async () => {
    const data = randomBytes(1000);
    const first = await upload(server, data, { 'content-type': 'image/png' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await upload(server, data, { 'content-type': 'text/plain' });
    expect(first.response.status).toBe(201);
    expect(second.response.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  it('checks X-Content-SHA256 and keeps nothing on a mismatch', async () => {
    const data = randomBytes(5000);
    const good = await upload(server, data, { 'x-content-sha256': sha256(data).toUpperCase() });
    expect(good.response.status).toBe(201);

    const other = randomBytes(5000);
    const bad = await upload(server, other, { 'x-content-sha256': sha256(data) });
    expect(bad.response.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_INPUT');
    expect((await server.request(`/v1/files/${sha256(other)}/info`)).status).toBe(404);
    expect(await tempEntries(server.root)).toEqual([]);

    const malformed = await upload(server, data, { 'x-content-sha256': 'abc' });
    expect(malformed.response.status).toBe(400);
  });

  it('PUT by hash is idempotent and verifies the bytes', async () => {
    const data = randomBytes(3000);
    const id = sha256(data);
    const put = (body: Uint8Array, target = id) => server.request(`/v1/files/${target}`, { method: 'PUT', body });
    expect((await put(data)).status).toBe(201);
    expect((await put(data)).status).toBe(200);
    const wrong = await put(randomBytes(3000));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain(id);
    expect((await put(data, 'abc')).status).toBe(400);
    const differs = await server.request(`/v1/files/${id}`, {
      method: 'PUT',
      body: data,
      headers: { 'x-content-sha256': sha256('other') },
    });
    expect(differs.status).toBe(400);
  });

  it('serves info, rejects malformed ids and deletes', async () => {
    const data = randomBytes(10);
    const { body } = await upload(server, data);
    const info = await server.request(`/v1/files/${sha256(data)}/info`);
    expect(await info.json()).toEqual(body);
    const upper = await server.request(`/v1/files/${sha256(data).toUpperCase()}/info`);
    expect(upper.status).toBe(200);

    for (const bad of ['deadbeef', 'z'.repeat(64), `${sha256(data)}0`]) {
      const response = await server.request(`/v1/files/${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT' });
    }

    expect((await server.request(`/v1/files/${sha256(data)}`, { method: 'DELETE' })).status).toBe(204);
    const again = await server.request(`/v1/files/${sha256(data)}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await server.request(`/v1/files/${sha256(data)}`)).status).toBe(404);
    expect((await server.request(`/v1/files/${sha256(data)}`, { method: 'HEAD' })).status).toBe(404);
    expect((await server.request(`/v1/files/${sha256(data)}/info`)).status).toBe(404);
  });

  it('keeps nothing of an upload whose client goes away mid-body', async () => {
    const upload = request(`${server.url}/v1/files`, {
      method: 'POST',
      headers: { 'x-api-key': KEYS.admin },
    });
    upload.on('error', () => undefined);
    upload.write(Buffer.alloc(3 * MiB, 1));
    const deadline = Date.now() + 10_000;
    while ((await tempEntries(server.root)).length === 0 && Date.now() < deadline) await sleep(20);
    upload.destroy();
    while ((await tempEntries(server.root)).length > 0 && Date.now() < deadline) await sleep(20);
    expect(await tempEntries(server.root)).toEqual([]);
    expect(await storedIds(server.root)).not.toContain(sha256(Buffer.alloc(3 * MiB, 1)));
  });

  it('keeps concurrent identical uploads as one file', async () => {
    const data = randomBytes(5 * MiB);
    const results = await Promise.all(Array.from({ length: 8 }, () => upload(server, data)));
    const statuses = results.map((result) => result.response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((result) => JSON.stringify(result.body))).size).toBe(1);
    expect((await storedIds(server.root)).filter((id) => id === sha256(data))).toHaveLength(1);
    expect(await tempEntries(server.root)).toEqual([]);
  });

  it('lets a download that started finish when the file is deleted', async () => {
    const data = randomBytes(16 * MiB);
    const id = sha256(data);
    await upload(server, data);
    const download = await server.request(`/v1/files/${id}`);
    const reader = (download.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect((await server.request(`/v1/files/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.request(`/v1/files/${id}`, { method: 'HEAD' })).status).toBe(404);

    const chunks = [first.value as Uint8Array];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(sha256(Buffer.concat(chunks))).toBe(id);
    expect(await storedIds(server.root)).not.toContain(id);
  });

  it('accepts uploads while a file of the same id is being deleted, ending in a whole file or none', async () => {
    const data = randomBytes(256 * 1024);
    const id = sha256(data);
    for (let round = 0; round < 10; round++) {
      await Promise.all([upload(server, data), server.request(`/v1/files/${id}`, { method: 'DELETE' })]);
      const info = await server.request(`/v1/files/${id}/info`);
      if (info.status === 200)
        expect(await hashBody(await server.request(`/v1/files/${id}`))).toEqual({
          sha256: id,
          size: data.length,
        });
      else expect(info.status).toBe(404);
    }
    expect(await tempEntries(server.root)).toEqual([]);
  });
});

describe('listing', () => {
  let server: TestServer;
  const ids: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    for (let i = 0; i < 25; i++) {
      const data = `file number ${i}`;
      await upload(server, data);
      ids.push(sha256(data));
    }
    ids.sort();
  });
  afterAll(() => server.close());

  it('pages through every file in id order with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const response = await server.request(`/v1/files?limit=10${query}`);
      expect(response.status).toBe(200);
      const page = FileList.parse(await response.json());
      expect(page.total_bytes).toBe(page.files.reduce((sum, file) => sum + file.size, 0));
      seen.push(...page.files.map((file) => file.file_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('filters by prefix', async () => {
    const prefix = ids[0]?.slice(0, 1) ?? '';
    const page = FileList.parse(await (await server.request(`/v1/files?prefix=${prefix.toUpperCase()}`)).json());
    expect(page.files.map((file) => file.file_id)).toEqual(ids.filter((id) => id.startsWith(prefix)));
    const exact = FileList.parse(await (await server.request(`/v1/files?prefix=${ids[3] ?? ''}`)).json());
    expect(exact.files.map((file) => file.file_id)).toEqual([ids[3]]);
  });

  it('rejects bad cursors and limits', async () => {
    for (const query of ['cursor=nonsense', 'cursor=djE6eHl6', 'limit=0', 'limit=5000', 'prefix=xyz']) {
      const response = await server.request(`/v1/files?${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });
});

describe('ranges and conditional requests', () => {
  let server: TestServer;
  const data = randomBytes(1000);
  const id = sha256(data);
  let lastModified = '';
  beforeAll(async () => {
    server = await startServer();
    await upload(server, data, { 'content-type': 'text/plain' });
    await upload(server, new Uint8Array(0));
    lastModified = (await server.request(`/v1/files/${id}`, { method: 'HEAD' })).headers.get('last-modified') ?? '';
  });
  afterAll(() => server.close());

  const get = (headers: Record<string, string>, method = 'GET', target = id) => server.request(`/v1/files/${target}`, { method, headers });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=990-', 990, 999],
    ['bytes=-500', 500, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=500-99999', 500, 999],
    ['bytes=999-999', 999, 999],
    ['BYTES = 10-19', 10, 19],
    ['bytes=0-1,2000-', 0, 1],
  ])('%s gives 206 with bytes %i-%i', async (range, start, end) => {
    const response = await get({ range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(data.subarray(start, end + 1));
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0', 'bytes=1000-,2000-'])('%s is 416', async (range) => {
    const response = await get({ range });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
    expect(await response.json()).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
  });

  it.each(['bytes=abc-', 'bytes=5-1', 'items=0-5', 'bytes=', 'bytes=0-1,5-6'])('%s is ignored (200, whole file)', async (range) => {
    const response = await get({ range });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(data);
  });

  it('answers HEAD with the range headers and no body', async () => {
    const response = await get({ range: 'bytes=-10' }, 'HEAD');
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(response.headers.get('content-length')).toBe('10');
    expect(await response.text()).toBe('');
  });

  it('serves a zero-byte file as 200 with an empty body, range or not', async () => {
    const empty = sha256('');
    for (const headers of [{}, { range: 'bytes=0-' }, { range: 'bytes=-5' }] as Record<string, string>[]) {
      const response = await get(headers, 'GET', empty);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe('0');
      expect(await response.text()).toBe('');
    }
  });

  it('honours If-Range with the strong ETag or the exact date only', async () => {
    const honoured = [`"${id}"`, lastModified];
    const ignored = [`W/"${id}"`, `"${sha256('x')}"`, new Date(Date.parse(lastModified) - 5000).toUTCString(), 'garbage'];
    for (const ifRange of honoured) expect((await get({ range: 'bytes=0-0', 'if-range': ifRange })).status).toBe(206);
    for (const ifRange of ignored) expect((await get({ range: 'bytes=0-0', 'if-range': ifRange })).status).toBe(200);
  });

  it('answers 304 to a matching If-None-Match or an unchanged If-Modified-Since', async () => {
    for (const inm of [`"${id}"`, `W/"${id}"`, `"nope", "${id}"`, '*']) {
      const response = await get({ 'if-none-match': inm });
      expect(response.status, inm).toBe(304);
      expect(response.headers.get('etag')).toBe(`"${id}"`);
      expect(await response.text()).toBe('');
    }
    expect((await get({ 'if-none-match': '"nope"' })).status).toBe(200);
    expect((await get({ 'if-none-match': `"${id}"`, range: 'bytes=0-1' })).status).toBe(304);
    expect((await get({ 'if-none-match': `"${id}"` }, 'HEAD')).status).toBe(304);
    expect((await get({ 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get({ 'if-modified-since': new Date(Date.parse(lastModified) - 5000).toUTCString() })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await get({ 'if-none-match': '"nope"', 'if-modified-since': lastModified })).status).toBe(200);
  });
});

describe('API keys', () => {
  let server: TestServer;
  const data = 'auth matrix';
  const id = sha256(data);
  beforeAll(async () => {
    server = await startServer();
    await upload(server, data);
  });
  afterAll(() => server.close());

  const calls: Record<string, (key?: string) => Promise<Response>> = {
    upload: (key) =>
      fetch(`${server.url}/v1/files`, {
        method: 'POST',
        body: data,
        headers: key ? { 'x-api-key': key } : {},
      }),
    put: (key) =>
      fetch(`${server.url}/v1/files/${id}`, {
        method: 'PUT',
        body: data,
        headers: key ? { 'x-api-key': key } : {},
      }),
    get: (key) => fetch(`${server.url}/v1/files/${id}`, { headers: key ? { 'x-api-key': key } : {} }),
    head: (key) => fetch(`${server.url}/v1/files/${id}`, { method: 'HEAD', headers: key ? { 'x-api-key': key } : {} }),
    info: (key) => fetch(`${server.url}/v1/files/${id}/info`, { headers: key ? { 'x-api-key': key } : {} }),
    list: (key) => fetch(`${server.url}/v1/files`, { headers: key ? { 'x-api-key': key } : {} }),
    delete: (key) =>
      fetch(`${server.url}/v1/files/${'0'.repeat(64)}`, {
        method: 'DELETE',
        headers: key ? { 'x-api-key': key } : {},
      }),
  };
  const permission: Record<string, 'upload' | 'read' | 'delete'> = {
    upload: 'upload',
    put: 'upload',
    get: 'read',
    head: 'read',
    info: 'read',
    list: 'read',
    delete: 'delete',
  };
  const keyFor = { upload: KEYS.uploader, read: KEYS.reader, delete: KEYS.deleter };
  const success: Record<string, number> = {
    upload: 200,
    put: 200,
    get: 200,
    head: 200,
    info: 200,
    list: 200,
    delete: 404,
  };

  it.each(Object.keys(calls))(
    '%s: 401 without a key, 403 with a key lacking the permission, 401 with an unknown one, else allowed',
    async (name) => {
      const call = calls[name];
      const needed = permission[name];
      if (!call || !needed) throw new Error('bad table');
      const missing = await call();
      expect(missing.status).toBe(401);
      if (name !== 'head') expect(await missing.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await call('   ')).status).toBe(401);
      for (const [other, key] of Object.entries(keyFor)) {
        if (other !== needed) expect((await call(key)).status, `${name} with ${other} key`).toBe(403);
      }
      expect((await call('not-a-key')).status).toBe(401);
      expect((await call(keyFor[needed])).status).toBe(success[name]);
      expect((await call(KEYS.admin)).status).toBe(success[name]);
    },
  );

  it('checks the key before reading an upload body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 200) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const response = await fetch(`${server.url}/v1/files`, {
      method: 'POST',
      body,
      duplex: 'half',
    }).catch((error: unknown) => error);
    if (response instanceof Response) {
      expect(response.status).toBe(401);
      expect(response.headers.get('connection')).toBe('close');
    }
    expect(pulled).toBeLessThan(200);
    expect(await tempEntries(server.root)).toEqual([]);
  });

  it('allows anonymous access only when enabled and the key set is empty', async () => {
    const open = await startServer({ keys: { upload: [], read: [], delete: ['d'] }, allowAnonymous: true });
    try {
      expect((await fetch(`${open.url}/v1/files`, { method: 'POST', body: 'x' })).status).toBe(201);
      expect((await fetch(`${open.url}/v1/files/${sha256('x')}`)).status).toBe(200);
      expect((await fetch(`${open.url}/v1/files/${sha256('x')}`, { method: 'DELETE' })).status).toBe(401);
    } finally {
      await open.close();
    }
    const closed = await startServer({ keys: { upload: ['u'], read: [], delete: [] } });
    try {
      expect((await fetch(`${closed.url}/v1/files`, { headers: { 'x-api-key': 'u' } })).status).toBe(403);
    } finally {
      await closed.close();
    }
  });
});

describe('limits', () => {
  it('refuses files over DATA_BANK_MAX_FILE_BYTES with 413, declared or streamed', async () => {
    const server = await startServer({ maxFileBytes: 1000 });
    try {
      expect((await upload(server, new Uint8Array(1000))).response.status).toBe(201);
      const declared = await upload(server, new Uint8Array(1001));
      expect(declared.response.status).toBe(413);
      expect(declared.body.code).toBe('PAYLOAD_TOO_LARGE');

      const streamed = await server.request('/v1/files', { method: 'POST', body: byteStream(50 * MiB) }).catch((error: unknown) => error);
      if (streamed instanceof Response) expect(streamed.status).toBe(413);
      else expect(streamed).toBeInstanceOf(TypeError); // the server closed the connection mid-body
      const fits = await server.request('/v1/files', { method: 'POST', body: byteStream(999, 100) });
      expect(fits.status).toBe(201);
      expect(await storedIds(server.root)).toHaveLength(2);
      expect(await tempEntries(server.root)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('answers 507 when the upload would leave less than DATA_BANK_MIN_FREE_BYTES', async () => {
    let free = 10 * MiB;
    const server = await startServer({ minFreeBytes: 5 * MiB, freeSpace: () => Promise.resolve(free) });
    try {
      expect((await upload(server, new Uint8Array(4 * MiB))).response.status).toBe(201);
      const tooBig = await upload(server, randomBytes(6 * MiB));
      expect(tooBig.response.status).toBe(507);
      expect(tooBig.body.code).toBe('INSUFFICIENT_STORAGE');
      free = 4 * MiB;
      expect((await upload(server, 'tiny')).response.status).toBe(507);
      expect((await server.request('/readyz')).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it('stops a streamed upload with 507 when the disk fills while writing', async () => {
    let probes = 0;
    const server = await startServer({
      minFreeBytes: MiB,
      freeSpace: () => Promise.resolve(++probes > 1 ? 0 : 100 * MiB),
    });
    try {
      const response = await server.request('/v1/files', { method: 'POST', body: byteStream(64 * MiB) }).catch((error: unknown) => error);
      if (response instanceof Response) {
        expect(response.status).toBe(507);
        expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
      }
      expect(probes).toBeGreaterThan(1);
      expect(await storedIds(server.root)).toEqual([]);
      expect(await tempEntries(server.root)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('service endpoints', () => {
  it('is ready with a writable store and serves the OpenAPI document', async () => {
    const server = await startServer();
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { storage: 'ok', free_space: 'ok' },
      });
      const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/files', '/v1/files/{id}', '/v1/files/{id}/info']));
      await rm(server.root, { recursive: true, force: true });
      const degraded = await fetch(`${server.url}/readyz`);
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({
        status: 'degraded',
        checks: { storage: expect.stringMatching(/^failed/) as string },
      });
    } finally {
      await server.close();
    }
  });
});
