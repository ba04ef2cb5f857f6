import type { Segment } from '../../models/transcript.js';

export interface ChunkRequest {
  path: string;
  durationS: number;
  language?: string | undefined;
  prompt?: string | undefined;
}

export interface ChunkTranscript {
  language?: string | undefined;
  /** Times relative to the start of the chunk. */
  segments: Segment[];
}

/** A speech-to-text backend that transcribes one chunk (mono 16 kHz WAV). */
export interface SttProvider {
  readonly name: string;
  transcribe(chunk: ChunkRequest, signal: AbortSignal): Promise<ChunkTranscript>;
}

/** A provider failure; retryable ones (429, 5xx, network, timeout) are tried again with backoff. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
