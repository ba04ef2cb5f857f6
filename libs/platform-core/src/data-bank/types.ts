import type { Readable } from 'node:stream';
import { z } from 'zod';

/** A stored file's record, as data-bank-api returns it (DESIGN.md section 6). */
export const FileRecord = z.object({
  file_id: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_type: z.string(),
  created_at: z.string(),
});
export type FileRecord = z.infer<typeof FileRecord>;

/** A page of `GET /v1/files`: `total_bytes` sums the sizes of this page's files. */
export const FileList = z.object({
  files: z.array(FileRecord),
  next_cursor: z.string().nullable(),
  total_bytes: z.number().int().nonnegative(),
});
export type FileList = z.infer<typeof FileList>;

export type UploadSource =
  | { kind: 'path'; path: string }
  | { kind: 'buffer'; data: Uint8Array }
  /** `size`, when known, is sent as Content-Length so the server can refuse early (413, 507). */
  | { kind: 'stream'; stream: ReadableStream<Uint8Array> | Readable; size?: number };

export interface UploadOptions {
  contentType?: string;
  /** Lowercase hex SHA-256 when known: the server verifies it (and PUT-by-hash becomes retryable). */
  sha256?: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive; omitted means to the end. */
  end?: number;
}

/** The typed client of data-bank-api used by every service that stores files. */
export interface DataBankClient {
  upload(source: UploadSource, options?: UploadOptions): Promise<FileRecord & { created: boolean }>;
  head(fileId: string): Promise<FileRecord | undefined>;
  info(fileId: string): Promise<FileRecord>;
  list(options?: { limit?: number; cursor?: string; prefix?: string }): Promise<FileList>;
  delete(fileId: string): Promise<void>;
  /** Downloads to `path`, resuming with a Range request and verifying the SHA-256 before renaming into place. */
  download(fileId: string, path: string): Promise<FileRecord>;
  stream(fileId: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
}
