import { resolve } from 'node:path';
import type { StorageConfig } from '../config.js';
import type { StorageBackend } from './backend.js';
import { FsBackend } from './fs-backend.js';
import { S3Backend } from './s3-backend.js';

/** The configured backend: the bucket when S3 settings are given, else the filesystem root. */
export function openBackend(storage: StorageConfig): Promise<StorageBackend> {
  return storage.s3 ? S3Backend.open(storage.s3) : FsBackend.open(resolve(storage.root));
}
