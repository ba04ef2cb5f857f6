import type { FileRecord } from '@platform/core';
import type { Readable, Writable } from 'node:stream';

/** Bytes being written; nothing is visible to readers until `commit`. */
export interface PendingWrite {
  /** Where the bytes go. The caller ends it (or destroys it and calls `abort`). */
  readonly sink: Writable;
  /**
   * Publishes the bytes and the record under `record.file_id` atomically. When that id already exists the
   * new bytes are dropped and the stored record is returned with `created: false`.
   */
  commit(record: FileRecord): Promise<{ record: FileRecord; created: boolean }>;
  /** Discards the bytes; safe to call after a failed commit and more than once. */
  abort(): Promise<void>;
}

export interface ListPage {
  records: FileRecord[];
  /** Whether records after the last one exist. */
  more: boolean;
}

/** An entry found by a maintenance scan; `problem` says why an entry is not a valid record. */
export interface ScanEntry {
  id: string;
  record?: FileRecord;
  problem?: string;
}

/**
 * Where data-bank keeps bytes and records. Routes and services only see this interface, so an
 * S3-compatible backend (temp object + copy on commit) can replace the filesystem one.
 */
export interface StorageBackend {
  /** A human-readable location for logs. */
  readonly location: string;
  beginWrite(): Promise<PendingWrite>;
  /** `beginWrite` + `commit` for bytes already in memory (small uploads), in fewer round trips. */
  put(record: FileRecord, bytes: Buffer): Promise<{ record: FileRecord; created: boolean }>;
  stat(id: string): Promise<FileRecord | undefined>;
  /**
   * Opens the bytes [start, end] (inclusive). The bytes stay readable until the stream ends even if the
   * file is deleted meanwhile. Undefined when the id does not exist.
   */
  openRange(id: string, start: number, end: number): Promise<Readable | undefined>;
  /** False when the id did not exist. */
  delete(id: string): Promise<boolean>;
  /** Records in ascending id order, after `after` when given, limited to ids starting with `prefix`. */
  list(options: { limit: number; after?: string; prefix?: string }): Promise<ListPage>;
  /** Every entry, including broken ones, for verify and gc. */
  scan(): AsyncIterable<ScanEntry>;
  /** Moves an entry out of the store, keeping it for inspection. */
  quarantine(id: string, reason: string): Promise<void>;
  /** Removes unfinished writes older than `olderThanMs` (all of them with 0); returns how many. */
  sweepTemps(olderThanMs: number): Promise<number>;
  /** Bytes available for new files. */
  freeBytes(): Promise<number>;
  /** Throws when the store cannot be written (readiness). */
  checkWritable(): Promise<void>;
}
