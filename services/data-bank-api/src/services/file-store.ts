import { AppError, type FileRecord } from '@platform/core';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { PendingWrite, StorageBackend } from '../storage/backend.js';

/** How often (in bytes written) free space is probed again during an upload. */
const PROBE_EVERY = 16 * 1024 * 1024;
/** Bodies up to this size are held in memory and written at once: fewer file system round trips. */
const SMALL = 256 * 1024;

async function write(sink: Writable, chunk: Buffer): Promise<void> {
  if (sink.errored) throw sink.errored;
  if (!sink.write(chunk)) await once(sink, 'drain');
}

export interface StoreLimits {
  /** 0 means no limit. */
  maxFileBytes: number;
  minFreeBytes: number;
}

export interface SaveOptions {
  contentType: string;
  /** The id the bytes must hash to (PUT by hash, X-Content-SHA256). */
  expectedSha256?: string;
  /** Content-Length when the client sent one, to refuse early. */
  declaredBytes?: number;
}

export interface SaveOutcome {
  record: FileRecord;
  /** False when the bytes were already stored: `record` is then the stored one. */
  created: boolean;
}

/** Bytes hashed and written but not visible yet: `publish` makes them so, `discard` removes them. */
export interface PreparedFile {
  record: FileRecord;
  publish(): Promise<SaveOutcome>;
  discard(): Promise<void>;
}

const noop = () => Promise.resolve();

const tooLarge = (max: number) => new AppError('PAYLOAD_TOO_LARGE', `file exceeds the limit of ${max} bytes`);
const insufficientStorage = () => new AppError('INSUFFICIENT_STORAGE', 'insufficient free space');

/** Content-addressed storage on a backend: hashing, limits and records. */
export class FileStore {
  constructor(
    readonly backend: StorageBackend,
    private readonly limits: StoreLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async ensureSpace(incoming: number): Promise<void> {
    if ((await this.backend.freeBytes()) - incoming < this.limits.minFreeBytes) throw insufficientStorage();
  }

  /** Hashes `source` and publishes it under its SHA-256 (`prepare`, then `publish`). */
  async save(source: Readable, options: SaveOptions): Promise<SaveOutcome> {
    return (await this.prepare(source, options)).publish();
  }

  /**
   * Saves a file that arrives inside a larger body (a multipart part): `receive` reads the body and
   * hands the file's stream to `stage` (which prepares it); the file is published only once `receive`
   * has finished, so a malformed, truncated or late rest of the body keeps nothing.
   */
  async saveWhenComplete(
    options: Omit<SaveOptions, 'contentType'>,
    receive: (stage: (source: Readable, contentType: string) => Promise<PreparedFile>) => Promise<PreparedFile>,
  ): Promise<SaveOutcome> {
    let staged: PreparedFile | undefined;
    try {
      const file = await receive(async (source, contentType) => (staged = await this.prepare(source, { ...options, contentType })));
      return await file.publish();
    } catch (error) {
      await staged?.discard();
      throw error;
    }
  }

  /**
   * Hashes `source` and writes it without publishing it. Bodies up to `SMALL` bytes are held in memory
   * and written in one go by `publish`; larger ones stream to the backend as they arrive. The source is
   * never destroyed here: on an error it is left unread so the caller can still answer on its connection.
   */
  async prepare(source: Readable, options: SaveOptions): Promise<PreparedFile> {
    const { maxFileBytes } = this.limits;
    if (maxFileBytes > 0 && (options.declaredBytes ?? 0) > maxFileBytes) throw tooLarge(maxFileBytes);
    // For a small body the probe runs while it arrives (nothing is written before it answers); a large
    // declared one is refused before any byte is read.
    const space = this.ensureSpace(options.declaredBytes ?? 0);
    // Awaited below wherever it matters; this only keeps an early rejection from being unhandled.
    void space.catch(() => undefined);
    if ((options.declaredBytes ?? 0) > SMALL) await space;

    const hash = createHash('sha256');
    const held: Buffer[] = [];
    let pending: PendingWrite | undefined;
    let size = 0;
    let sinceProbe = 0;
    try {
      for await (const chunk of source.iterator({ destroyOnReturn: false })) {
        if (!Buffer.isBuffer(chunk)) throw new TypeError('a file body must be a byte stream, not a text or object stream');
        size += chunk.length;
        if (maxFileBytes > 0 && size > maxFileBytes) throw tooLarge(maxFileBytes);
        hash.update(chunk);
        if (!pending && size <= SMALL) {
          held.push(chunk);
          continue;
        }
        if (!pending) {
          await space;
          pending = await this.backend.beginWrite();
          for (const early of held.splice(0)) await write(pending.sink, early);
        }
        sinceProbe += chunk.length;
        if (sinceProbe >= PROBE_EVERY) {
          sinceProbe = 0;
          await this.ensureSpace(0);
        }
        await write(pending.sink, chunk);
      }
      if (pending) {
        pending.sink.end();
        await finished(pending.sink);
      }
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw new AppError('INVALID_INPUT', `content hashes to ${sha256}, not ${options.expectedSha256}`);
      }
      const record: FileRecord = {
        file_id: sha256,
        size,
        sha256,
        content_type: options.contentType,
        created_at: this.now().toISOString(),
      };
      await space;
      const written = pending;
      if (!written) return { record, publish: () => this.backend.put(record, Buffer.concat(held, size)), discard: noop };
      return { record, publish: () => written.commit(record), discard: () => written.abort() };
    } catch (error) {
      await pending?.abort();
      if (source.errored && error === source.errored) {
        // The client went away mid-body: its fault, and nobody is left to read an answer.
        throw new AppError('INVALID_INPUT', 'the upload ended before its last byte', { cause: error });
      }
      throw error;
    }
  }

  stat(id: string): Promise<FileRecord | undefined> {
    return this.backend.stat(id);
  }

  openRange(id: string, start: number, end: number): Promise<Readable | undefined> {
    return this.backend.openRange(id, start, end);
  }

  delete(id: string): Promise<boolean> {
    return this.backend.delete(id);
  }

  list(options: { limit: number; after?: string; prefix?: string }) {
    return this.backend.list(options);
  }
}
