import {
  FileRecord,
  HttpClient,
  type DataBankClient,
  type UploadOptions,
  type UploadSource,
} from '@platform/core';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';

/** The part of the data-bank client this service uses. */
export type FileStore = Pick<DataBankClient, 'upload' | 'head' | 'download'>;

/**
 * A small data-bank client for the calls above (DESIGN.md section 6), until @platform/core's typed
 * client lands; it has the same method signatures so it can be swapped for it.
 */
export class DataBankFiles implements FileStore {
  private readonly http: HttpClient;

  constructor(baseUrl: string, apiKey: string) {
    this.http = new HttpClient({
      baseUrl,
      headers: apiKey === '' ? {} : { 'x-api-key': apiKey },
      timeoutMs: 120_000,
    });
  }

  async upload(
    source: UploadSource,
    options: UploadOptions = {},
  ): Promise<FileRecord & { created: boolean }> {
    if (source.kind === 'stream') throw new Error('stream uploads are not used by transcript-api');
    const data = source.kind === 'path' ? await readFile(source.path) : source.data;
    const form = new FormData();
    form.set('file', new Blob([data], { type: options.contentType ?? 'application/octet-stream' }), 'file');
    // Uploading the same bytes twice is harmless (content-addressed), so retries are safe.
    const response = await this.http.request('/v1/files', { method: 'POST', body: form, retry: true });
    const record = FileRecord.parse(await response.json());
    return { ...record, created: response.status === 201 };
  }

  async head(fileId: string): Promise<FileRecord | undefined> {
    const response = await this.http.request(`/v1/files/${encodeURIComponent(fileId)}`, {
      method: 'HEAD',
      acceptStatus: [404],
    });
    return response.status === 404 ? undefined : recordFrom(fileId, response);
  }

  async download(fileId: string, path: string): Promise<FileRecord> {
    const response = await this.http.request(`/v1/files/${encodeURIComponent(fileId)}`);
    if (!response.body) throw new Error('data-bank answered without a body');
    const partial = `${path}.partial`;
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        hasher,
        createWriteStream(partial),
      );
      const sha256 = hash.digest('hex');
      if (sha256 !== fileId) throw new Error(`data-bank file ${fileId} arrived with SHA-256 ${sha256}`);
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
    return recordFrom(fileId, response);
  }
}

function recordFrom(fileId: string, response: Response): FileRecord {
  const modified = response.headers.get('last-modified');
  return FileRecord.parse({
    file_id: fileId,
    sha256: fileId,
    size: Number(response.headers.get('content-length') ?? '0'),
    content_type: response.headers.get('content-type') ?? 'application/octet-stream',
    created_at: (modified === null ? new Date(0) : new Date(modified)).toISOString(),
  });
}

export const FileId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a data-bank file id (lowercase hex SHA-256)');
