import { FileRecord } from '@platform/core';
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ListPage, PendingWrite, ScanEntry, StorageBackend } from './backend.js';
import { GroupSync } from './group-sync.js';

const CHUNK = 1024 * 1024;
const SHARD = /^[0-9a-f]{2}$/;
const FILE_ID = /^[0-9a-f]{64}$/;
const BLOB = 'blob';
const RECORD = 'record.json';

/** Bytes available to unprivileged writers on the filesystem holding `path`. */
async function statfsFreeBytes(path: string): Promise<number> {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
}

export interface FsBackendOptions {
  /** Free-space probe; statfs of the root by default (tests inject a fake disk). */
  freeSpace?: (root: string) => Promise<number>;
}

const isErrno = (error: unknown, ...codes: string[]): boolean =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && codes.includes(error.code);

/** Creates every file (`wx`), or none: the ones opened are closed again when another fails. */
async function createAll(paths: string[]): Promise<FileHandle[]> {
  const opened = await Promise.allSettled(paths.map((path) => open(path, 'wx')));
  const handles = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = opened.find((result) => result.status === 'rejected');
  if (!failed) return handles;
  await Promise.all(handles.map((handle) => handle.close()));
  throw failed.reason;
}

async function fillDurably(handle: FileHandle, data: string | Buffer): Promise<void> {
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sortedNames(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => pattern.test(name)).sort();
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}

/** The latest modification time of a directory and its direct children (a write in progress touches its blob). */
async function newestMtime(dir: string): Promise<number> {
  // An entry removed while it is scanned has no age to report.
  const times = [(await stat(dir).catch(() => undefined))?.mtimeMs ?? 0];
  // Likewise a directory removed meanwhile has no children.
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    const info = await stat(join(dir, name)).catch(() => undefined); // gone meanwhile: no age
    if (info) times.push(info.mtimeMs);
  }
  return Math.max(...times);
}

async function waitClosed(sink: WriteStream): Promise<void> {
  if (sink.closed) {
    if (sink.errored) throw sink.errored;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    sink.once('close', () => {
      if (sink.errored) reject(sink.errored);
      else resolve();
    });
  });
}

/**
 * Files on a local (or network) filesystem. Each file is a directory `ab/cd/<sha256>/` holding `blob` and
 * `record.json`. A write fills a fresh directory under `.tmp/`, fsyncs both files and the directory, then
 * renames the directory into place and fsyncs its parent: bytes and record appear together or not at all,
 * and rename refuses to replace a non-empty directory, so concurrent writers of one id end in one copy.
 * Delete renames the directory into `.trash/` first, so open readers finish and nothing half-deleted is seen.
 */
export class FsBackend implements StorageBackend {
  readonly location: string;
  private readonly tmpDir: string;
  private readonly trashDir: string;
  private readonly quarantineDir: string;
  private readonly freeSpace: (root: string) => Promise<number>;
  private readonly dirSync = new GroupSync();
  /** Shard directories known to exist durably (one entry per `ab/cd`, at most 65,536). */
  private readonly shards = new Map<string, Promise<void>>();

  private constructor(
    private readonly root: string,
    options: FsBackendOptions,
  ) {
    this.location = root;
    this.tmpDir = join(root, '.tmp');
    this.trashDir = join(root, '.trash');
    this.quarantineDir = join(root, '.quarantine');
    this.freeSpace = options.freeSpace ?? statfsFreeBytes;
  }

  /** Creates the root if needed. Call `sweepTemps(0)` at start when no other process shares the root. */
  static async open(root: string, options: FsBackendOptions = {}): Promise<FsBackend> {
    const backend = new FsBackend(root, options);
    await mkdir(backend.tmpDir, { recursive: true });
    await mkdir(backend.trashDir, { recursive: true });
    return backend;
  }

  private entryDir(id: string): string {
    return join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }

  async beginWrite(): Promise<PendingWrite> {
    const dir = await mkdtemp(join(this.tmpDir, 'w-'));
    const sink = createWriteStream(join(dir, BLOB), { flags: 'wx', flush: true, highWaterMark: CHUNK });
    // Write errors reach the writer through `errored`, 'drain' and `finished`; without a listener an
    // error while nobody awaits the stream would crash the process.
    sink.on('error', () => undefined);
    const abort = async () => {
      sink.destroy();
      await rm(dir, { recursive: true, force: true });
    };
    const commit = async (record: FileRecord) => {
      await waitClosed(sink); // closed means flushed: `flush: true` fsyncs before close
      return this.publish(dir, record, [[RECORD, JSON.stringify(record)]]);
    };
    return { sink, commit, abort };
  }

