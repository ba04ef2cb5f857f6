import { createScratchArea, type ScratchArea } from '@platform/core';
import { UserError } from '@platform/workers';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProvider, parsePocketsphinx } from '../src/services/stt/local.js';
import { normalise } from '../src/services/stt/media.js';
import { OpenAiProvider } from '../src/services/stt/openai.js';
import { transcribeFile, type PipelineOptions } from '../src/services/stt/pipeline.js';
import { maxChunkSeconds, planCuts } from '../src/services/stt/plan.js';
import { ProviderError } from '../src/services/stt/provider.js';
import { stitch } from '../src/services/stt/stitch.js';
import { lyingMatroska, pulsedTone, silentVideo, speech, steadyTone } from './helpers/audio.js';
import { fakeStt, type FakeStt } from '../testing/index.js';

let dir: string;
let stt: FakeStt;
let longFile: string;
let scratchArea: ScratchArea;

const options = (overrides: Partial<PipelineOptions> = {}): PipelineOptions => ({
  tools: { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' },
  provider: new OpenAiProvider({
    baseUrl: `${stt.url}/v1`,
    apiKey: 'sk-test',
    model: 'whisper-1',
    timeoutMs: 10_000,
  }),
  silence: { noiseDb: -35, minSilenceS: 0.4 },
  maxDurationS: 0,
  maxChunkS: 600,
  maxChunkBytes: 24 * 1024 * 1024,
  concurrency: 3,
  retries: 3,
  retryBaseMs: 10,
  ...overrides,
});

const run = async (input: string, pipeline: PipelineOptions, extra: { language?: string; signal?: AbortSignal } = {}) => {
  const scratch = await scratchArea.createJob();
  const progress: [number, number][] = [];
  try {
    const result = await transcribeFile(pipeline, {
      input,
      scratch,
      language: extra.language,
      signal: extra.signal ?? new AbortController().signal,
      onChunk: (done, total) => {
        progress.push([done, total]);
        return Promise.resolve();
      },
    });
    return { result, progress };
  } finally {
    await scratch.dispose();
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-pipeline-'));
  stt = await fakeStt();
  scratchArea = createScratchArea(join(dir, 'scratch'));
  // 20 minutes: 25 s of sound, then 5 s of silence, as an MP3 (a real container to decode).
  longFile = await pulsedTone(dir, 'twenty-minutes.mp3', 20 * 60, 25, 5);
});

afterAll(async () => {
  await stt.close();
  await rm(dir, { recursive: true, force: true });
});

describe('planCuts', () => {
  it('cuts in the middle of the latest silence of each window', () => {
    const silences = [
      { start: 100, end: 102 },
      { start: 250, end: 252 },
      { start: 290, end: 294 },
      { start: 500, end: 501 },
    ];
    expect(planCuts(600, silences, 300)).toEqual([292, 500.5]);
  });
  it('hard-splits stretches without silence, and leaves short media whole', () => {
    expect(planCuts(1000, [], 300)).toEqual([300, 600, 900]);
    expect(planCuts(299, [], 300)).toEqual([]);
    // A silence in the first half of the window is too early: the chunk would be needlessly small.
    expect(planCuts(700, [{ start: 10, end: 12 }], 300)).toEqual([300, 600]);
  });
  it('derives the chunk length from the byte limit too', () => {
    expect(maxChunkSeconds(1000, 25 * 1024 * 1024)).toBeCloseTo(819.2, 0);
    expect(maxChunkSeconds(600, 25 * 1024 * 1024)).toBe(600);
    expect(maxChunkSeconds(600, 3_200_078)).toBe(100);
  });
});

describe('stitch', () => {
  it('offsets chunk times and removes words repeated across a cut', () => {
    const chunks = [
      { path: 'a', start: 0, end: 10 },
      { path: 'b', start: 10, end: 20 },
    ];
    const segments = stitch(chunks, [
      { segments: [{ start: 1, end: 9.5, text: ' the cat sat on the mat ' }] },
      {
        segments: [
          { start: 0, end: 2, text: 'on the mat and purred' },
          { start: 2, end: 99, text: 'loudly' },
        ],
      },
    ]);
    expect(segments).toEqual([
      { start: 1, end: 9.5, text: 'the cat sat on the mat' },
      { start: 10, end: 12, text: 'and purred' },
      { start: 12, end: 20, text: 'loudly' },
    ]);
  });
});

describe('transcribeFile with an OpenAI-compatible endpoint', () => {
  it('chunks a 20-minute file at silences and stitches the chunk transcripts in order', async () => {
    stt.calls.length = 0;
    stt.words = (call) => [`chunk${Math.round(call.durationS)}s`, 'says', 'hello'];
    const { result, progress } = await run(longFile, options({ maxChunkS: 300 }), { language: 'en' });
    expect(stt.problems).toEqual([]);
    expect(result.duration_s).toBeCloseTo(1200, 0);
    expect(result.language).toBe('en');
    // Every request is a well-formed transcription request on mono 16 kHz audio.
    expect(stt.calls.length).toBeGreaterThanOrEqual(4);
    for (const call of stt.calls) {
      expect(call).toMatchObject({
        model: 'whisper-1',
        responseFormat: 'verbose_json',
        granularities: ['segment'],
        language: 'en',
      });
      expect(call).toMatchObject({
        authorization: 'Bearer sk-test',
        filename: 'audio.flac',
        sampleRate: 16000,
        channels: 1,
      });
      expect(call.durationS).toBeLessThanOrEqual(300.01);
    }
    const total = stt.calls.reduce((sum, call) => sum + call.durationS, 0);
    expect(total).toBeCloseTo(1200, 0);
    // Cuts fall inside the silences (each 30 s period ends with 5 s of silence: 25..30, 55..60, ...).
    const starts = [...new Set(result.segments.map((s) => s.start))].filter((_, i) => i % 2 === 0).slice(1);
    for (const start of starts) expect(start % 30).toBeGreaterThanOrEqual(25);
    expect(progress.at(-1)).toEqual([stt.calls.length, stt.calls.length]);
    // Segments are in time order and inside the file.
    const times = result.segments.map((s) => s.start);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(result.segments.at(-1)?.end).toBeLessThanOrEqual(1200.1);
    expect(result.text.startsWith('chunk')).toBe(true);
  });

  it('hard-splits a long stretch without silence', async () => {
    const file = await steadyTone(dir, 'steady.wav', 130);
    stt.calls.length = 0;
    stt.words = () => ['tone'];
    const { result } = await run(file, options({ maxChunkS: 60 }));
    expect(stt.calls.map((call) => Math.round(call.durationS)).sort((a, b) => a - b)).toEqual([10, 60, 60]);
    const starts = result.segments.map((s) => s.start);
    expect(starts).toHaveLength(3);
    [0, 60, 120].forEach((expected, i) => {
      expect(Math.abs((starts[i] ?? -1) - expected)).toBeLessThan(0.1);
    });
  });

  it('retries 429 and 5xx answers with backoff, then succeeds', async () => {
    const file = await steadyTone(dir, 'short.wav', 5);
    stt.calls.length = 0;
    stt.words = () => ['ok', 'then'];
    stt.failures = [429, 503, 500];
    const { result } = await run(file, options());
    expect(stt.calls).toHaveLength(4);
    expect(result.text).toBe('ok then');
  });

  it('gives up after the retries with a retryable provider error (a system failure)', async () => {
    const file = await steadyTone(dir, 'short2.wav', 5);
    stt.failures = [503, 503, 503];
    const failure = run(file, options({ retries: 2 }));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toThrow(/answered 503/);
    stt.failures = [];
  });

  it('does not retry a 401', async () => {
    const file = await steadyTone(dir, 'short3.wav', 5);
    stt.calls.length = 0;
    stt.failures = [401];
    await expect(run(file, options())).rejects.toMatchObject({ retryable: false });
    expect(stt.calls).toHaveLength(1);
  });

  it('rejects media without audio, corrupt media and media over the duration limit as user errors', async () => {
    await expect(run(await silentVideo(dir), options())).rejects.toThrow(new UserError('The file has no audio stream'));
    const corrupt = join(dir, 'corrupt.mp3');
    await writeFile(corrupt, Buffer.from('ID3 this is not really an mp3 file at all'));
    await expect(run(corrupt, options())).rejects.toBeInstanceOf(UserError);
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'just text\n');
    const unreadable = run(text, options());
    await expect(unreadable).rejects.toThrow(/not a readable audio or video file/);
    // The tool's complaint is passed on without the job's paths.
    await expect(unreadable).rejects.not.toThrow(dir);
    await expect(run(longFile, options({ maxDurationS: 600 }))).rejects.toThrow('The media lasts 1200 s; the limit is 600 s');
  });

  it('limits the decode of a file whose header claims 1 s but holds 5 min, and refuses it', async () => {
    const liar = await lyingMatroska(dir, 'liar.mka', 300, 1);
    const probed = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', liar]);
    expect(Number(probed.toString())).toBe(1);
    stt.calls.length = 0;
    await expect(run(liar, options({ maxDurationS: 20 }))).rejects.toThrow(new UserError('The media lasts longer than the limit of 20 s'));
    expect(stt.calls).toEqual([]);
    // The decode itself stops at the limit (+1 s), so a 25-minute liar never fills the disk.
    const scratch = await scratchArea.createJob();
    try {
      const wav = join(scratch.dir, 'audio.wav');
      const silence = { noiseDb: -35, minSilenceS: 0.4 };
      const signal = new AbortController().signal;
      const tools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
      const decoded = await normalise(tools, liar, wav, { ...silence, limitS: 21 }, { scratch, signal });
      expect(decoded.durationS).toBeCloseTo(21, 1);
      expect((await stat(wav)).size).toBeLessThan(22 * 32_000);
    } finally {
      await scratch.dispose();
    }
  });

  it('plans chunks from the decoded length of a file whose header claims 1 s', async () => {
    const liar = await lyingMatroska(dir, 'liar-130.mka', 130, 1);
    stt.calls.length = 0;
    stt.words = () => ['tone'];
    const { result } = await run(liar, options({ maxChunkS: 60, maxDurationS: 200 }));
    expect(stt.calls.map((call) => Math.round(call.durationS)).sort((a, b) => a - b)).toEqual([10, 60, 60]);
    expect(result.duration_s).toBeCloseTo(130, 1);
  });

  it('stops when the signal aborts, leaving nothing running', async () => {
    const controller = new AbortController();
    stt.latencyMs = 2000;
    try {
      const started = Date.now();
      const running = run(longFile, options({ maxChunkS: 60, concurrency: 2 }), {
        signal: controller.signal,
      });
      setTimeout(() => {
        controller.abort(new Error('stop'));
      }, 1500);
      await expect(running).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      stt.latencyMs = 0;
    }
  });
});

