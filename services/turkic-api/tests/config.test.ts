import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { corpusSettings } from '../src/workers/corpus-settings.js';

describe('configuration', () => {
  it('bounds url sources and source documents by default, with nothing allow-listed', () => {
    const config = readConfig({});
    expect(config.FETCH_ALLOW_LIST).toEqual([]);
    expect(corpusSettings(config).limits).toEqual({ maxInflatedBytes: 4 * 1024 ** 3, maxLineChars: 1_000_000, maxDocumentChars: 4_000_000 });
    expect(config).toMatchObject({ TURKIC_URL_MAX_BYTES: 1024 ** 3, TURKIC_URL_TIMEOUT_MS: 3_600_000 });
  });

  it('reads FETCH_ALLOW_LIST and refuses a bad entry at start, naming it', () => {
    expect(readConfig({ FETCH_ALLOW_LIST: '10.1.0.0/16, minio.internal' }).FETCH_ALLOW_LIST).toEqual(['10.1.0.0/16', 'minio.internal']);
    expect(() => readConfig({ FETCH_ALLOW_LIST: '10.1.0.0/99' })).toThrow('10.1.0.0/99');
  });
});
