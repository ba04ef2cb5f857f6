/**
 * transcript-api benchmark on a generated 60-minute recording (tone with pauses, Opus in Ogg):
 *  1. chunking (decode to mono 16 kHz + silencedetect in one ffmpeg pass, then the cut into chunks in the
 *     provider's format, FLAC), as a multiple of real time, against plain `ffmpeg -f null` decoding of the
 *     same file (the raw limit);
 *  2. transcription of the chunks through the real OpenAI-compatible provider against a local fake STT
 *     endpoint with a fixed 200 ms latency per request, sequential (the peer) against bounded concurrency.
 *     A pure tone compresses far better than speech: real FLAC chunks are about half their WAV size.
 *
 *   npm run bench -- transcript     (about a minute; needs ffmpeg)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createScratchArea, type ScratchJob } from '@platform/core';
import { printTable, type BenchRow } from '../lib/report.js';

const DURATION_S = 60 * 60;
const CHUNK_S = 60;
const LATENCY_MS = 200;
const CONCURRENCY = [4, 8];

interface ChunkFile {
  path: string;
  start: number;
  end: number;
}
interface Tools {
  ffmpeg: string;
  ffprobe: string;
}
type Silence = { start: number; end: number };

const source = (file: string) => new URL(`../../services/transcript-api/src/services/stt/${file}`, import.meta.url).href;
interface ToolRun {
  scratch: ScratchJob;
  signal: AbortSignal;
}
const media = (await import(source('media.ts'))) as {
  normalise: (
    tools: Tools,
    input: string,
    output: string,
    options: { noiseDb: number; minSilenceS: number },
    run: ToolRun,
  ) => Promise<{ durationS: number; silences: Silence[] }>;
  split: (tools: Tools, wav: string, cuts: number[], durationS: number, format: string, run: ToolRun) => Promise<ChunkFile[]>;
};
const { planCuts } = (await import(source('plan.ts'))) as {
  planCuts: (d: number, s: Silence[], max: number) => number[];
};
const { OpenAiProvider } = (await import(source('openai.ts'))) as {
  OpenAiProvider: new (options: { baseUrl: string; apiKey: string; model: string; timeoutMs: number }) => {
    chunkFormat: string;
  };
};
const { transcribeChunks } = (await import(source('pipeline.ts'))) as {
  transcribeChunks: (
    options: { provider: unknown; concurrency: number; retries: number; retryBaseMs: number },
    chunks: ChunkFile[],
    request: ToolRun,
  ) => Promise<unknown[]>;
};

const tools: Tools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
const dir = mkdtempSync(join(tmpdir(), 'bench-transcript-'));
const rows: BenchRow[] = [];
const scratch = await createScratchArea(join(dir, 'scratch')).createJob();
const run: ToolRun = { scratch, signal: new AbortController().signal };

async function drain(request: IncomingMessage): Promise<number> {
  let bytes = 0;
  for await (const chunk of request) bytes += (chunk as Buffer).length;
  return bytes;
}

try {
  const input = join(dir, 'hour.ogg');
  console.log(`generating ${DURATION_S / 60} minutes of audio...`);
  const gate = "volume=volume='if(lt(mod(t,20),17),0.5,0)':eval=frame";
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${DURATION_S}`,
    '-af',
    gate,
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    input,
  ]);

  const server = createServer((request, response) => {
    void drain(request).then(async () => {
      await sleep(LATENCY_MS);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ language: 'english', text: 'x', segments: [{ start: 0, end: 1, text: 'x' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const provider = new OpenAiProvider({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    apiKey: '',
    model: 'whisper-1',
    timeoutMs: 60_000,
  });

  let started = performance.now();
  execFileSync('ffmpeg', ['-v', 'error', '-i', input, '-f', 'null', '-']);
  const decodeS = (performance.now() - started) / 1000;
  rows.push({
    case: 'chunk 60 min',
    subject: 'ffmpeg decode only',
    value: DURATION_S / decodeS,
    unit: 'x realtime',
    extra: { seconds: decodeS },
  });

  started = performance.now();
  const wav = join(dir, 'audio.wav');
  const audio = await media.normalise(tools, input, wav, { noiseDb: -35, minSilenceS: 0.4 }, run);
  const cuts = planCuts(audio.durationS, audio.silences, CHUNK_S);
  const chunks = await media.split(tools, wav, cuts, audio.durationS, provider.chunkFormat, run);
  const chunkS = (performance.now() - started) / 1000;
  rows.push({
    case: 'chunk 60 min',
    subject: `normalise+silences+split (${chunks.length} ${provider.chunkFormat} chunks)`,
    value: DURATION_S / chunkS,
    unit: 'x realtime',
    extra: { seconds: chunkS },
  });

  const chunkKb = chunks.reduce((sum, chunk) => sum + statSync(chunk.path).size, 0) / chunks.length / 1000;
  const sttCase = `STT ${chunks.length} chunks of ${Math.round(chunkKb)} kB, ${LATENCY_MS} ms each`;
  for (const concurrency of [1, ...CONCURRENCY]) {
    started = performance.now();
    await transcribeChunks({ provider, concurrency, retries: 0, retryBaseMs: 0 }, chunks, run);
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      case: sttCase,
      subject: concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`,
      value: chunks.length / seconds,
      unit: 'chunks/s',
      extra: { seconds },
    });
  }
  server.close();
  printTable(
    'transcript-api: chunking a 60-minute recording',
    rows.filter((row) => row.case === 'chunk 60 min'),
    'ffmpeg decode only',
  );
  console.log('');
  printTable(
    'transcript-api: transcribing its chunks against a fake STT endpoint',
    rows.filter((row) => row.case === sttCase),
    'sequential',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