describe('local provider (pocketsphinx)', () => {
  it('parses timed words into segments that break at pauses', () => {
    const output =
      'hello world\n<s> 0.000 0.100 1.0\nhello 0.110 0.500 0.9\nworld(2) 0.510 0.900 0.8\n<sil> 0.910 1.400 1.0\nagain 1.410 1.800 0.5\n</s> 1.810 1.900 1.0\n';
    expect(parsePocketsphinx(output)).toEqual([
      { start: 0.11, end: 0.9, text: 'hello world' },
      { start: 1.41, end: 1.8, text: 'again' },
    ]);
  });

  it('transcribes a synthesized sentence end to end, offline', async () => {
    const file = await speech(dir, 'hello world. this is a test of speech recognition on this machine.');
    const { result } = await run(file, options({ provider: new LocalProvider('pocketsphinx_continuous') }));
    expect(result.provider).toBe('local');
    expect(result.language).toBe('en');
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.text).toMatch(/^[a-z' ]+$/);
    expect(result.text.split(' ').length).toBeGreaterThanOrEqual(3);
    for (const segment of result.segments) {
      expect(segment.end).toBeGreaterThan(segment.start);
      expect(segment.end).toBeLessThanOrEqual(result.duration_s + 0.05);
    }
  });

  it('reports a missing pocketsphinx clearly', async () => {
    const file = await steadyTone(dir, 'short4.wav', 2);
    await expect(run(file, options({ provider: new LocalProvider('/nonexistent/pocketsphinx') }))).rejects.toThrow(
      /not installed.*install pocketsphinx/,
    );
  });
});

it('leaves its scratch dir to the caller and nothing elsewhere', async () => {
  expect(await readdir(scratchArea.root)).toEqual([]);
});
