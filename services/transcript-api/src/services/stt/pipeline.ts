import { UserError } from '@platform/workers';
import pLimit from 'p-limit';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TranscriptionResult } from '../../models/transcript.js';
import { segmentsText } from '../formats.js';
import { normalise, probe, split, type ChunkFile, type MediaTools, type SilenceOptions } from './media.js';
import { maxChunkSeconds, planCuts } from './plan.js';
import { ProviderError, type ChunkRequest, type ChunkTranscript, type SttProvider } from './provider.js';
import { stitch } from './stitch.js';

export interface PipelineOptions {
  tools: MediaTools;
  provider: SttProvider;
  silence: SilenceOptions;
  /** 0 means unlimited. */
  maxDurationS: number;
  maxChunkS: number;
  maxChunkBytes: number;
  concurrency: number;
  retries: number;
  retryBaseMs: number;
}

export interface TranscribeRequest {
  input: string;
  /** A directory of the caller's that the pipeline may fill; the caller removes it. */
  workDir: string;
  language?: string | undefined;
  prompt?: string | undefined;
  signal: AbortSignal;
  onChunk?: (done: number, total: number) => Promise<void>;
  /** Called once the chunks are known. */
  onPlan?: (chunks: number, durationS: number) => Promise<void>;
}

async function withRetries(
  attempt: () => Promise<ChunkTranscript>,
  retries: number,
  baseMs: number,
  signal: AbortSignal,
): Promise<ChunkTranscript> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || tried >= retries) throw error;
      const backoff = error.retryAfterMs ?? baseMs * 2 ** tried * (0.5 + Math.random() / 2);
      await sleep(backoff, undefined, { signal });
    }
  }
}

/** Transcribes the chunks with bounded concurrency and retries; results stay in chunk order. */
export async function transcribeChunks(
  options: Pick<PipelineOptions, 'provider' | 'concurrency' | 'retries' | 'retryBaseMs'>,
  chunks: ChunkFile[],
  request: Pick<TranscribeRequest, 'language' | 'prompt' | 'signal' | 'onChunk'>,
): Promise<ChunkTranscript[]> {
  const { provider, signal } = { ...options, signal: request.signal };
  const limit = pLimit(options.concurrency);
  // The first chunk that fails for good stops the others.
  const failed = new AbortController();
  const chunkSignal = AbortSignal.any([signal, failed.signal]);
  let done = 0;
  const transcribing = Promise.all(
    chunks.map((chunk) =>
      limit(async () => {
        chunkSignal.throwIfAborted();
        const chunkRequest: ChunkRequest = {
          path: chunk.path,
          durationS: chunk.end - chunk.start,
          language: request.language,
          prompt: request.prompt,
        };
        const transcript = await withRetries(
          () => provider.transcribe(chunkRequest, chunkSignal),
          options.retries,
          options.retryBaseMs,
          chunkSignal,
        );
        done += 1;
        await request.onChunk?.(done, chunks.length);
        return transcript;
      }),
    ),
  );
  return transcribing.catch((error: unknown) => {
    limit.clearQueue();
    failed.abort(error);
    throw error;
  });
}

/** Probe, normalise to mono 16 kHz while finding silences, cut into chunks, transcribe them concurrently, stitch. */
export async function transcribeFile(
  options: PipelineOptions,
  request: TranscribeRequest,
): Promise<TranscriptionResult> {
  const { tools, signal } = { ...options, signal: request.signal };
  const media = await probe(tools, request.input, signal);
  if (options.maxDurationS > 0 && media.durationS > options.maxDurationS) {
    throw new UserError(
      `The media lasts ${Math.round(media.durationS)} s; the limit is ${options.maxDurationS} s`,
    );
  }
  const wav = join(request.workDir, 'audio.wav');
  const silences = await normalise(tools, request.input, wav, media.durationS, options.silence, signal);
  const cuts = planCuts(media.durationS, silences, maxChunkSeconds(options.maxChunkS, options.maxChunkBytes));
  const format = options.provider.chunkFormat;
  const chunks = await split(tools, wav, cuts, media.durationS, request.workDir, format, signal);
  await request.onPlan?.(chunks.length, media.durationS);

  const transcripts = await transcribeChunks(options, chunks, request);
  const segments = stitch(chunks, transcripts);
  return {
    language: request.language ?? transcripts.find((t) => t.language !== undefined)?.language ?? null,
    duration_s: media.durationS,
    provider: options.provider.name,
    segments,
    text: segmentsText(segments),
  };
}
