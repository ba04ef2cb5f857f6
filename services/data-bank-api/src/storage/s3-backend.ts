import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FileRecord } from '@platform/core';
import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { ListPage, PendingWrite, ScanEntry, StorageBackend } from './backend.js';
import { createS3Client, isMissing, type S3Settings } from './s3-client.js';
import { BLOBS, copyObject, FILE_ID, QUARANTINE, recordMetadata, recordOf, TMP } from './s3-objects.js';

export interface S3BackendOptions {
  /** Multipart part size (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /** Parts of one upload in flight at once (default 4): an upload holds up to partSize x this in memory. */
  queueSize?: number;
}

/** HEADs run this many at once when a listing needs the records of a page of keys. */
const HEADS_AT_ONCE = 32;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Files in an S3-compatible bucket. `blobs/<sha256>` holds the bytes, and its Content-Type and
 * metadata hold the rest of the record, so bytes and record appear together. A streamed write goes to
 * `tmp/<uuid>` (multipart above one part) and is copied to `blobs/` only once its hash is known and
 * its size checked; a write that fails aborts its multipart upload, and `sweepTemps` removes what a
 * crashed process left (temp objects and incomplete multipart uploads).
 */
export class S3Backend implements StorageBackend {
  readonly location: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3BackendOptions = {},
  ) {
    this.location = `s3://${bucket}`;
    this.partSize = options.partSize ?? 8 * 1024 * 1024;
    this.queueSize = options.queueSize ?? 4;
  }

  /** A backend on a new client; fails when the bucket cannot be reached with these settings. */
  static async open(settings: S3Settings, options: S3BackendOptions = {}): Promise<S3Backend> {
    const client = createS3Client(settings);
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
    return new S3Backend(client, settings.bucket, options);
  }

  private async head(key: string) {
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  beginWrite(): Promise<PendingWrite> {
    const key = `${TMP}${randomUUID()}`;
    const sink = new PassThrough({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: sink },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    // A failed upload stops reading: the writer learns it through the sink's error instead of waiting on 'drain'.
    const done = upload.done();
    done.catch((error: unknown) => sink.destroy(error instanceof Error ? error : new Error(message(error))));
    sink.on('error', () => undefined);
    let settled: Promise<void> | undefined;
    const abort = () => {
      // Destroying with an error (not ending) makes the upload fail and abort its multipart upload
      // before `done` settles; the temp object is removed in case the upload had already finished.
      settled ??= (async () => {
        if (!sink.destroyed) sink.destroy(new Error('write aborted'));
        // The upload failing is the point of aborting it.
        await done.catch(() => undefined);
        await this.deleteKey(key).catch(() => undefined); // else swept later
      })();
      return settled;
    };
    const commit = async (record: FileRecord) => {
      await done;
      const written = await this.head(key);
      if (written?.ETag === undefined) throw new Error(`temp object ${key} vanished before its commit`);
      if (written.ContentLength !== record.size)
        throw new Error(`temp object ${key} has ${written.ContentLength} bytes, ${record.size} were written`);
      const outcome = await this.publish(record, async (target) =>
        copyObject(this.client, this.bucket, { key, etag: written.ETag ?? '', size: record.size }, target),
      );
      await this.deleteKey(key).catch(() => undefined); // else swept later
      return outcome;
    };
    return Promise.resolve({ sink, commit, abort });
  }

  /** Publishes through `write` unless the id is already stored (dedupe by HEAD). */
  private async publish(
    record: FileRecord,
    write: (target: { key: string; contentType: string; metadata: Record<string, string> }) => Promise<void>,
  ): Promise<{ record: FileRecord; created: boolean }> {
    const key = BLOBS + record.file_id;
    const existing = await this.head(key);
    if (existing) return { record: recordOf(record.file_id, existing), created: false };
    // Two writers of one id may both get here: both write the same bytes, the later record stays.
    await write({ key, contentType: record.content_type, metadata: recordMetadata(record) });
    return { record, created: true };
  }

  put(record: FileRecord, bytes: Buffer): Promise<{ record: FileRecord; created: boolean }> {
    // The hash is known before the first byte is sent and a PUT is atomic, so no temp object is needed;
    // the SHA-256 checksum makes the server refuse bytes that do not hash to the id.
    const checksum = createHash('sha256').update(bytes).digest('base64');
    return this.publish(record, async (target) => {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: target.key,
          Body: bytes,
          ContentType: target.contentType,
          Metadata: target.metadata,
          ChecksumSHA256: checksum,
        }),
      );
    });
  }

  async stat(id: string): Promise<FileRecord | undefined> {
    const head = await this.head(BLOBS + id);
    return head && recordOf(id, head);
  }

  async openRange(id: string, start: number, end: number): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: BLOBS + id, Range: `bytes=${start}-${end}` }));
      // In Node the SDK's body is the HTTP response stream.
      if (!(object.Body instanceof Readable)) throw new Error(`S3 GetObject ${id} returned no readable body`);
      return object.Body;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.head(BLOBS + id))) return false;
    await this.deleteKey(BLOBS + id);
    return true;
  }

  /**
   * Keys under `prefix` in ascending order after `startAfter`, with their age. ListObjects (v1) pages by
   * Marker = the last key seen, which every S3-compatible server implements the same way; v2's opaque
   * continuation tokens are where implementations differ (s3rver's need DES, which OpenSSL 3 dropped).
   */
  private async *keys(prefix: string, startAfter?: string, pageSize = 1000) {
    let marker = startAfter;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ...(marker !== undefined && { Marker: marker }),
        }),
      );
      const objects = (page.Contents ?? []).flatMap((object) =>
        object.Key === undefined ? [] : [{ key: object.Key, lastModified: object.LastModified?.getTime() ?? 0 }],
      );
      yield objects;
      marker = page.NextMarker ?? objects.at(-1)?.key;
      if (page.IsTruncated !== true || marker === undefined) return;
    }
  }

  /** Pages of content ids with each one's record (or why it has none), in id order. */
  private async *entries(options: { after?: string; prefix?: string; pageSize?: number } = {}) {
    const after = options.after === undefined ? undefined : BLOBS + options.after;
    for await (const page of this.keys(BLOBS + (options.prefix ?? ''), after, options.pageSize)) {
      const ids = page.map(({ key }) => key.slice(BLOBS.length)).filter((id) => FILE_ID.test(id));
      for (let from = 0; from < ids.length; from += HEADS_AT_ONCE) {
        yield await Promise.all(
          ids.slice(from, from + HEADS_AT_ONCE).map(async (id): Promise<ScanEntry> => {
            try {
              const record = await this.stat(id);
              return record ? { id, record } : { id, problem: 'blob missing' };
            } catch (error) {
              return { id, problem: `unreadable record: ${message(error)}` };
            }
          }),
        );
      }
    }
  }

  async list(options: { limit: number; after?: string; prefix?: string }): Promise<ListPage> {
    const records: FileRecord[] = [];
    for await (const batch of this.entries({ ...options, pageSize: Math.min(options.limit + 1, 1000) })) {
      for (const { record } of batch) {
        if (!record) continue; // broken entries are verify's business
        if (records.length === options.limit) return { records, more: true };
        records.push(record);
      }
    }
    return { records, more: false };
  }

  async *scan(): AsyncIterable<ScanEntry> {
    for await (const batch of this.entries()) {
      for (const entry of batch) {
        if (entry.record && entry.record.sha256 !== entry.id) yield { ...entry, problem: `record names ${entry.record.sha256}` };
        else yield entry;
      }
    }
  }

  async quarantine(id: string, reason: string): Promise<void> {
    const head = await this.head(BLOBS + id);
    if (head?.ETag === undefined) throw new Error(`${id} is not stored`);
    await copyObject(
      this.client,
      this.bucket,
      { key: BLOBS + id, etag: head.ETag, size: head.ContentLength ?? 0 },
      {
        key: `${QUARANTINE}${id}-${Date.now()}`,
        contentType: head.ContentType ?? 'application/octet-stream',
        metadata: { ...head.Metadata, reason: encodeURIComponent(reason) },
      },
    );
    await this.deleteKey(BLOBS + id);
  }

  async sweepTemps(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    const old = (time: number) => olderThanMs === 0 || time < cutoff;
    let removed = 0;
    for await (const page of this.keys(TMP)) {
      for (const { key } of page.filter((object) => old(object.lastModified))) {
        await this.deleteKey(key);
        removed++;
      }
    }
    // Parts of uploads that never completed (a crash, a failed abort); a multipart copy targets blobs/.
    for (const prefix of [TMP, BLOBS]) {
      let keyMarker: string | undefined;
      let uploadMarker: string | undefined;
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(keyMarker !== undefined && { KeyMarker: keyMarker, UploadIdMarker: uploadMarker }),
          }),
        );
        for (const upload of page.Uploads ?? []) {
          if (!old(upload.Initiated?.getTime() ?? 0)) continue;
          await this.client
            .send(
              new AbortMultipartUploadCommand({
                Bucket: this.bucket,
                Key: upload.Key,
                UploadId: upload.UploadId,
              }),
            )
            .catch((error: unknown) => {
              if (!isMissing(error)) throw error; // finished or aborted meanwhile
            });
          removed++;
        }
        if (page.IsTruncated !== true) break;
        keyMarker = page.NextKeyMarker;
        uploadMarker = page.NextUploadIdMarker;
      }
    }
    return removed;
  }

  /** Object storage has no free-space figure: the limit is the bill, not a disk. */
  freeBytes(): Promise<number> {
    return Promise.resolve(Number.MAX_SAFE_INTEGER);
  }

  async checkWritable(): Promise<void> {
    const key = `${TMP}probe-${randomUUID()}`;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: '', ContentLength: 0 }));
    await this.deleteKey(key);
  }
}
