import { csvList, loadConfig, port, positiveInt, sharedEnv, type Env } from '@platform/core';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The model that ships with the repository (README "Shipped model"). */
export const SHIPPED_MODELS_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../models/' : '../models/', import.meta.url),
);

export const ConfigSchema = z.object({
  ...sharedEnv,
  PORT: port(8004),
  /** Keys for model management and training (X-API-Key); empty leaves it open (logged at start). */
  HANDWRITING_API_KEYS: csvList(),
  /** Keys for reading digits; empty leaves it open (logged at start). */
  HANDWRITING_READ_KEYS: csvList(),
  /** `uncertain` is set below this calibrated confidence. */
  HANDWRITING_UNCERTAIN_BELOW: z.coerce.number().min(0).max(1).default(0.7),
  /** Where models live, one folder each (model.onnx + config.json); the shipped ones are read from models/. */
  HANDWRITING_MODELS_DIR: z.string().default('var/handwriting/models'),
  /** The model to serve at start; default: the newest shipped model. */
  HANDWRITING_MODEL_ID: z.string().optional(),
  HANDWRITING_MAX_UPLOAD_BYTES: positiveInt(10 * 1024 * 1024),
  HANDWRITING_MAX_PIXELS: positiveInt(40_000_000),
  HANDWRITING_MAX_SIDE: positiveInt(8192),
  /** Preprocessing threads (CPU pool) and ONNX intra-op threads. */
  HANDWRITING_PREPROCESS_THREADS: positiveInt(1),
  HANDWRITING_INFERENCE_THREADS: positiveInt(1),
  /** The Python interpreter of the training kernel (default: the first python3 that imports torch). */
  PLATFORM_PYTHON: z.string().optional(),
});

export type Config = z.output<typeof ConfigSchema>;

export function readConfig(env: Env = process.env): Config {
  return loadConfig(ConfigSchema, env);
}
