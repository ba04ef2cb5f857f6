// One contract, two backends: every StorageBackend behaviour the routes, verify and gc rely on, run
// against the filesystem backend and against the S3 backend on a real S3-compatible server (s3rver).
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createLogger, type FileRecord } from '@platform/core';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyStore } from '../src/services/integrity.js';
import type { StorageBackend } from '../src/storage/backend.js';
import { FsBackend } from '../src/storage/fs-backend.js';
import { S3Backend } from '../src/storage/s3-backend.js';
import { createS3Client } from '../src/storage/s3-client.js';
import { gcHandler } from '../src/workers/gc.js';
import { sha256, tempDir, tempEntries } from './helpers.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

/** Small parts so that a few MiB exercise multipart uploads. */
const PART = 5 * 1024 * 1024;

interface Subject {
  backend: StorageBackend;
  /** Unfinished writes left in the store (temp entries, open multipart uploads). */
  leftovers(): Promise<string[]>;
  /** Replaces the stored bytes of `id` behind the backend's back (same size). */
  rot(id: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

function recordFor(bytes: Buffer | string, contentType = 'application/octet-stream'): FileRecord {
  const id = sha256(bytes);
  return {
    file_id: id,
    sha256: id,
    size: Buffer.byteLength(bytes),
    content_type: contentType,
    created_at: new Date().toISOString(),
  };
}

async function streamed(backend: StorageBackend, bytes: Buffer, contentType?: string) {
  const pending = await backend.beginWrite();
  for (let at = 0; at < bytes.length; at += 256 * 1024) {
    if (!pending.sink.write(bytes.subarray(at, at + 256 * 1024))) await once(pending.sink, 'drain');
  }
  pending.sink.end();
  await once(pending.sink, 'finish');
  return pending.commit(recordFor(bytes, contentType));
}

async function read(backend: StorageBackend, id: string, start: number, end: number): Promise<Buffer> {
  const stream = await backend.openRange(id, start, end);
  if (!stream) throw new Error(`${id} not found`);
  return buffer(stream);
}

const silent = createLogger({ service: 'contract-test', level: 'silent' });

const subjects: [string, () => Promise<Subject>][] = [
  [
    'fs',
    async () => {
      const root = await tempDir();
      const backend = await FsBackend.open(root);
      return {
        backend,
        leftovers: () => tempEntries(root),
        rot: (id, bytes) => writeFile(join(root, id.slice(0, 2), id.slice(2, 4), id, 'blob'), bytes),
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    's3',
    async () => {
      const server: S3TestServer = await startS3Server();
      const backend = await S3Backend.open(server.settings, { partSize: PART, queueSize: 2 });
      const client = createS3Client(server.settings);
      const bucket = server.settings.bucket;
      return {
        backend,
        leftovers: async () => {
          const temps = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tmp/' }));
          return [...(temps.Contents ?? []).map((object) => object.Key ?? ''), ...(await server.openUploads())];
        },
        rot: async (id, bytes) => {
          const head = await backend.stat(id);
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `blobs/${id}`,
              Body: bytes,
              ContentType: head?.content_type,
              Metadata: { sha256: id, 'created-at': head?.created_at ?? '' },
            }),
          );
        },
        close: async () => {
          client.destroy();
          await server.close();
        },
      };
    },
  ],
];

describe.each(subjects)('StorageBackend contract: %s', (_name, open) => {
  let subject: Subject;
  let backend: StorageBackend;
  beforeEach(async () => {
    subject = await open();
    backend = subject.backend;
  });
  afterEach(() => subject.close());

  it('publishes streamed and in-memory writes with their records, ranges readable', async () => {
    const streamedBytes = Buffer.from('hello, streamed world');
    const a = await streamed(backend, streamedBytes, 'text/plain');
    const b = await backend.put(recordFor('small one'), Buffer.from('small one'));
    expect(a.created && b.created).toBe(true);
    expect(await backend.stat(a.record.file_id)).toEqual(a.record);
    expect(await backend.stat(b.record.file_id)).toEqual(b.record);
    expect((await read(backend, a.record.file_id, 7, 14)).toString()).toBe('streamed');
    expect((await read(backend, b.record.file_id, 0, 8)).toString()).toBe('small one');
    expect(await subject.leftovers()).toEqual([]);
  });

  it('dedupes: a second copy of an id keeps the first record and leaves nothing behind', async () => {
    const first = await streamed(backend, Buffer.from('same bytes'), 'a/b');
    const again = await streamed(backend, Buffer.from('same bytes'), 'c/d');
    const put = await backend.put(recordFor('same bytes', 'e/f'), Buffer.from('same bytes'));
    expect(again).toEqual({ record: first.record, created: false });
    expect(put).toEqual({ record: first.record, created: false });
    expect(await subject.leftovers()).toEqual([]);
  });

  it('streams a multipart-sized file in and out, across part boundaries', async () => {
    const bytes = randomBytes(2 * PART + 12345);
    const { record } = await streamed(backend, bytes);
    const stream = await backend.openRange(record.file_id, 0, bytes.length - 1);
    const hash = createHash('sha256');
    for await (const chunk of stream ?? []) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(record.file_id);
    const across = await read(backend, record.file_id, PART - 10, PART + 9);
    expect(across.equals(bytes.subarray(PART - 10, PART + 10))).toBe(true);
    expect(await subject.leftovers()).toEqual([]);
  });

  it('aborts a write, multipart included, without a trace, and twice safely', async () => {
    const pending = await backend.beginWrite();
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < 3 * (PART / chunk.length); i++) {
      if (!pending.sink.write(chunk)) await once(pending.sink, 'drain');
    }
    await pending.abort();
    await pending.abort();
    expect(await subject.leftovers()).toEqual([]);
  });

  it('answers undefined / false for missing ids', async () => {
    const id = sha256('nothing');
    expect(await backend.stat(id)).toBeUndefined();
    expect(await backend.openRange(id, 0, 0)).toBeUndefined();
    expect(await backend.delete(id)).toBe(false);
  });

  it('deletes, while an open reader finishes its bytes', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const { record } = await streamed(backend, bytes);
    const reader = await backend.openRange(record.file_id, 0, bytes.length - 1);
    expect(await backend.delete(record.file_id)).toBe(true);
    expect(await backend.stat(record.file_id)).toBeUndefined();
    expect(reader && (await buffer(reader)).equals(bytes)).toBe(true);
    expect(await backend.delete(record.file_id)).toBe(false);
  });

