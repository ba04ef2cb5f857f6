import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  HttpClient,
  HttpError,
  HttpNetworkError,
  HttpTimeoutError,
  type RequestBody,
  type RequestOptions,
  type RetryPolicy,
} from '../client.js';
import { FileList, FileRecord, type ByteRange, type DataBankClient, type UploadOptions, type UploadSource } from './types.js';

/** A data-bank call failed; subclasses name the common causes. `status` is 0 when no answer came. */
export class DataBankError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, options: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 0;
    this.code = options.code;
  }
}
/** 404: no file with that id. */
export class DataBankNotFoundError extends DataBankError {}
/** 401 or 403: the API key is missing or lacks the permission. */
export class DataBankAuthError extends DataBankError {}
/** 400: a bad id, or bytes that do not hash to the declared SHA-256. */
export class DataBankInvalidError extends DataBankError {}
/** 413: larger than the store accepts. */
export class DataBankTooLargeError extends DataBankError {}
/** 416: the range lies outside the file. */
export class DataBankRangeError extends DataBankError {}
/** 507: the store is (nearly) full. */
export class DataBankStorageFullError extends DataBankError {}
/** No answer, a timeout or a 5xx after the retries. */
export class DataBankUnavailableError extends DataBankError {}
/** Downloaded bytes do not hash to the file id. */
export class DataBankIntegrityError extends DataBankError {}

const ERROR_BY_STATUS = new Map<number, typeof DataBankError>([
  [400, DataBankInvalidError],
  [401, DataBankAuthError],
  [403, DataBankAuthError],
  [404, DataBankNotFoundError],
  [413, DataBankTooLargeError],
  [416, DataBankRangeError],
  [507, DataBankStorageFullError],
]);

function translate(error: unknown): unknown {
  if (error instanceof HttpError) {
    const ErrorClass = ERROR_BY_STATUS.get(error.status) ?? (error.status >= 500 ? DataBankUnavailableError : DataBankError);
    return new ErrorClass(error.message, {
      status: error.status,
      ...(error.code && { code: error.code }),
      cause: error,
    });
  }
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError'; // a body outlived its timeout
  if (error instanceof HttpNetworkError || error instanceof HttpTimeoutError || timedOut) {
    return new DataBankUnavailableError(error.message, { cause: error });
  }
  return error;
}

export interface DataBankClientOptions {
  baseUrl: string;
  /** Sent as X-API-Key. */
  apiKey?: string;
  /** Limit of metadata calls (default 30 s). */
  timeoutMs?: number;
  /** Limit of one upload or download request, body included (default 1 h). */
  transferTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

const SHA256 = /^[0-9a-f]{64}$/;

function checkId(fileId: string): string {
  const id = fileId.toLowerCase();
  if (!SHA256.test(id)) throw new DataBankInvalidError(`not a file id: ${fileId}`, { status: 400 });
  return id;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), hash);
  return hash.digest('hex');
}

/** Failures of a response body in flight: the download resumes from what it has. */
const isTransferFailure = (error: unknown): boolean =>
  error instanceof TypeError ||
  (error instanceof Error && ['ECONNRESET', 'UND_ERR_SOCKET', 'ABORT_ERR'].includes((error as NodeJS.ErrnoException).code ?? ''));

/**
 * The data-bank-api client. Uploads stream from a file, a buffer or a stream; with a known SHA-256 they
 * go to `PUT /v1/files/{sha256}`, which is idempotent and therefore retried (files and buffers only:
 * a stream cannot be replayed). Buffers are hashed locally for that reason. Other calls retry only when
 * idempotent. Errors are DataBankError subclasses.
 */
export class HttpDataBankClient implements DataBankClient {
  private readonly http: HttpClient;
  private readonly transferTimeoutMs: number;
  private readonly policy: RetryPolicy;

