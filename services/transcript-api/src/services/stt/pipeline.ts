import type { ScratchJob } from '@platform/core';
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
  /** The job's scratch dir: the pipeline writes its files there and runs its tools recorded there; the caller disposes of it. */
  scratch: ScratchJob;
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
async function transcribeChunks(
  options: Pick<PipelineOptions, 'provider' | 'concurrency' | 'retries' | 'retryBaseMs'>,
  chunks: ChunkFile[],
  request: Pick<TranscribeRequest, 'language' | 'prompt' | 'signal' | 'onChunk' | 'scratch'>,
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
          scratch: request.scratch,
        };
        const transcript = await withRetries(
          () => provider.transcribe(chunkRequest, chunkSignal),
          options.retries,
          options.retryBaseMs,
          chunkSignal,
        );
        done += 1;
        // After another chunk failed, the job is failing (or waiting for its retry): no stale progress.
        if (!chunkSignal.aborted) await request.onChunk?.(done, chunks.length);
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

/** Seconds a decode may run past the duration limit, so media just at the limit is never refused for rounding. */
const LIMIT_SLACK_S = 0.5;

const tooLong = (limitS: number, lastsS?: number) =>
  new UserError(
    lastsS === undefined
      ? `The media lasts longer than the limit of ${limitS} s`
      : `The media lasts ${Math.round(lastsS)} s; the limit is ${limitS} s`,
  );

/**
 * Probe, decode to mono 16 kHz while finding silences (never past the duration limit), cut into chunks
 * planned from the decoded audio's real length, transcribe them concurrently, stitch.
 */
export async function transcribeFile(options: PipelineOptions, request: TranscribeRequest): Promise<TranscriptionResult> {
  const { tools } = options;
  const run = { scratch: request.scratch, signal: request.signal };
  const limitS = options.maxDurationS > 0 ? options.maxDurationS : undefined;
  const media = await probe(tools, request.input, run);
  const claimed = media.claimedDurationS;
  if (limitS !== undefined && claimed !== undefined && claimed > limitS) throw tooLong(limitS, claimed);
  const wav = join(request.scratch.dir, 'audio.wav');
  const decodeLimitS = limitS === undefined ? undefined : limitS + 1;
  const audio = await normalise(tools, request.input, wav, { ...options.silence, limitS: decodeLimitS }, run);
  if (limitS !== undefined && audio.durationS > limitS + LIMIT_SLACK_S) throw tooLong(limitS);
  if (audio.durationS <= 0) throw new UserError('The audio stream holds no sound to transcribe');
  const maxChunkS = maxChunkSeconds(options.maxChunkS, options.maxChunkBytes);
  const cuts = planCuts(audio.durationS, audio.silences, maxChunkS);
  const chunks = await split(tools, wav, cuts, audio.durationS, options.provider.chunkFormat, run);
  await request.onPlan?.(chunks.length, audio.durationS);

  const transcripts = await transcribeChunks(options, chunks, request);
  const segments = stitch(chunks, transcripts);
  return {
    language: request.language ?? transcripts.find((t) => t.language !== undefined)?.language ?? null,
    duration_s: audio.durationS,
    provider: options.provider.name,
    segments,
    text: segmentsText(segments),
  };
}