  it('lists in id order with cursors and prefixes', async () => {
    const contents = Array.from({ length: 40 }, (_, i) => `content ${i}`);
    await Promise.all(contents.map((content) => backend.put(recordFor(content), Buffer.from(content))));
    const ids = contents.map((content) => sha256(content)).sort();
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await backend.list({ limit: 7, ...(after !== undefined && { after }) });
      seen.push(...page.records.map((record) => record.file_id));
      after = page.records.at(-1)?.file_id;
      if (!page.more) break;
    }
    expect(seen).toEqual(ids);
    const prefix = ids[12]?.slice(0, 1) ?? '';
    const filtered = await backend.list({ limit: 100, prefix, after: ids[12] ?? '' });
    expect(filtered.records.map((r) => r.file_id)).toEqual(ids.filter((id, i) => i > 12 && id.startsWith(prefix)));
    expect((await backend.list({ limit: 100, after: ids.at(-1) ?? '' })).records).toEqual([]);
  });

  it('verify finds rotten bytes and quarantines them; healthy files stay', async () => {
    const good = await backend.put(recordFor('good bytes'), Buffer.from('good bytes'));
    const rotten = await backend.put(recordFor('rotten bytes'), Buffer.from('rotten bytes'));
    await subject.rot(rotten.record.file_id, Buffer.from('rotten bytez'));
    const report = await verifyStore(backend, { quarantine: true });
    expect(report.checked).toBe(2);
    expect(report.corrupt).toEqual([{ id: rotten.record.file_id, problem: `content hashes to ${sha256('rotten bytez')}` }]);
    expect(report.quarantined).toBe(1);
    expect(await backend.stat(rotten.record.file_id)).toBeUndefined();
    expect(await backend.stat(good.record.file_id)).toEqual(good.record);
  });

  it('gc sweeps abandoned writes (an open multipart upload included) and expires old files', async () => {
    const abandoned = await backend.beginWrite();
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < PART / chunk.length + 1; i++) {
      if (!abandoned.sink.write(chunk)) await once(abandoned.sink, 'drain');
    }
    // The first part is on its way; wait until the store shows the unfinished write.
    for (let i = 0; i < 100 && (await subject.leftovers()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await subject.leftovers()).length).toBeGreaterThan(0);
    expect(await backend.sweepTemps(60 * 60_000)).toBe(0); // fresh: kept
    const old = await backend.put(recordFor('old file'), Buffer.from('old file'));

    const job = gcHandler(backend, 0, () => new Date(Date.now() + 1000));
    const outcome = await job.process(
      { user_id: '0', temp_age_seconds: 1 },
      {
        jobId: 'gc',
        attempt: 1,
        logger: silent,
        signal: new AbortController().signal,
        progress: () => Promise.resolve(),
      },
    );
    expect(outcome.result).toMatchObject({ expired: 1, bytes_freed: old.record.size });
    expect(await backend.stat(old.record.file_id)).toBeUndefined();
    // The abandoned write is under a second old only now: sweep everything, as a start-up would.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await backend.sweepTemps(1000)).toBeGreaterThan(0);
    expect(await subject.leftovers()).toEqual([]);
    await abandoned.abort();
  });

  it('reports free space and writability', async () => {
    expect(await backend.freeBytes()).toBeGreaterThan(0);
    await expect(backend.checkWritable()).resolves.toBeUndefined();
    expect(await subject.leftovers()).toEqual([]);
  });
});

describe('S3Backend on an unreachable or missing bucket', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(() => server.close());

  it('refuses to open a bucket that does not exist', async () => {
    await expect(S3Backend.open({ ...server.settings, bucket: 'no-such-bucket' })).rejects.toThrow();
  });

  it('ends a write whose upload fails with an error at the writer, not a hang', async () => {
    const backend = await S3Backend.open(server.settings, { partSize: PART });
    const pending = await backend.beginWrite();
    await server.close();
    const chunk = randomBytes(1024 * 1024);
    const writing = (async () => {
      for (let i = 0; i < 4 * (PART / chunk.length); i++) {
        if (pending.sink.errored) throw pending.sink.errored;
        if (!pending.sink.write(chunk)) await once(pending.sink, 'drain');
      }
      pending.sink.end();
      await once(pending.sink, 'finish');
      return pending.commit(recordFor('x'));
    })();
    await expect(writing).rejects.toThrow();
    await pending.abort();
    server = await startS3Server(); // afterAll closes it
  });
});
