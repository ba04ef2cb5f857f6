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
    PORT: port(8004),
    /** Keys for model management and training (X-API-Key); empty leaves it open (logged at start). */
    HANDWRITING_API_KEYS: csvList(),
    /** Keys for reading digits; empty leaves it open (logged at start). */
    HANDWRITING_READ_KEYS: csvList(),
    /** `uncertain` is set below this calibrated confidence. */
    HANDWRITING_UNCERTAIN_BELOW: z.coerce.number().min(0).max(1).default(0.7),
    /** Local cache of unpacked model artifacts (one folder per data-bank file id) and scratch space. */
    HANDWRITING_MODELS_DIR: z.string().default('var/handwriting/models'),
    /** How often an API process looks for a newly activated model in the registry. */
    HANDWRITING_MODEL_POLL_MS: positiveInt(3000),
    /** Registry key prefix, BullMQ prefix and event namespace: tests isolate themselves with their own. */
    HANDWRITING_REGISTRY_PREFIX: z.string().default('ml:models'),
    HANDWRITING_QUEUE_PREFIX: z.string().default('bull'),
    HANDWRITING_EVENTS_NAMESPACE: z.string().default(''),
    /** Wall-clock limit of one training job. */
    HANDWRITING_TRAIN_TIMEOUT_MS: positiveInt(4 * 60 * 60 * 1000),
    HANDWRITING_MAX_UPLOAD_BYTES: positiveInt(10 * 1024 * 1024),
    /** Largest model artifact `POST /v1/models` accepts. */
    HANDWRITING_MAX_ARTIFACT_BYTES: positiveInt(64 * 1024 * 1024),
    HANDWRITING_MAX_PIXELS: positiveInt(40_000_000),
    HANDWRITING_MAX_SIDE: positiveInt(8192),
    /** Preprocessing threads (CPU pool) and ONNX intra-op threads. */
    HANDWRITING_PREPROCESS_THREADS: positiveInt(1),
    HANDWRITING_INFERENCE_THREADS: positiveInt(1),
    /** The Python interpreter of the training kernel (default: the first python3 that imports torch). */
    PLATFORM_PYTHON: z.string().optional(),
  })
  .superRefine(checkRedisTopology);

export interface Config extends BaseConfig {
  dataBankUrl: string;
  dataBankApiKey: string;
  /** Keys for model management and training, and for reading digits; empty leaves one open. */
  apiKeys: string[];
  readKeys: string[];
  uncertainBelow: number;
  /** Local cache of unpacked model artifacts and scratch space. */
  modelsDir: string;
  modelPollMs: number;
  /** Registry key prefix, BullMQ prefix and event namespace. */
  registryPrefix: string;
  queuePrefix: string;
  eventsNamespace: string;
  trainTimeoutMs: number;
  maxUploadBytes: number;
  maxArtifactBytes: number;
  imageLimits: { maxPixels: number; maxSide: number };
  preprocessThreads: number;
  inferenceThreads: number;
  /** PLATFORM_PYTHON: the training kernel's interpreter (default: the first python3 that imports torch). */
  python: string | undefined;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(ConfigSchema, env);
  return {
    ...baseConfig(raw),
    dataBankUrl: serviceUrl('data-bank-api', { explicit: raw.DATA_BANK_URL, gateway: raw.API_GATEWAY_URL }),
    dataBankApiKey: raw.DATA_BANK_API_KEY,
    apiKeys: raw.HANDWRITING_API_KEYS,
    readKeys: raw.HANDWRITING_READ_KEYS,
    uncertainBelow: raw.HANDWRITING_UNCERTAIN_BELOW,
    modelsDir: raw.HANDWRITING_MODELS_DIR,
    modelPollMs: raw.HANDWRITING_MODEL_POLL_MS,
    registryPrefix: raw.HANDWRITING_REGISTRY_PREFIX,
    queuePrefix: raw.HANDWRITING_QUEUE_PREFIX,
    eventsNamespace: raw.HANDWRITING_EVENTS_NAMESPACE,
    trainTimeoutMs: raw.HANDWRITING_TRAIN_TIMEOUT_MS,
    maxUploadBytes: raw.HANDWRITING_MAX_UPLOAD_BYTES,
    maxArtifactBytes: raw.HANDWRITING_MAX_ARTIFACT_BYTES,
    imageLimits: { maxPixels: raw.HANDWRITING_MAX_PIXELS, maxSide: raw.HANDWRITING_MAX_SIDE },
    preprocessThreads: raw.HANDWRITING_PREPROCESS_THREADS,
    inferenceThreads: raw.HANDWRITING_INFERENCE_THREADS,
    python: raw.PLATFORM_PYTHON,
  };
}
