import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { corpusSettings } from '../src/workers/corpus-settings.js';

describe('configuration', () => {
  it('bounds url sources and source documents by default, with nothing allow-listed', () => {
    const config = readConfig({});
    expect(config.fetchAllowList).toEqual([]);
    expect(corpusSettings(config).limits).toEqual({
      maxInflatedBytes: 4 * 1024 ** 3,
      maxLineChars: 1_000_000,
      maxDocumentChars: 4_000_000,
    });
    expect(config.corpus).toMatchObject({ urlMaxBytes: 1024 ** 3, urlTimeoutMs: 3_600_000, jobTimeoutMs: 4 * 3_600_000 });
  });

  it('reads FETCH_ALLOW_LIST and refuses a bad entry at start, naming it', () => {
    expect(readConfig({ FETCH_ALLOW_LIST: '10.1.0.0/16, minio.internal' }).fetchAllowList).toEqual(['10.1.0.0/16', 'minio.internal']);
    expect(() => readConfig({ FETCH_ALLOW_LIST: '10.1.0.0/99' })).toThrow('10.1.0.0/99');
  });
});
