import { csvList, dataBankEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, type Env } from '@platform/core';
import { fileURLToPath } from 'node:url';
import { checkRedisTopology, redisTarget, redisTopologyEnv, type RedisTarget } from '@platform/workers';
import { z } from 'zod';

/** The model that ships with the repository (README "Shipped model"). */
export const SHIPPED_MODELS_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../models/' : '../models/', import.meta.url),
);

const ConfigSchema = z.object({
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
}).superRefine(checkRedisTopology);

export interface Config extends z.output<typeof ConfigSchema> {
  dataBankUrl: string;
  /** REDIS_URL, or the Sentinel / Cluster nodes when those are set. */
  redis: RedisTarget;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(ConfigSchema, env);
  return { ...raw, redis: redisTarget(raw), dataBankUrl: serviceUrl('data-bank-api', { explicit: raw.DATA_BANK_URL, gateway: raw.API_GATEWAY_URL }) };
}
