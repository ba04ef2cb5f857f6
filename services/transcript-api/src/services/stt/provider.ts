import type { ScratchJob } from '@platform/core';
import type { Segment } from '../../models/transcript.js';

export interface ChunkRequest {
  path: string;
  /** The job's scratch dir, where a provider that runs a program records its process group. */
  scratch: ScratchJob;
  durationS: number;
  language?: string | undefined;
  prompt?: string | undefined;
}

export interface ChunkTranscript {
  language?: string | undefined;
  /** Times relative to the start of the chunk. */
  segments: Segment[];
}

/** How chunks are encoded on disk: both hold the same mono 16 kHz 16-bit samples. */
export type ChunkFormat = 'wav' | 'flac';

/** A speech-to-text backend that transcribes one chunk (mono 16 kHz, in the provider's chunk format). */
export interface SttProvider {
  readonly name: string;
  readonly chunkFormat: ChunkFormat;
  transcribe(chunk: ChunkRequest, signal: AbortSignal): Promise<ChunkTranscript>;
}

/** A provider failure; retryable ones (429, 5xx, network, timeout) are tried again with backoff. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}
