import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { readConfig, readStorageConfig, readWorkerConfig } from '../src/config.js';

describe('readConfig', () => {
  it('has working defaults given upload keys, and read/delete keys fall back to them', () => {
    const config = readConfig({ DATA_BANK_UPLOAD_KEYS: ' a , a , b ,, ' });
    expect(config).toMatchObject({
      port: 8001,
      root: './var/data-bank',
      keys: { upload: ['a', 'b'], read: ['a', 'b'], delete: ['a', 'b'] },
      allowAnonymous: false,
      maxFileBytes: 0,
      minFreeBytes: 1024 ** 3,
      requestTimeoutMs: 60 * 60 * 1000,
      ttlSeconds: undefined,
    });
  });

  it('reads the request timeout and refuses one under a second', () => {
    const keys = { DATA_BANK_UPLOAD_KEYS: 'k' };
    expect(readConfig({ ...keys, DATA_BANK_REQUEST_TIMEOUT_MS: '120000' }).requestTimeoutMs).toBe(120_000);
    expect(() => readConfig({ ...keys, DATA_BANK_REQUEST_TIMEOUT_MS: '10' })).toThrow(/DATA_BANK_REQUEST_TIMEOUT_MS/);
  });

  it('keeps separate key sets and limits', () => {
    const config = readConfig({
      DATA_BANK_UPLOAD_KEYS: 'u',
      DATA_BANK_READ_KEYS: 'r1,r2',
      DATA_BANK_DELETE_KEYS: 'd',
      DATA_BANK_MAX_FILE_BYTES: '1000',
      DATA_BANK_MIN_FREE_BYTES: '0',
      DATA_BANK_TTL_SECONDS: '60',
      DATA_BANK_ROOT: '/data',
    });
    expect(config).toMatchObject({
      keys: { upload: ['u'], read: ['r1', 'r2'], delete: ['d'] },
      maxFileBytes: 1000,
      minFreeBytes: 0,
      ttlSeconds: 60,
      root: '/data',
    });
  });

  it('refuses to start without upload keys unless anonymous access is chosen', () => {
    expect(() => readConfig({})).toThrow(ConfigError);
    expect(() => readConfig({ DATA_BANK_UPLOAD_KEYS: ' , ' })).toThrow(/DATA_BANK_UPLOAD_KEYS/);
    expect(readConfig({ DATA_BANK_ALLOW_ANONYMOUS: 'true' }).keys).toEqual({
      upload: [],
      read: [],
      delete: [],
    });
  });

  it('lists every bad value at once', () => {
    try {
      readConfig({ DATA_BANK_UPLOAD_KEYS: 'k', DATA_BANK_MAX_FILE_BYTES: '-1', PORT: 'x' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});

describe('worker and storage configuration', () => {
  it('needs no API keys and has the maintenance schedule', () => {
    expect(readWorkerConfig({})).toEqual({
      logLevel: 'info',
      redisUrl: 'redis://127.0.0.1:6379/0',
      redis: { url: 'redis://127.0.0.1:6379/0' },
      root: './var/data-bank',
      ttlSeconds: undefined,
      gcEverySeconds: 3600,
      verifyEverySeconds: 604800,
      ioThreads: 16,
    });
    expect(readWorkerConfig({ DATA_BANK_VERIFY_EVERY_SECONDS: '0', DATA_BANK_TTL_SECONDS: '86400' })).toMatchObject({
      verifyEverySeconds: 0,
      ttlSeconds: 86400,
    });
    expect(() => readWorkerConfig({ DATA_BANK_TTL_SECONDS: '0' })).toThrow(/DATA_BANK_TTL_SECONDS/);
    expect(readStorageConfig({ DATA_BANK_ROOT: '/srv/files' })).toEqual({ root: '/srv/files' });
  });
});
