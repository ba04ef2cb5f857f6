import { csvList, dataBankEnv, guardedFetchEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, url, type Env } from '@platform/core';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    ...dataBankEnv,
    /** CIDRs, addresses and hostnames a url source may reach although not public (default: none). */
    ...guardedFetchEnv,
    PORT: port(8000),
    /** Keys accepted in X-API-Key on /v1 routes; empty disables auth (logged at start). */
    TURKIC_API_KEYS: csvList(),
    TURKIC_MAX_TEXT_CHARS: positiveInt(100_000),
    TURKIC_LID_MODEL_PATH: z.string().optional(),
    TURKIC_WIKIPEDIA_DUMPS_URL: url().default('https://dumps.wikimedia.org'),
    HF_ENDPOINT: url().default('https://huggingface.co'),
    HF_TOKEN: z.string().optional(),
    TURKIC_WORK_DIR: z.string().optional(),
    /** Bounds on a url source's download: bytes as sent (compressed) and the whole transfer's time. */
    TURKIC_URL_MAX_BYTES: positiveInt(1024 ** 3),
    TURKIC_URL_TIMEOUT_MS: positiveInt(60 * 60 * 1000),
    /** Bytes a url or data_bank source may decompress to; a longer line or document fails the job. */
    TURKIC_MAX_INFLATED_BYTES: positiveInt(4 * 1024 ** 3),
    TURKIC_MAX_LINE_CHARS: positiveInt(1_000_000),
    TURKIC_MAX_DOCUMENT_CHARS: positiveInt(4_000_000),
    TURKIC_JOB_TIMEOUT_MS: positiveInt(4 * 60 * 60 * 1000),
    TURKIC_WORKER_CONCURRENCY: positiveInt(1),
    /** BullMQ key prefix and event namespace: tests isolate themselves with their own. */
    TURKIC_QUEUE_PREFIX: z.string().default('bull'),
    TURKIC_EVENTS_NAMESPACE: z.string().default(''),
  })
  .superRefine(checkRedisTopology);

/** What a corpus job's sources may fetch and how much, and where the worker writes. */
interface CorpusConfig {
  wikipediaDumpsUrl: string;
  hfEndpoint: string;
  hfToken: string | undefined;
  workDir: string | undefined;
  /** A url source's download: bytes as sent and the whole transfer's time. */
  urlMaxBytes: number;
  urlTimeoutMs: number;
  limits: { maxInflatedBytes: number; maxLineChars: number; maxDocumentChars: number };
  /** Wall-clock limit of one try. */
  jobTimeoutMs: number;
}

export interface Config extends BaseConfig {
  dataBankUrl: string;
  dataBankApiKey: string;
  /** Keys accepted in X-API-Key on /v1 routes; empty leaves them open. */
  apiKeys: string[];
  maxTextChars: number;
  lidModelPath: string | undefined;
  /** FETCH_ALLOW_LIST: what a url source may reach although not public. */
  fetchAllowList: string[];
  corpus: CorpusConfig;
  workerConcurrency: number;
  /** BullMQ key prefix and event namespace. */
  queuePrefix: string;
  eventsNamespace: string;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(schema, env);
  return {
    ...baseConfig(raw),
    dataBankUrl: serviceUrl('data-bank-api', { explicit: raw.DATA_BANK_URL, gateway: raw.API_GATEWAY_URL }),
    dataBankApiKey: raw.DATA_BANK_API_KEY,
    apiKeys: raw.TURKIC_API_KEYS,
    maxTextChars: raw.TURKIC_MAX_TEXT_CHARS,
    lidModelPath: raw.TURKIC_LID_MODEL_PATH,
    fetchAllowList: raw.FETCH_ALLOW_LIST,
    corpus: {
      wikipediaDumpsUrl: raw.TURKIC_WIKIPEDIA_DUMPS_URL,
      hfEndpoint: raw.HF_ENDPOINT,
      hfToken: raw.HF_TOKEN,
      workDir: raw.TURKIC_WORK_DIR,
      urlMaxBytes: raw.TURKIC_URL_MAX_BYTES,
      urlTimeoutMs: raw.TURKIC_URL_TIMEOUT_MS,
      limits: {
        maxInflatedBytes: raw.TURKIC_MAX_INFLATED_BYTES,
        maxLineChars: raw.TURKIC_MAX_LINE_CHARS,
        maxDocumentChars: raw.TURKIC_MAX_DOCUMENT_CHARS,
      },
      jobTimeoutMs: raw.TURKIC_JOB_TIMEOUT_MS,
    },
    workerConcurrency: raw.TURKIC_WORKER_CONCURRENCY,
    queuePrefix: raw.TURKIC_QUEUE_PREFIX,
    eventsNamespace: raw.TURKIC_EVENTS_NAMESPACE,
  };
}