  async put(record: FileRecord, bytes: Buffer): Promise<{ record: FileRecord; created: boolean }> {
    const dir = await mkdtemp(join(this.tmpDir, 'w-'));
    try {
      return await this.publish(dir, record, [
        [BLOB, bytes],
        [RECORD, JSON.stringify(record)],
      ]);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Makes the shard directory exist durably, once per shard and process: concurrent writers into a new
   * shard all wait for the fsync of its parents. A shard found on disk gets its parents fsynced as well
   * (cheap when clean), since a killed process may have created it without.
   */
  private shardReady(shard: string): Promise<void> {
    let ready = this.shards.get(shard);
    if (!ready) {
      ready = mkdir(shard, { recursive: true }).then(() =>
        Promise.all([this.dirSync.sync(join(shard, '..')), this.dirSync.sync(this.root)]).then(() => undefined),
      );
      this.shards.set(shard, ready);
      // The failure reaches the awaiting writers through `ready`; here it only forgets the shard.
      void ready.catch(() => this.shards.delete(shard));
    }
    return ready;
  }

  /**
   * Writes `files` into the temp directory `dir`, fsyncs them and the directory (all at once: the entries
   * exist before any fsync starts), renames the directory to the entry and fsyncs the shard.
   */
  private async publish(
    dir: string,
    record: FileRecord,
    files: [name: string, data: string | Buffer][],
  ): Promise<{ record: FileRecord; created: boolean }> {
    const target = this.entryDir(record.file_id);
    const shard = join(target, '..');
    const sealed = async () => {
      const handles = await createAll(files.map(([name]) => join(dir, name)));
      await Promise.all([...handles.map((handle, index) => fillDurably(handle, files[index]?.[1] ?? '')), this.dirSync.sync(dir)]);
    };
    await Promise.all([sealed(), this.shardReady(shard)]);
    // A concurrent delete can remove the existing copy between rename and stat: try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await rename(dir, target);
        await this.dirSync.sync(shard);
        return { record, created: true };
      } catch (error) {
        if (isErrno(error, 'ENOENT') && attempt === 0) {
          // The shard was removed behind our back: forget it and make it again.
          this.shards.delete(shard);
          await this.shardReady(shard);
          continue;
        }
        if (!isErrno(error, 'ENOTEMPTY', 'EEXIST')) throw error;
      }
      const existing = await this.stat(record.file_id);
      if (existing) {
        // The copy may come from a writer still fsyncing the shard: answer only once it is durable.
        await this.dirSync.sync(shard);
        await rm(dir, { recursive: true, force: true });
        return { record: existing, created: false };
      }
    }
    throw new Error(`could not publish ${record.file_id}: the entry kept changing`);
  }

  async stat(id: string): Promise<FileRecord | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.entryDir(id), RECORD), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw error;
    }
    return FileRecord.parse(JSON.parse(text));
  }

  async openRange(id: string, start: number, end: number): Promise<Readable | undefined> {
    try {
      const handle = await open(join(this.entryDir(id), BLOB), 'r');
      return handle.createReadStream({ start, end, highWaterMark: CHUNK });
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const target = this.entryDir(id);
    const trashed = join(this.trashDir, `${id}-${randomUUID()}`);
    try {
      await rename(target, trashed);
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
    await this.dirSync.sync(join(target, '..'));
    await rm(trashed, { recursive: true, force: true });
    return true;
  }

  /** Ids in ascending order, starting after `after`, limited to `prefix`. */
  private async *ids(after = '', prefix = ''): AsyncGenerator<string> {
    for (const top of await sortedNames(this.root, SHARD)) {
      if (!top.startsWith(prefix.slice(0, 2)) || top < after.slice(0, 2)) continue;
      for (const sub of await sortedNames(join(this.root, top), SHARD)) {
        if (!sub.startsWith(prefix.slice(2, 4)) || (top === after.slice(0, 2) && sub < after.slice(2, 4))) continue;
        for (const id of await sortedNames(join(this.root, top, sub), FILE_ID)) {
          if (id > after && id.startsWith(prefix) && id.startsWith(top + sub)) yield id;
        }
      }
    }
  }

  async list(options: { limit: number; after?: string; prefix?: string }): Promise<ListPage> {
    const records: FileRecord[] = [];
    for await (const id of this.ids(options.after, options.prefix)) {
      const record = await this.stat(id).catch(() => undefined); // broken entries are verify's business
      if (!record) continue;
      if (records.length === options.limit) return { records, more: true };
      records.push(record);
    }
    return { records, more: false };
  }

  async *scan(): AsyncIterable<ScanEntry> {
    for await (const id of this.ids()) {
      const dir = this.entryDir(id);
      let record: FileRecord | undefined;
      try {
        record = await this.stat(id);
      } catch (error) {
        yield { id, problem: `unreadable record: ${error instanceof Error ? error.message : String(error)}` };
        continue;
      }
      if (!record) {
        yield { id, problem: 'record missing' };
        continue;
      }
      if (record.file_id !== id) {
        yield { id, record, problem: `record names ${record.file_id}` };
        continue;
      }
      // A missing blob is reported as the entry's problem just below.
      const blob = await stat(join(dir, BLOB)).catch(() => undefined);
      if (!blob) yield { id, record, problem: 'blob missing' };
      else if (blob.size !== record.size) yield { id, record, problem: `blob has ${blob.size} bytes, record says ${record.size}` };
      else yield { id, record };
    }
  }

  async quarantine(id: string, reason: string): Promise<void> {
    await mkdir(this.quarantineDir, { recursive: true });
    const target = join(this.quarantineDir, `${id}-${Date.now()}`);
    await rename(this.entryDir(id), target);
    await this.dirSync.sync(join(this.entryDir(id), '..'));
    await writeFile(join(target, 'reason.txt'), `${reason}\n`);
  }

  async sweepTemps(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const dir of [this.tmpDir, this.trashDir]) {
      for (const name of await readdir(dir)) {
        const path = join(dir, name);
        if (olderThanMs > 0 && (await newestMtime(path)) > cutoff) continue;
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  freeBytes(): Promise<number> {
    return this.freeSpace(this.root);
  }

  async checkWritable(): Promise<void> {
    const probe = join(this.tmpDir, `probe-${randomUUID()}`);
    await writeFile(probe, '');
    await rm(probe);
  }
}
