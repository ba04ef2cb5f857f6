import { csvList, serviceUrl, dataBankEnv, loadConfig, port, positiveInt, sharedEnv, url, type Env } from '@platform/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfig, checkRedisTopology, redisTopologyEnv, type BaseConfig } from '@platform/workers';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().nonnegative().default(fallback);

const EnvSchema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    ...dataBankEnv,
    PORT: port(8003),
    /** Keys accepted in X-API-Key; empty disables auth (logged at start). */
    TRANSCRIPT_API_KEYS: csvList(),
    /** Origin that replaces https://www.youtube.com and youtubei.googleapis.com in every YouTube request. */
    YOUTUBE_BASE_URL: url().default('https://www.youtube.com'),
    /** InnerTube client used for the player request (WEB, MWEB, ANDROID, IOS, TV...). */
    YOUTUBE_CLIENT: z.enum(['WEB', 'MWEB', 'ANDROID', 'IOS', 'TV', 'TV_EMBEDDED', 'WEB_EMBEDDED', 'ANDROID_VR']).default('WEB'),
    YOUTUBE_TIMEOUT_MS: positiveInt(15_000),
    TRANSCRIPT_DEFAULT_LANGUAGES: csvList('en,en-US,en-GB'),
    YTDLP_PATH: z.string().default('yt-dlp'),
    FFMPEG_PATH: z.string().default('ffmpeg'),
    FFPROBE_PATH: z.string().default('ffprobe'),
    POCKETSPHINX_PATH: z.string().default('pocketsphinx_continuous'),
    TRANSCRIPT_MAX_UPLOAD_BYTES: positiveInt(512 * 1024 * 1024),
    /** The whole upload must arrive within this; the request timeout is set just above it. */
    TRANSCRIPT_UPLOAD_TIMEOUT_S: positiveInt(15 * 60),
    /** Longest accepted media; 0 means unlimited. */
    TRANSCRIPT_MAX_DURATION_S: seconds(4 * 60 * 60),
    TRANSCRIPT_MAX_CHUNK_S: positiveInt(600),
    TRANSCRIPT_MAX_CHUNK_BYTES: positiveInt(24 * 1024 * 1024),
    TRANSCRIPT_CONCURRENCY: positiveInt(4),
    TRANSCRIPT_SILENCE_DB: z.coerce.number().max(0).default(-35),
    TRANSCRIPT_SILENCE_MIN_S: z.coerce.number().positive().default(0.4),
    TRANSCRIPT_JOB_TIMEOUT_S: positiveInt(2 * 60 * 60),
    TRANSCRIPT_WORKER_CONCURRENCY: positiveInt(1),
    /** The service's own scratch root (uploads, job files); both processes sweep what a crashed one left. */
    TRANSCRIPT_TMP_DIR: z.string().min(1).default(join(tmpdir(), 'transcript-api')),
    /** Unset: `openai` when STT_API_KEY is set, else the offline `local`, so a bare `npm run up` transcribes. */
    STT_PROVIDER: z.enum(['openai', 'local']).optional(),
    STT_BASE_URL: url().default('https://api.openai.com/v1'),
    STT_API_KEY: z.string().default(''),
    STT_MODEL: z.string().default('whisper-1'),
    STT_TIMEOUT_MS: positiveInt(300_000),
    STT_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
    STT_RETRY_BASE_MS: positiveInt(1_000),
    /** BullMQ key prefix and event namespace: tests isolate themselves with their own. */
    TRANSCRIPT_QUEUE_PREFIX: z.string().default('bull'),
    TRANSCRIPT_EVENTS_NAMESPACE: z.string().default(''),
  })
  .superRefine(checkRedisTopology);

type Parsed = z.output<typeof EnvSchema>;

