import { describe, expect, it } from 'vitest';
import { readConfig, readStorageConfig, readWorkerConfig } from '../src/config.js';

const s3Env = {
  DATA_BANK_BACKEND: 's3',
  S3_BUCKET: 'files',
  S3_ENDPOINT: 'http://minio:9000',
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: 'id',
  S3_SECRET_ACCESS_KEY: 'secret',
};

describe('storage backend selection', () => {
  it('uses the filesystem by default', () => {
    expect(readStorageConfig({})).toEqual({ root: './var/data-bank', s3: undefined });
  });

  it('reads the S3 settings for the API, the worker and the verify command alike', () => {
    const s3 = {
      endpoint: 'http://minio:9000',
      bucket: 'files',
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    };
    expect(readConfig({ ...s3Env, DATA_BANK_UPLOAD_KEYS: 'k' }).s3).toEqual(s3);
    expect(readWorkerConfig(s3Env).s3).toEqual(s3);
    expect(readStorageConfig(s3Env).s3).toEqual(s3);
  });

  it('leaves credentials and endpoint to the SDK when unset', () => {
    expect(readStorageConfig({ DATA_BANK_BACKEND: 's3', S3_BUCKET: 'b', S3_REGION: 'eu-west-1' }).s3).toEqual({
      endpoint: undefined,
      bucket: 'b',
      region: 'eu-west-1',
      forcePathStyle: false,
      accessKeyId: undefined,
      secretAccessKey: undefined,
    });
  });

  it('refuses an S3 backend without a bucket, half a key pair, an unknown backend, a bad endpoint', () => {
    expect(() => readStorageConfig({ DATA_BANK_BACKEND: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => readWorkerConfig({ ...s3Env, S3_SECRET_ACCESS_KEY: '' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => readStorageConfig({ DATA_BANK_BACKEND: 'ftp' })).toThrow(/DATA_BANK_BACKEND/);
    expect(() => readStorageConfig({ ...s3Env, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
  });
});
