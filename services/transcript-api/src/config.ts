import {
  csvList,
  dataBankEnv,
  loadConfig,
  port,
  positiveInt,
  sharedEnv,
  url,
  type Env,
} from '@platform/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRedisTopology, redisTarget, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().nonnegative().default(fallback);

const EnvSchema = z.object({
  ...sharedEnv,
  ...redisTopologyEnv,
  ...dataBankEnv,
  PORT: port(8003),
  /** Keys accepted in X-API-Key; empty disables auth (logged at start). */
  TRANSCRIPT_API_KEYS: csvList(),
  /** Origin that replaces https://www.youtube.com and youtubei.googleapis.com in every YouTube request. */
  YOUTUBE_BASE_URL: url().default('https://www.youtube.com'),
  /** InnerTube client used for the player request (WEB, MWEB, ANDROID, IOS, TV...). */
  YOUTUBE_CLIENT: z
    .enum(['WEB', 'MWEB', 'ANDROID', 'IOS', 'TV', 'TV_EMBEDDED', 'WEB_EMBEDDED', 'ANDROID_VR'])
    .default('WEB'),
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
}).superRefine(checkRedisTopology);

const ConfigSchema = EnvSchema.transform((env) => ({
  ...env,
  STT_PROVIDER: env.STT_PROVIDER ?? (env.STT_API_KEY === '' ? 'local' : 'openai'),
  /** REDIS_URL, or the Sentinel / Cluster nodes when those are set. */
  redis: redisTarget(env),
}));

export type Config = z.output<typeof ConfigSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(ConfigSchema, env);
}
