import type { FileRecord } from '@platform/core';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBackend } from '../src/storage/fs-backend.js';
import { sha256, tempDir, tempEntries } from './helpers.js';

function recordOf(content: string, extra: Partial<FileRecord> = {}): FileRecord {
  const id = sha256(content);
  return {
    file_id: id,
    sha256: id,
    size: Buffer.byteLength(content),
    content_type: 'text/plain',
    created_at: new Date().toISOString(),
    ...extra,
  };
}

async function put(backend: FsBackend, content: string, extra: Partial<FileRecord> = {}) {
  const pending = await backend.beginWrite();
  pending.sink.end(content);
  return pending.commit(recordOf(content, extra));
}

describe('FsBackend', () => {
  let root: string;
  let backend: FsBackend;
  beforeEach(async () => {
    root = await tempDir();
    backend = await FsBackend.open(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('publishes bytes and record together under ab/cd/<id>', async () => {
    const result = await put(backend, 'hello');
    const id = sha256('hello');
    expect(result.created).toBe(true);
    expect((await readdir(join(root, id.slice(0, 2), id.slice(2, 4), id))).sort()).toEqual(['blob', 'record.json']);
    expect(await backend.stat(id)).toEqual(result.record);
    const stream = await backend.openRange(id, 1, 3);
    expect(stream && (await text(stream))).toBe('ell');
    expect(await tempEntries(root)).toEqual([]);
  });

  // Dedupe, abort and missing ids: the shared contract (storage-contract.test.ts) runs them here too.

  it('lists in id order after a cursor and within a prefix, skipping broken entries', async () => {
    const contents = Array.from({ length: 30 }, (_, i) => `content ${i}`);
    for (const content of contents) await put(backend, content);
    const ids = contents.map((content) => sha256(content)).sort();
    const broken = 'f'.repeat(64);
    await mkdir(join(root, 'ff', 'ff', broken), { recursive: true });

    const first = await backend.list({ limit: 7 });
    expect(first.records.map((r) => r.file_id)).toEqual(ids.slice(0, 7));
    expect(first.more).toBe(true);
    const rest = await backend.list({ limit: 100, after: ids[6] ?? '' });
    expect(rest.records.map((r) => r.file_id)).toEqual(ids.slice(7));
    expect(rest.more).toBe(false);
    const exact = await backend.list({ limit: 100, after: ids[29] ?? '' });
    expect(exact.records).toEqual([]);

    const prefix = ids[12]?.slice(0, 3) ?? '';
    const filtered = await backend.list({ limit: 100, prefix });
    expect(filtered.records.map((r) => r.file_id)).toEqual(ids.filter((id) => id.startsWith(prefix)));
    // a cursor inside a prefix
    const after = await backend.list({
      limit: 100,
      prefix: ids[12]?.slice(0, 1) ?? '',
      after: ids[12] ?? '',
    });
    expect(after.records.map((r) => r.file_id)).toEqual(ids.filter((id, i) => i > 12 && id.startsWith(ids[12]?.slice(0, 1) ?? '')));
  });

  it('scans every entry and names the broken ones', async () => {
    await put(backend, 'good');
    const short = await put(backend, 'truncated later');
    const mislabelled = await put(backend, 'mislabelled');
    const shortDir = join(root, short.record.file_id.slice(0, 2), short.record.file_id.slice(2, 4), short.record.file_id);
    await writeFile(join(shortDir, 'blob'), 'trunc');
    const badDir = join(root, mislabelled.record.file_id.slice(0, 2), mislabelled.record.file_id.slice(2, 4), mislabelled.record.file_id);
    await writeFile(join(badDir, 'record.json'), JSON.stringify(recordOf('other')));
    const noRecord = 'e'.repeat(64);
    await mkdir(join(root, 'ee', 'ee', noRecord), { recursive: true });
    const unreadable = 'd'.repeat(64);
    await mkdir(join(root, 'dd', 'dd', unreadable), { recursive: true });
    await writeFile(join(root, 'dd', 'dd', unreadable, 'record.json'), '{');
    const noBlob = await put(backend, 'no blob');
    await rm(join(root, noBlob.record.file_id.slice(0, 2), noBlob.record.file_id.slice(2, 4), noBlob.record.file_id, 'blob'));

    const problems = new Map<string, string | undefined>();
    for await (const entry of backend.scan()) problems.set(entry.id, entry.problem);
    expect(problems.get(sha256('good'))).toBeUndefined();
    expect(problems.get(short.record.file_id)).toMatch(/blob has 5 bytes/);
    expect(problems.get(mislabelled.record.file_id)).toMatch(/record names/);
    expect(problems.get(noRecord)).toBe('record missing');
    expect(problems.get(unreadable)).toMatch(/unreadable record/);
    expect(problems.get(noBlob.record.file_id)).toBe('blob missing');
  });

  it('quarantines an entry with its reason', async () => {
    const { record } = await put(backend, 'suspect');
    await backend.quarantine(record.file_id, 'hash mismatch');
    expect(await backend.stat(record.file_id)).toBeUndefined();
    const [kept] = await readdir(join(root, '.quarantine'));
    expect(kept).toMatch(new RegExp(`^${record.file_id}-\\d+$`));
    expect(await readFile(join(root, '.quarantine', kept ?? '', 'reason.txt'), 'utf8')).toBe('hash mismatch\n');
  });

  it('sweeps temp entries, all or only old ones', async () => {
    const fresh = await backend.beginWrite();
    fresh.sink.write('in progress');
    const old = await backend.beginWrite();
    old.sink.end('abandoned');
    await new Promise((resolve) => old.sink.once('close', resolve));
    // Age the abandoned write only.
    const past = new Date(Date.now() - 2 * 60 * 60_000);
    for (const entry of await tempEntries(root)) {
      const dir = join(root, '.tmp', entry);
      if ((await readFile(join(dir, 'blob'), 'utf8')) !== 'abandoned') continue;
      await utimes(join(dir, 'blob'), past, past);
      await utimes(dir, past, past);
    }
    expect(await backend.sweepTemps(60 * 60_000)).toBe(1);
    expect(await tempEntries(root)).toHaveLength(1);
    expect(await backend.sweepTemps(0)).toBe(1);
    expect(await tempEntries(root)).toEqual([]);
    fresh.sink.destroy();
  });

  it('probes free space with statfs and can be told otherwise', async () => {
    expect(await backend.freeBytes()).toBeGreaterThan(0);
    const fake = await FsBackend.open(root, { freeSpace: () => Promise.resolve(42) });
    expect(await fake.freeBytes()).toBe(42);
    await expect(backend.checkWritable()).resolves.toBeUndefined();
  });
});
