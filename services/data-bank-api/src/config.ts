import { boolFlag, csvList, loadConfig, port, sharedEnv, type Env } from '@platform/core';
import { z } from 'zod';

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

const byteCount = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const storageEnv = {
  DATA_BANK_ROOT: z.string().default('./var/data-bank'),
};

const schema = z
  .object({
    ...sharedEnv,
    ...storageEnv,
    PORT: port(8001),
    DATA_BANK_UPLOAD_KEYS: csvList(),
    DATA_BANK_READ_KEYS: optionalKeys(),
    DATA_BANK_DELETE_KEYS: optionalKeys(),
    DATA_BANK_ALLOW_ANONYMOUS: boolFlag(false),
    DATA_BANK_MAX_FILE_BYTES: byteCount(0),
    DATA_BANK_MIN_FREE_BYTES: byteCount(1024 ** 3),
    DATA_BANK_TTL_SECONDS: z.coerce.number().int().positive().optional(),
  })
  .refine((env) => env.DATA_BANK_ALLOW_ANONYMOUS || env.DATA_BANK_UPLOAD_KEYS.length > 0, {
    path: ['DATA_BANK_UPLOAD_KEYS'],
    error: 'required (comma-separated API keys); set DATA_BANK_ALLOW_ANONYMOUS=true to run without auth',
  });

export interface ApiKeys {
  upload: string[];
  read: string[];
  delete: string[];
}

export interface Config {
  host: string;
  port: number;
  logLevel: z.output<typeof sharedEnv.LOG_LEVEL>;
  redisUrl: string;
  root: string;
  keys: ApiKeys;
  allowAnonymous: boolean;
  /** 0 means no limit. */
  maxFileBytes: number;
  minFreeBytes: number;
  ttlSeconds: number | undefined;
}

export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(schema, env);
  const upload = [...new Set(parsed.DATA_BANK_UPLOAD_KEYS)];
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    redisUrl: parsed.REDIS_URL,
    root: parsed.DATA_BANK_ROOT,
    keys: {
      upload,
      read: parsed.DATA_BANK_READ_KEYS ?? upload,
      delete: parsed.DATA_BANK_DELETE_KEYS ?? upload,
    },
    allowAnonymous: parsed.DATA_BANK_ALLOW_ANONYMOUS,
    maxFileBytes: parsed.DATA_BANK_MAX_FILE_BYTES,
    minFreeBytes: parsed.DATA_BANK_MIN_FREE_BYTES,
    ttlSeconds: parsed.DATA_BANK_TTL_SECONDS,
  };
}

/** What the maintenance commands (verify) need: where the files are. */
export function readStorageConfig(env: Env = process.env): { root: string } {
  return { root: loadConfig(z.object(storageEnv), env).DATA_BANK_ROOT };
}
