import { csvList, dataBankEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, type Env } from '@platform/core';
import { fileURLToPath } from 'node:url';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';

/** The model that ships with the repository (README "Shipped model"). */
export const SHIPPED_MODELS_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../models/' : '../models/', import.meta.url),
);

const ConfigSchema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    ...dataBankEnv,
    PORT: port(8005),
    /** Keys for every route except GET of a public run's samples; empty leaves them open (logged at start). */
    TRAINER_API_KEYS: csvList(),
    /** Runs (token files, checkpoints: shared by API and workers for resume), model cache and scratch. */
    TRAINER_DATA_DIR: z.string().default('var/model-trainer'),
    /** Redis key prefix of runs and tokenizers, registry prefix, BullMQ prefix, event namespace (tests isolate themselves). */
    TRAINER_KEY_PREFIX: z.string().default('trainer'),
    TRAINER_REGISTRY_PREFIX: z.string().default('ml:models'),
    TRAINER_QUEUE_PREFIX: z.string().default('bull'),
    TRAINER_EVENTS_NAMESPACE: z.string().default(''),
    /** Largest corpus (as stored, and unpacked when gzip). */
    TRAINER_MAX_CORPUS_BYTES: positiveInt(1024 * 1024 * 1024),
    /** Wall-clock limit of one training job. */
    TRAINER_TRAIN_TIMEOUT_MS: positiveInt(7 * 24 * 60 * 60 * 1000),
    /** trainer.metrics.step.v1 at most this often per run. */
    TRAINER_STEP_EVENT_INTERVAL_MS: positiveInt(10_000),
    TRAINER_INFERENCE_THREADS: positiveInt(1),
    /** Models kept loaded per API process (least recently used out first). */
    TRAINER_MAX_LOADED_MODELS: positiveInt(4),
    TRAINER_MAX_GENERATE_TOKENS: positiveInt(1024),
    TRAINER_MAX_SCORE_CHARS: positiveInt(20_000),
    /** Chat sessions expire this long after their last turn. */
    TRAINER_CHAT_TTL_S: positiveInt(24 * 3600),
    /** The Python interpreter of the training kernel (default: the first python3 that imports torch). */
    PLATFORM_PYTHON: z.string().optional(),
  })
  .superRefine(checkRedisTopology);

export interface Config extends BaseConfig {
  dataBankUrl: string;
  dataBankApiKey: string;
  /** Keys for every route except GET of a public run's samples; empty leaves them open. */
  apiKeys: string[];
  /** Runs (shared by API and workers for resume), model cache and scratch. */
  dataDir: string;
  /** Redis key prefix of runs, tokenizers and chats; registry prefix; BullMQ prefix; event namespace. */
  keyPrefix: string;
  registryPrefix: string;
  queuePrefix: string;
  eventsNamespace: string;
  maxCorpusBytes: number;
  trainTimeoutMs: number;
  stepEventMs: number;
  inferenceThreads: number;
  maxLoadedModels: number;
  maxGenerateTokens: number;
  maxScoreChars: number;
  chatTtlS: number;
  /** PLATFORM_PYTHON: the training kernel's interpreter (default: the first python3 that imports torch). */
  python: string | undefined;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(ConfigSchema, env);
  return {
    ...baseConfig(raw),
    dataBankUrl: serviceUrl('data-bank-api', { explicit: raw.DATA_BANK_URL, gateway: raw.API_GATEWAY_URL }),
    dataBankApiKey: raw.DATA_BANK_API_KEY,
    apiKeys: raw.TRAINER_API_KEYS,
    dataDir: raw.TRAINER_DATA_DIR,
    keyPrefix: raw.TRAINER_KEY_PREFIX,
    registryPrefix: raw.TRAINER_REGISTRY_PREFIX,
    queuePrefix: raw.TRAINER_QUEUE_PREFIX,
    eventsNamespace: raw.TRAINER_EVENTS_NAMESPACE,
    maxCorpusBytes: raw.TRAINER_MAX_CORPUS_BYTES,
    trainTimeoutMs: raw.TRAINER_TRAIN_TIMEOUT_MS,
    stepEventMs: raw.TRAINER_STEP_EVENT_INTERVAL_MS,
    inferenceThreads: raw.TRAINER_INFERENCE_THREADS,
    maxLoadedModels: raw.TRAINER_MAX_LOADED_MODELS,
    maxGenerateTokens: raw.TRAINER_MAX_GENERATE_TOKENS,
    maxScoreChars: raw.TRAINER_MAX_SCORE_CHARS,
    chatTtlS: raw.TRAINER_CHAT_TTL_S,
    python: raw.PLATFORM_PYTHON,
  };
}
