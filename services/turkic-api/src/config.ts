import { csvList, dataBankEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, url, type Env } from '@platform/core';
import { z } from 'zod';

const schema = z.object({
  ...sharedEnv,
  ...dataBankEnv,
  PORT: port(8000),
  /** Keys accepted in X-API-Key on /v1 routes; empty disables auth (logged at start). */
  TURKIC_API_KEYS: csvList(),
  TURKIC_MAX_TEXT_CHARS: positiveInt(100_000),
  TURKIC_LID_MODEL_PATH: z.string().optional(),
  TURKIC_WIKIPEDIA_DUMPS_URL: url().default('https://dumps.wikimedia.org'),
  HF_ENDPOINT: url().default('https://huggingface.co'),
  HF_TOKEN: z.string().optional(),
  TURKIC_WORK_DIR: z.string().optional(),
  TURKIC_JOB_TIMEOUT_MS: positiveInt(4 * 60 * 60 * 1000),
  TURKIC_WORKER_CONCURRENCY: positiveInt(1),
  /** BullMQ key prefix and event namespace: tests isolate themselves with their own. */
  TURKIC_QUEUE_PREFIX: z.string().default('bull'),
  TURKIC_EVENTS_NAMESPACE: z.string().default(''),
});

export type RawConfig = z.output<typeof schema>;
export interface Config extends RawConfig {
  dataBankUrl: string;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(schema, env);
  return { ...raw, dataBankUrl: serviceUrl('data-bank-api', { explicit: raw.DATA_BANK_URL, gateway: raw.API_GATEWAY_URL }) };
}
