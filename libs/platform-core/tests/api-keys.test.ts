import { describe, expect, it } from 'vitest';
import { ApiKeySet, presentedApiKey } from '../src/http/api-keys.js';

describe('ApiKeySet', () => {
  it('matches only its keys, whatever their length', () => {
    const keys = new ApiKeySet(['short', 'a-much-longer-key-of-another-length']);
    expect(keys.matches('short')).toBe(true);
    expect(keys.matches('a-much-longer-key-of-another-length')).toBe(true);
    expect(keys.matches('shor')).toBe(false);
    expect(keys.matches('')).toBe(false);
    expect(new ApiKeySet([]).isEmpty).toBe(true);
  });

  it('reads the first X-API-Key header and ignores a blank one', () => {
    expect(presentedApiKey(['k1', 'k2'])).toBe('k1');
    expect(presentedApiKey('  ')).toBeUndefined();
  });
});
