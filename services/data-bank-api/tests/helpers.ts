import { createLogger, type PlatformApp } from '@platform/core';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp, type AppDeps } from '../src/app.js';
import type { ApiKeys } from '../src/config.js';
import { FsBackend } from '../src/storage/fs-backend.js';

export const KEYS = {
  admin: 'admin-key',
  uploader: 'upload-only',
  reader: 'read-only',
  deleter: 'delete-only',
};

export const DEFAULT_KEYS: ApiKeys = {
  upload: [KEYS.admin, KEYS.uploader],
  read: [KEYS.admin, KEYS.reader],
  delete: [KEYS.admin, KEYS.deleter],
};

export interface TestServer {
  url: string;
  root: string;
  app: PlatformApp;
  backend: FsBackend;
  /** fetch against the server with the admin key unless headers say otherwise. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface ServerOptions {
  keys?: ApiKeys;
  allowAnonymous?: boolean;
  maxFileBytes?: number;
  minFreeBytes?: number;
  requestTimeoutMs?: number;
  freeSpace?: (root: string) => Promise<number>;
}

/** The app's configuration for tests: the test keys, no limits. */
export function appConfig(options: ServerOptions = {}): AppDeps['config'] {
  return {
    keys: options.keys ?? DEFAULT_KEYS,
    allowAnonymous: options.allowAnonymous ?? false,
    maxFileBytes: options.maxFileBytes ?? 0,
    minFreeBytes: options.minFreeBytes ?? 0,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
  };
}

export async function tempDir(prefix = 'data-bank-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** data-bank-api on a real port with its files in a fresh temp dir. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const root = await tempDir();
  const backend = await FsBackend.open(root, options.freeSpace ? { freeSpace: options.freeSpace } : {});
  const app = await buildApp({
    config: appConfig(options),
    logger: createLogger({ service: 'data-bank-test', level: 'silent' }),
    backend,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    root,
    app,
    backend,
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('x-api-key')) headers.set('x-api-key', KEYS.admin);
      return fetch(url + path, {
        ...init,
        headers,
        ...(init.body instanceof ReadableStream && { duplex: 'half' }),
      });
    },
    close: async () => {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Writes `bytes` random bytes to a file without holding them in memory; returns the SHA-256. */
export async function randomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let written = 0; written < bytes;) {
    const chunk = randomBytes(Math.min(1024 * 1024, bytes - written));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

/** Hashes a response body as it streams. */
export async function hashBody(response: Response): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const body: AsyncIterable<Uint8Array> = response.body ?? Readable.from([]);
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Names under the store's shard directories and its temp area. */
export async function storedIds(root: string): Promise<string[]> {
  const ids: string[] = [];
  for (const top of (await readdir(root)).filter((name) => /^[0-9a-f]{2}$/.test(name))) {
    for (const sub of await readdir(join(root, top))) ids.push(...(await readdir(join(root, top, sub))));
  }
  return ids.sort();
}

export const tempEntries = async (root: string): Promise<string[]> => readdir(join(root, '.tmp'));

/** A body stream that yields `total` bytes in chunks, for uploads with no Content-Length. */
export function byteStream(total: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(chunk, total - sent);
      controller.enqueue(new Uint8Array(size).fill(sent % 251));
      sent += size;
    },
  });
}
