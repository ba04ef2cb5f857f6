import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';

/** Where the S3-compatible store is and how to sign for it (DATA_BANK_BACKEND=s3). */
export interface S3Settings {
  /** Base URL of an S3-compatible server; unset means AWS's own endpoint for the region. */
  endpoint?: string | undefined;
  bucket: string;
  region: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (MinIO, Ceph, most self-hosted servers). */
  forcePathStyle: boolean;
  /** Both or neither; without them the SDK's usual chain (environment, profile, instance role) applies. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

export function createS3Client(settings: S3Settings): S3Client {
  const { accessKeyId, secretAccessKey } = settings;
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined && { credentials: { accessKeyId, secretAccessKey } }),
  });
}

/** The key, upload or bucket does not exist (HEAD answers a bare 404, GET `NoSuchKey`). */
export const isMissing = (error: unknown): boolean => error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
