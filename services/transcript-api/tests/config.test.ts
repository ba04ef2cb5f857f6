import { ConfigError } from '@platform/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('config', () => {
  it('documents every variable in .env.example with its default', async () => {
    const text = await readFile(join(import.meta.dirname, '..', '.env.example'), 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(readConfig(env)).toEqual(readConfig({}));
    const schemaKeys = Object.keys(
      readConfig({ DATA_BANK_URL: 'http://x', API_GATEWAY_URL: 'http://y', TRANSCRIPT_TMP_DIR: '/x' }),
    ).filter((key) => key !== 'redis').sort();
    expect(Object.keys(env).sort()).toEqual(schemaKeys);
  });

  it('lists every bad value at once', () => {
    expect(() =>
      readConfig({ STT_PROVIDER: 'whisper.cpp', TRANSCRIPT_MAX_DURATION_S: '-1', YOUTUBE_BASE_URL: 'nope' }),
    ).toThrow(ConfigError);
    try {
      readConfig({ STT_PROVIDER: 'whisper.cpp', TRANSCRIPT_MAX_DURATION_S: '-1', YOUTUBE_BASE_URL: 'nope' });
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('defaults to the offline local provider unless an STT key is set; an explicit choice is kept', () => {
    expect(readConfig({}).STT_PROVIDER).toBe('local');
    expect(readConfig({ STT_API_KEY: 'sk-test' }).STT_PROVIDER).toBe('openai');
    expect(readConfig({ STT_PROVIDER: 'openai' }).STT_PROVIDER).toBe('openai');
    expect(readConfig({ STT_PROVIDER: 'local', STT_API_KEY: 'sk-test' }).STT_PROVIDER).toBe('local');
  });

  it('treats a 0 duration limit as unlimited', () => {
    expect(readConfig({ TRANSCRIPT_MAX_DURATION_S: '0' }).TRANSCRIPT_MAX_DURATION_S).toBe(0);
  });
});
