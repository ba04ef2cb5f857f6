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

  it('lists every bad value at once', () => {
    expect(() => readConfig({ STT_PROVIDER: 'whisper.cpp', TRANSCRIPT_MAX_DURATION_S: '-1', YOUTUBE_BASE_URL: 'nope' })).toThrow(
      ConfigError,
    );
    try {
      readConfig({ STT_PROVIDER: 'whisper.cpp', TRANSCRIPT_MAX_DURATION_S: '-1', YOUTUBE_BASE_URL: 'nope' });
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('defaults to the offline local provider unless an STT key is set; an explicit choice is kept', () => {
    expect(readConfig({}).stt.provider).toBe('local');
    expect(readConfig({ STT_API_KEY: 'sk-test' }).stt.provider).toBe('openai');
    expect(readConfig({ STT_PROVIDER: 'openai' }).stt.provider).toBe('openai');
    expect(readConfig({ STT_PROVIDER: 'local', STT_API_KEY: 'sk-test' }).stt.provider).toBe('local');
  });

  it('treats a 0 duration limit as unlimited', () => {
    expect(readConfig({ TRANSCRIPT_MAX_DURATION_S: '0' }).pipeline.maxDurationS).toBe(0);
  });
});
