import { createDataBankClient, serviceUrl, type DataBankClient } from '@platform/core';
import type { Config } from './config.js';
import { YouTube } from './services/captions/youtube.js';
import { LocalProvider } from './services/stt/local.js';
import { OpenAiProvider } from './services/stt/openai.js';
import type { PipelineOptions } from './services/stt/pipeline.js';
import type { SttProvider } from './services/stt/provider.js';

export const youtubeFrom = (config: Config): YouTube =>
  new YouTube({
    baseUrl: config.YOUTUBE_BASE_URL,
    client: config.YOUTUBE_CLIENT,
    timeoutMs: config.YOUTUBE_TIMEOUT_MS,
  });

export const storeFrom = (config: Config): DataBankClient =>
  createDataBankClient({
    baseUrl: serviceUrl('data-bank-api', { explicit: config.DATA_BANK_URL, gateway: config.API_GATEWAY_URL }),
    apiKey: config.DATA_BANK_API_KEY,
  });

export function providerFrom(config: Config): SttProvider {
  if (config.STT_PROVIDER === 'local') return new LocalProvider(config.POCKETSPHINX_PATH);
  return new OpenAiProvider({
    baseUrl: config.STT_BASE_URL,
    apiKey: config.STT_API_KEY,
    model: config.STT_MODEL,
    timeoutMs: config.STT_TIMEOUT_MS,
  });
}

export const pipelineFrom = (
  config: Config,
  provider: SttProvider = providerFrom(config),
): PipelineOptions => ({
  tools: { ffmpeg: config.FFMPEG_PATH, ffprobe: config.FFPROBE_PATH },
  provider,
  silence: { noiseDb: config.TRANSCRIPT_SILENCE_DB, minSilenceS: config.TRANSCRIPT_SILENCE_MIN_S },
  maxDurationS: config.TRANSCRIPT_MAX_DURATION_S,
  maxChunkS: config.TRANSCRIPT_MAX_CHUNK_S,
  maxChunkBytes: config.TRANSCRIPT_MAX_CHUNK_BYTES,
  concurrency: config.TRANSCRIPT_CONCURRENCY,
  retries: config.STT_RETRIES,
  retryBaseMs: config.STT_RETRY_BASE_MS,
});

/** The Redis key a DELETE sets for a running job; the worker polls it. */
export const cancelKey = (prefix: string) => (jobId: string) => `${prefix}:transcript:cancel:${jobId}`;
