import { boolFlag, csvList, loadConfig, port, sharedEnv, type Env } from '@platform/core';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTarget, redisTopologyEnv, type RedisTarget } from '@platform/workers';
import { z } from 'zod';
import type { S3Settings } from './storage/s3-client.js';
import type { MaintenanceSchedule } from './workers/schedule.js';

/** Like csvList, but unset stays undefined so the key set can fall back to the upload keys. */
const optionalKeys = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined ? undefined : splitKeys(value)));

const splitKeys = (value: string): string[] => [
  ...new Set(
    value
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
  ),
];

const HOUR_MS = 60 * 60 * 1000;

const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const storageEnv = {
  DATA_BANK_BACKEND: z.enum(['fs', 's3']).default('fs'),
  DATA_BANK_ROOT: z.string().default('./var/data-bank'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: boolFlag(false),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
};

type StorageEnv = z.output<z.ZodObject<typeof storageEnv>>;

/** The S3 variables that only make sense together. */
function checkStorage(env: StorageEnv, context: z.RefinementCtx): void {
  if (env.DATA_BANK_BACKEND === 's3' && env.S3_BUCKET === undefined)
    context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when DATA_BANK_BACKEND=s3' });
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined))
    context.addIssue({
      code: 'custom',
      path: [env.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'],
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or leave both unset for the SDK chain)',
    });
}

/** Where the files are: a filesystem root, or a bucket when `s3` is set (DATA_BANK_BACKEND=s3). */
export interface StorageConfig {
  root: string;
  s3?: S3Settings | undefined;
}

function storageOf(env: StorageEnv): StorageConfig {
  if (env.DATA_BANK_BACKEND === 'fs') return { root: env.DATA_BANK_ROOT, s3: undefined };
  return {
    root: env.DATA_BANK_ROOT,
    s3: {
      endpoint: env.S3_ENDPOINT,
      bucket: env.S3_BUCKET ?? '',
      region: env.S3_REGION,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    },
  };
}

const workerEnv = {
  ...sharedEnv,
  ...redisTopologyEnv,
  ...storageEnv,
  DATA_BANK_TTL_SECONDS: z.coerce.number().int().positive().optional(),
  DATA_BANK_GC_EVERY_SECONDS: nonNegativeInt(60 * 60),
  DATA_BANK_VERIFY_EVERY_SECONDS: nonNegativeInt(7 * 24 * 60 * 60),
  DATA_BANK_IO_THREADS: z.coerce.number().int().min(1).max(1024).default(16),
};

const schema = z
  .object({
    ...workerEnv,
    PORT: port(8001),
    DATA_BANK_UPLOAD_KEYS: csvList(),
    DATA_BANK_READ_KEYS: optionalKeys(),
    DATA_BANK_DELETE_KEYS: optionalKeys(),
    DATA_BANK_ALLOW_ANONYMOUS: boolFlag(false),
    DATA_BANK_MAX_FILE_BYTES: nonNegativeInt(0),
    DATA_BANK_MIN_FREE_BYTES: nonNegativeInt(1024 ** 3),
    // Uploads are files: an hour lets 3.6 GB through at 1 MB/s; headers must still come within 10 s.
    DATA_BANK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(HOUR_MS),
  })
  .refine((env) => env.DATA_BANK_ALLOW_ANONYMOUS || env.DATA_BANK_UPLOAD_KEYS.length > 0, {
    path: ['DATA_BANK_UPLOAD_KEYS'],
    error: 'required (comma-separated API keys); set DATA_BANK_ALLOW_ANONYMOUS=true to run without auth',
  })
  .superRefine(checkStorage)
  .superRefine(checkRedisTopology);

export type ApiKeys = Record<'upload' | 'read' | 'delete', string[]>;

export interface Config extends BaseConfig, StorageConfig {
  redisUrl: string;
  keys: ApiKeys;
  allowAnonymous: boolean;
  /** 0 means no limit. */
  maxFileBytes: number;
  minFreeBytes: number;
  /** Longest time a client may take to send a whole request, upload included. */
  requestTimeoutMs: number;
  ttlSeconds: number | undefined;
  ioThreads: number;
}

export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(schema, env);
  const upload = [...new Set(parsed.DATA_BANK_UPLOAD_KEYS)];
  return {
    ...baseConfig(parsed),
    redisUrl: parsed.REDIS_URL,
    ...storageOf(parsed),
    keys: {
      upload,
      read: parsed.DATA_BANK_READ_KEYS ?? upload,
      delete: parsed.DATA_BANK_DELETE_KEYS ?? upload,
    },
    allowAnonymous: parsed.DATA_BANK_ALLOW_ANONYMOUS,
    maxFileBytes: parsed.DATA_BANK_MAX_FILE_BYTES,
    minFreeBytes: parsed.DATA_BANK_MIN_FREE_BYTES,
    requestTimeoutMs: parsed.DATA_BANK_REQUEST_TIMEOUT_MS,
    ttlSeconds: parsed.DATA_BANK_TTL_SECONDS,
    ioThreads: parsed.DATA_BANK_IO_THREADS,
  };
}

/** What the maintenance commands (verify) need: where the files are. */
export function readStorageConfig(env: Env = process.env): StorageConfig {
  return storageOf(loadConfig(z.object(storageEnv).superRefine(checkStorage), env));
}

export interface WorkerConfig extends MaintenanceSchedule, StorageConfig {
  logLevel: Config['logLevel'];
  redisUrl: string;
  redis: RedisTarget;
  ttlSeconds: number | undefined;
  ioThreads: number;
}

/** The worker process needs no API keys: it only touches storage and the queue. */
export function readWorkerConfig(env: Env = process.env): WorkerConfig {
  const parsed = loadConfig(z.object(workerEnv).superRefine(checkStorage).superRefine(checkRedisTopology), env);
  return {
    logLevel: parsed.LOG_LEVEL,
    redisUrl: parsed.REDIS_URL,
    redis: redisTarget(parsed),
    ...storageOf(parsed),
    ttlSeconds: parsed.DATA_BANK_TTL_SECONDS,
    gcEverySeconds: parsed.DATA_BANK_GC_EVERY_SECONDS,
    verifyEverySeconds: parsed.DATA_BANK_VERIFY_EVERY_SECONDS,
    ioThreads: parsed.DATA_BANK_IO_THREADS,
  };
}

/**
 * libuv runs file system calls, every fsync included, on its thread pool (4 threads by default), so
 * concurrent uploads queue behind each other's fsyncs. The pool reads UV_THREADPOOL_SIZE when it first
 * starts: call this before any asynchronous file system call. An explicit UV_THREADPOOL_SIZE wins.
 */
export function sizeIoThreadPool(threads: number): void {
  process.env.UV_THREADPOOL_SIZE ??= String(threads);
}