export interface Config extends BaseConfig {
  /** Keys accepted in X-API-Key; empty leaves the API open (local development). */
  apiKeys: string[];
  dataBank: { url: string; apiKey: string };
  youtube: { baseUrl: string; client: Parsed['YOUTUBE_CLIENT']; timeoutMs: number };
  defaultLanguages: string[];
  /** The programs the worker runs. */
  tools: { ytdlp: string; ffmpeg: string; ffprobe: string; pocketsphinx: string };
  uploads: { maxBytes: number; timeoutMs: number };
  /** The service's own scratch root (uploads, job files). */
  tmpDir: string;
  /** How the worker cuts and transcribes media. */
  pipeline: {
    /** 0 means unlimited. */
    maxDurationS: number;
    maxChunkS: number;
    maxChunkBytes: number;
    concurrency: number;
    silence: { noiseDb: number; minSilenceS: number };
  };
  jobTimeoutMs: number;
  workerConcurrency: number;
  /** BullMQ key prefix and event namespace. */
  queuePrefix: string;
  eventsNamespace: string;
  stt: {
    /** `openai` when STT_API_KEY is set, else the offline `local`, unless STT_PROVIDER says. */
    provider: 'openai' | 'local';
    baseUrl: string;
    apiKey: string;
    model: string;
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
  };
}

export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(EnvSchema, env);
  return {
    ...baseConfig(parsed),
    apiKeys: parsed.TRANSCRIPT_API_KEYS,
    dataBank: {
      url: serviceUrl('data-bank-api', { explicit: parsed.DATA_BANK_URL, gateway: parsed.API_GATEWAY_URL }),
      apiKey: parsed.DATA_BANK_API_KEY,
    },
    youtube: {
      baseUrl: parsed.YOUTUBE_BASE_URL,
      client: parsed.YOUTUBE_CLIENT,
      timeoutMs: parsed.YOUTUBE_TIMEOUT_MS,
    },
    defaultLanguages: parsed.TRANSCRIPT_DEFAULT_LANGUAGES,
    tools: {
      ytdlp: parsed.YTDLP_PATH,
      ffmpeg: parsed.FFMPEG_PATH,
      ffprobe: parsed.FFPROBE_PATH,
      pocketsphinx: parsed.POCKETSPHINX_PATH,
    },
    uploads: {
      maxBytes: parsed.TRANSCRIPT_MAX_UPLOAD_BYTES,
      timeoutMs: parsed.TRANSCRIPT_UPLOAD_TIMEOUT_S * 1000,
    },
    tmpDir: parsed.TRANSCRIPT_TMP_DIR,
    pipeline: {
      maxDurationS: parsed.TRANSCRIPT_MAX_DURATION_S,
      maxChunkS: parsed.TRANSCRIPT_MAX_CHUNK_S,
      maxChunkBytes: parsed.TRANSCRIPT_MAX_CHUNK_BYTES,
      concurrency: parsed.TRANSCRIPT_CONCURRENCY,
      silence: { noiseDb: parsed.TRANSCRIPT_SILENCE_DB, minSilenceS: parsed.TRANSCRIPT_SILENCE_MIN_S },
    },
    jobTimeoutMs: parsed.TRANSCRIPT_JOB_TIMEOUT_S * 1000,
    workerConcurrency: parsed.TRANSCRIPT_WORKER_CONCURRENCY,
    queuePrefix: parsed.TRANSCRIPT_QUEUE_PREFIX,
    eventsNamespace: parsed.TRANSCRIPT_EVENTS_NAMESPACE,
    stt: {
      provider: parsed.STT_PROVIDER ?? (parsed.STT_API_KEY === '' ? 'local' : 'openai'),
      baseUrl: parsed.STT_BASE_URL,
      apiKey: parsed.STT_API_KEY,
      model: parsed.STT_MODEL,
      timeoutMs: parsed.STT_TIMEOUT_MS,
      retries: parsed.STT_RETRIES,
      retryBaseMs: parsed.STT_RETRY_BASE_MS,
    },
  };
}
