import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  AbortMultipartUploadCommand,
  UploadPartCopyCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { FileRecord } from '@platform/core';

/** Published files: `blobs/<sha256>`, the record in the object's Content-Type and metadata. */
export const BLOBS = 'blobs/';
/** Writes in progress (and probes): copied to `blobs/` once verified, swept when abandoned. */
export const TMP = 'tmp/';
export const QUARANTINE = 'quarantine/';
export const FILE_ID = /^[0-9a-f]{64}$/;

/** CopyObject copies at most 5 GiB; larger objects are copied part by part. */
const COPY_LIMIT = 5 * 1024 ** 3;
const COPY_PART = 512 * 1024 ** 2;

/** User metadata of a blob: what the record holds besides size and content type. */
export function recordMetadata(record: FileRecord): Record<string, string> {
  return { sha256: record.sha256, 'created-at': record.created_at };
}

/** The record of `blobs/<id>` from its HEAD; throws when the metadata is missing or malformed. */
export function recordOf(id: string, head: HeadObjectCommandOutput): FileRecord {
  const metadata = head.Metadata ?? {};
  return FileRecord.parse({
    file_id: id,
    sha256: metadata.sha256,
    size: head.ContentLength,
    content_type: head.ContentType,
    created_at: metadata['created-at'],
  });
}

export interface CopyTarget {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
}

/**
 * Copies `source` (exactly the version with `etag`) to the target with new metadata. Both are atomic
 * on S3: the target appears whole or not at all.
 */
export async function copyObject(
  client: S3Client,
  bucket: string,
  source: { key: string; etag: string; size: number },
  target: CopyTarget,
): Promise<void> {
  const CopySource = `${bucket}/${source.key}`;
  const common = {
    Bucket: bucket,
    Key: target.key,
    ContentType: target.contentType,
    Metadata: target.metadata,
  };
  if (source.size <= COPY_LIMIT) {
    await client.send(
      new CopyObjectCommand({
        ...common,
        CopySource,
        CopySourceIfMatch: source.etag,
        MetadataDirective: 'REPLACE',
      }),
    );
    return;
  }
  const { UploadId } = await client.send(new CreateMultipartUploadCommand(common));
  try {
    const parts = [];
    for (let start = 0, number = 1; start < source.size; start += COPY_PART, number++) {
      const end = Math.min(start + COPY_PART, source.size) - 1;
      const { CopyPartResult } = await client.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: target.key,
          UploadId,
          PartNumber: number,
          CopySource,
          CopySourceIfMatch: source.etag,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ PartNumber: number, ETag: CopyPartResult?.ETag });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    // Left behind, the parts would be swept only by a bucket lifecycle rule: abort now.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: target.key, UploadId }))
      // The copy's own error is thrown below; a failed abort leaves parts for the gc sweep.
      .catch(() => undefined);
    throw error;
  }
}