  constructor(options: DataBankClientOptions) {
    this.policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5_000, ...options.retry };
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: this.policy,
      headers: options.apiKey ? { 'x-api-key': options.apiKey } : {},
    });
    this.transferTimeoutMs = options.transferTimeoutMs ?? 60 * 60_000;
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translate(error);
    }
  }

  async upload(source: UploadSource, options: UploadOptions = {}): Promise<FileRecord & { created: boolean }> {
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/octet-stream',
    };
    let body: RequestBody;
    let sha256 = options.sha256?.toLowerCase();
    switch (source.kind) {
      case 'path':
        body = await openAsBlob(source.path);
        break;
      case 'buffer':
        body = source.data;
        sha256 ??= createHash('sha256').update(source.data).digest('hex');
        break;
      case 'stream':
        body = source.stream instanceof ReadableStream ? source.stream : (Readable.toWeb(source.stream) as ReadableStream<Uint8Array>);
        if (source.size !== undefined) headers['content-length'] = String(source.size);
        break;
    }
    if (sha256 !== undefined) checkId(sha256);
    const request: RequestOptions = { headers, body, timeoutMs: this.transferTimeoutMs };
    return this.call(async () => {
      const response = sha256
        ? await this.http.request(`/v1/files/${sha256}`, { ...request, method: 'PUT', retry: true })
        : await this.http.request('/v1/files', { ...request, method: 'POST' });
      return { ...FileRecord.parse(await response.json()), created: response.status === 201 };
    });
  }

  /** The record from the HEAD headers (created_at has the second precision of Last-Modified), or undefined. */
  async head(fileId: string): Promise<FileRecord | undefined> {
    const id = checkId(fileId);
    const response = await this.call(() => this.http.request(`/v1/files/${id}`, { method: 'HEAD', acceptStatus: [404] }));
    if (response.status === 404) return undefined;
    const header = (name: string) => response.headers.get(name) ?? '';
    const sha256 = header('etag').replaceAll('"', '');
    return FileRecord.parse({
      file_id: id,
      size: Number(header('content-length')),
      sha256,
      content_type: header('content-type'),
      created_at: new Date(header('last-modified')).toISOString(),
    });
  }

  async info(fileId: string): Promise<FileRecord> {
    const id = checkId(fileId);
    return this.call(() => this.http.json(`/v1/files/${id}/info`, FileRecord));
  }

  list(options: { limit?: number; cursor?: string; prefix?: string } = {}): Promise<FileList> {
    return this.call(() => this.http.json('/v1/files', FileList, { query: options }));
  }

  async delete(fileId: string): Promise<void> {
    const id = checkId(fileId);
    await this.call(() => this.http.request(`/v1/files/${id}`, { method: 'DELETE' }));
  }

  async stream(fileId: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const id = checkId(fileId);
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {};
    const response = await this.call(() => this.http.request(`/v1/files/${id}`, { headers, timeoutMs: this.transferTimeoutMs }));
    return (
      response.body ??
      new ReadableStream<Uint8Array>({
        start: (controller) => {
          controller.close();
        },
      })
    );
  }

  /**
   * Downloads into `${path}.part`, resuming from its current length with a Range request guarded by
   * If-Range (so a changed file restarts from zero), also after a transfer breaks mid-body. The bytes are
   * then hashed and renamed into place only when they match the id.
   */
  async download(fileId: string, path: string): Promise<FileRecord> {
    const record = await this.info(fileId);
    const part = `${path}.part`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.fetchInto(record, part);
        break;
      } catch (error) {
        if (!isTransferFailure(error) || attempt >= this.policy.retries) throw translate(error);
        await sleep(Math.random() * Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt));
      }
    }
    const actual = await sha256OfFile(part);
    if (actual !== record.sha256) {
      await rm(part, { force: true });
      throw new DataBankIntegrityError(`downloaded bytes of ${record.file_id} hash to ${actual}`);
    }
    await rename(part, path);
    return record;
  }

  private async fetchInto(record: FileRecord, part: string): Promise<void> {
    // No partial file from an earlier try (or an unreadable one, which open() below reports): start at byte 0.
    let offset = (await stat(part).catch(() => undefined))?.size ?? 0;
    if (offset > record.size) offset = 0;
    if (offset === record.size) {
      await (await open(part, offset === 0 ? 'w' : 'a')).close();
      return;
    }
    const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-`, 'if-range': `"${record.sha256}"` } : {};
    const response = await this.call(() =>
      this.http.request(`/v1/files/${record.file_id}`, { headers, timeoutMs: this.transferTimeoutMs }),
    );
    if (response.status !== 206)
      offset = 0; // the whole file came back
    else if (!response.headers.get('content-range')?.startsWith(`bytes ${offset}-`)) {
      await response.body?.cancel();
      throw new DataBankError(`unexpected Content-Range ${response.headers.get('content-range') ?? ''}`);
    }
    const sink = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w', flush: true });
    await pipeline(response.body ? Readable.fromWeb(response.body) : Readable.from([]), sink);
  }
}

export function createDataBankClient(options: DataBankClientOptions): DataBankClient {
  return new HttpDataBankClient(options);
}
