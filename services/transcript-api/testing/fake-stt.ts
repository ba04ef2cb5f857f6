import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import { readMultipart } from './multipart.js';

export interface SttCall {
  model: string;
  responseFormat: string;
  granularities: string[];
  language: string | null;
  prompt: string | null;
  authorization: string | undefined;
  /** The endpoint tells the audio format by the upload's file name. */
  filename: string;
  /** From the FLAC STREAMINFO of the uploaded file. */
  sampleRate: number;
  channels: number;
  durationS: number;
}

export interface FakeStt extends FakeHttpServer {
  calls: SttCall[];
  /** Statuses answered, in order, before requests succeed (e.g. [429, 503]). */
  failures: number[];
  latencyMs: number;
  /** Words said in a chunk; the default names the chunk by its duration. */
  words: (call: SttCall, index: number) => string[];
  problems: string[];
}

/**
 * An OpenAI-compatible `POST /v1/audio/transcriptions`: checks the multipart request the way the real
 * endpoint does and answers verbose_json with two segments per chunk.
 */
export async function fakeStt(): Promise<FakeStt> {
  const state: Omit<FakeStt, keyof FakeHttpServer> = {
    calls: [],
    failures: [],
    latencyMs: 0,
    words: () => ['hello', 'world', 'again'],
    problems: [],
  };
  const server = await startFakeHttpServer(async (request, response) => {
    if (request.url !== '/v1/audio/transcriptions' || request.method !== 'POST') {
      sendJson(response, 404, { error: { message: 'not found' } });
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      state.problems.push(`content-type ${contentType}`);
      sendJson(response, 400, { error: { message: 'multipart expected' } });
      return;
    }
    const form = await readMultipart(request);
    const field = (name: string) => form.fields.get(name)?.[0] ?? null;
    const file = form.files.get('file');
    if (!file) {
      state.problems.push('no file part');
      sendJson(response, 400, { error: { message: "'file' is required" } });
      return;
    }
    const flac = file.data;
    if (flac.length < 26 || flac.toString('ascii', 0, 4) !== 'fLaC') {
      state.problems.push('not a FLAC file');
      sendJson(response, 400, { error: { message: 'Invalid file format' } });
      return;
    }
    // STREAMINFO follows the 4-byte block header: 20 bits rate, 3 channels-1, 5 bits-1, 36 total samples.
    const info = flac.readBigUInt64BE(18);
    const sampleRate = Number(info >> 44n);
    const channels = Number((info >> 41n) & 7n) + 1;
    const samples = Number(info & 0xfffffffffn);
    const call: SttCall = {
      model: field('model') ?? '',
      responseFormat: field('response_format') ?? '',
      granularities: form.fields.get('timestamp_granularities[]') ?? [],
      language: field('language'),
      prompt: field('prompt'),
      authorization: request.headers.authorization,
      filename: file.filename,
      sampleRate,
      channels,
      durationS: samples / sampleRate,
    };
    const index = state.calls.push(call) - 1;
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    const failure = state.failures.shift();
    if (failure !== undefined) {
      sendJson(response, failure, { error: { message: `status ${failure}`, type: 'server_error' } });
      return;
    }
    const words = state.words(call, index);
    const half = Math.ceil(words.length / 2);
    const d = call.durationS;
    sendJson(response, 200, {
      task: 'transcribe',
      language: call.language ?? 'english',
      duration: d,
      text: words.join(' '),
      segments: [
        {
          id: 0,
          seek: 0,
          start: 0,
          end: d / 2,
          text: ` ${words.slice(0, half).join(' ')}`,
          tokens: [],
          temperature: 0,
          avg_logprob: -0.2,
          compression_ratio: 1,
          no_speech_prob: 0.01,
        },
        {
          id: 1,
          seek: 0,
          start: d / 2,
          end: d,
          text: ` ${words.slice(half).join(' ')}`,
          tokens: [],
          temperature: 0,
          avg_logprob: -0.2,
          compression_ratio: 1,
          no_speech_prob: 0.01,
        },
      ].filter((segment) => segment.text.trim() !== ''),
    });
  });
  return Object.assign(state, server);
}
