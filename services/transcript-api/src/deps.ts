import {
  createDataBankClient,
  createScratchArea,
  serviceUrl,
  toolReadiness,
  type DataBankClient,
  type ReadinessCheck,
  type ScratchArea,
} from '@platform/core';
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

/**
 * /readyz checks for the programs the worker runs (API and worker share a machine under `npm run up` and
 * an image under Docker). yt-dlp is left out: only YouTube sources need it, and such a job says so.
 */
export function toolChecksFrom(config: Config): ReadinessCheck[] {
  const checks = [
    toolReadiness('ffmpeg', { command: config.FFMPEG_PATH, args: ['-version'] }),
    toolReadiness('ffprobe', { command: config.FFPROBE_PATH, args: ['-version'], packages: ['ffmpeg'] }),
  ];
  if (config.STT_PROVIDER === 'local')
    checks.push(
      // Decoding an empty input loads the acoustic model, so a missing pocketsphinx-en-us fails too.
      toolReadiness('pocketsphinx', {
        command: config.POCKETSPHINX_PATH,
        args: ['-infile', '/dev/null', '-logfn', '/dev/null'],
        packages: ['pocketsphinx', 'pocketsphinx-en-us'],
      }),
    );
  return checks;
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

/** Per-job and per-upload scratch dirs under TRANSCRIPT_TMP_DIR, shared by the API and the worker. */
export const scratchFrom = (config: Config): ScratchArea => createScratchArea(config.TRANSCRIPT_TMP_DIR);
