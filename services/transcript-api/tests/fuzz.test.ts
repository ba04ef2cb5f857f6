import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { authSpellings, fuzzService } from '@platform/core/testing';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeYouTube, type FakeYouTube } from '../testing/index.js';
import { harness, type Harness } from './helpers/service.js';

const KEY = 'fuzz-key';

let dir: string;
let scratchRoot: string;
let bank: DataBankProcess;
let youtube: FakeYouTube;
let service: Harness;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-fuzz-'));
  scratchRoot = join(dir, 'scratch');
  bank = await startDataBankProcess();
  youtube = await fakeYouTube({
    dQw4w9WgXcQ: {
      title: 'A video',
      lengthSeconds: 10,
      tracks: [{ language: 'en', name: 'English', body: 'WEBVTT\n' }],
    },
  });
  service = await harness({
    TRANSCRIPT_API_KEYS: KEY,
    DATA_BANK_URL: bank.url,
    DATA_BANK_API_KEY: bank.apiKey,
    YOUTUBE_BASE_URL: youtube.url,
    // Jobs the fuzzer manages to queue must never reach the network or the real tools for long.
    YTDLP_PATH: '/nonexistent/yt-dlp',
    STT_BASE_URL: 'http://127.0.0.1:1/v1',
    STT_API_KEY: 'sk-none',
    STT_RETRIES: '0',
    TRANSCRIPT_MAX_UPLOAD_BYTES: String(64 * 1024),
    TRANSCRIPT_TMP_DIR: scratchRoot,
  });
  service.startWorker();
  baseUrl = await service.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await service.close();
  await bank.stop();
  await youtube.close();
  await rm(dir, { recursive: true, force: true });
});

describe('transcript-api under random requests', () => {
  it.each([
    ['no key', {}],
    ['the API key', { 'x-api-key': KEY }],
  ])(
    'never answers 500 and always the envelope, with %s, and leaves no upload behind',
    async (_case, keys) => {
      await fuzzService(service.app, { keys });
      await sleep(200);
      // Job dirs of jobs the fuzzer queued may still be in use; upload dirs never outlive their request.
      const jobDirs = await readdir(scratchRoot).catch(() => []); // no scratch root: no job ran
      const entries = await Promise.all(
        // A job dir its worker removed meanwhile holds no upload either.
        jobDirs.map((name) => readdir(join(scratchRoot, name)).catch(() => [])),
      );
      expect(entries.flat().filter((name) => name.startsWith('upload-'))).toEqual([]);
    },
    180_000,
  );

  it('refuses every spelling of every protected route without a valid key', async () => {
    await authSpellings(service.app);
  }, 60_000);

  it('answers 401 to a percent-encoded spelling of a transcript read route without a key', async () => {
    for (const path of ['/v1/%74ranscriptions/some-job/result', '/v1/transcriptions/some-job/%72esult']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});
