import { AppError, type FileRecord } from '@platform/core';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { StorageBackend } from '../storage/backend.js';

/** How often (in bytes written) free space is probed again during an upload. */
const PROBE_EVERY = 16 * 1024 * 1024;

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

export const tooLarge = (max: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `file exceeds the limit of ${max} bytes`);
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

  /**
   * Streams `source` to the backend while hashing it, and publishes it under its SHA-256. The source is
   * never destroyed here: on an error it is left unread so the caller can still answer on its connection.
   */
  async save(source: Readable, options: SaveOptions): Promise<{ record: FileRecord; created: boolean }> {
    const { maxFileBytes } = this.limits;
    if (maxFileBytes > 0 && (options.declaredBytes ?? 0) > maxFileBytes) throw tooLarge(maxFileBytes);
    await this.ensureSpace(options.declaredBytes ?? 0);

    const pending = await this.backend.beginWrite();
    const hash = createHash('sha256');
    let size = 0;
    let sinceProbe = 0;
    try {
      for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (maxFileBytes > 0 && size > maxFileBytes) throw tooLarge(maxFileBytes);
        sinceProbe += chunk.length;
        if (sinceProbe >= PROBE_EVERY) {
          sinceProbe = 0;
          await this.ensureSpace(0);
        }
        hash.update(chunk);
        if (pending.sink.errored) throw pending.sink.errored;
        if (!pending.sink.write(chunk)) await once(pending.sink, 'drain');
      }
      pending.sink.end();
      await finished(pending.sink);
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
      return await pending.commit(record);
    } catch (error) {
      await pending.abort();
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
