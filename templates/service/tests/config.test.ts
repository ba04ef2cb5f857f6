import { ConfigError } from '@platform/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('config', () => {
  it('gives every variable in .env.example its default', async () => {
    const text = await readFile(join(import.meta.dirname, '..', '.env.example'), 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // That it lists exactly the variables the schema reads is `npm run guard`'s check.
    expect(readConfig(env)).toEqual(readConfig({}));
  });

  it('names the settings for what they mean, and lists every bad value at once', () => {
    expect(readConfig({ EXAMPLE_API_KEYS: 'a, b', PORT: '9000' })).toMatchObject({
      apiKeys: ['a', 'b'],
      port: 9000,
    });
    expect(() => readConfig({ PORT: 'x', EXAMPLE_MAX_TEXT_CHARS: '0' })).toThrow(ConfigError);
    try {
      readConfig({ PORT: 'x', EXAMPLE_MAX_TEXT_CHARS: '0' });
    } catch (error) {
      expect(error instanceof ConfigError && error.problems).toHaveLength(2);
    }
  });
});
