import {
  boolFlag,
  csvList,
  loadConfig,
  port,
  positiveInt,
  serviceUrl,
  sharedEnv,
  SERVICES,
  url,
  type Env,
  type ServiceName,
} from '@platform/core';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';

const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

type UrlVariable = (typeof SERVICES)[ServiceName]['urlVariable'];

/**
 * Each service's base URL variable (`QR_API_URL`, ...): exactly the ones @platform/core's SERVICES
 * names (the type says so), spelled out so the schema's keys can be read without running it.
 */
const serviceUrlEnv = {
  DATA_BANK_URL: url().optional(),
  TURKIC_API_URL: url().optional(),
  QR_API_URL: url().optional(),
  TRANSCRIPT_API_URL: url().optional(),
  HANDWRITING_AI_URL: url().optional(),
  MODEL_TRAINER_URL: url().optional(),
  MUSIC_WRAPPED_API_URL: url().optional(),
} satisfies Record<UrlVariable, unknown>;

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    ...serviceUrlEnv,
    PORT: port(8080),
    TRUST_PROXY: boolFlag(false),
    CONSOLE_ADMIN_KEYS: csvList(),
    CONSOLE_VIEWER_KEYS: csvList(),
    CONSOLE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    CONSOLE_SESSION_TTL_S: positiveInt(12 * 60 * 60),
    CONSOLE_USER_ID: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a decimal string')
      .default('0'),
    CONSOLE_WEB_DIR: z.string().optional(),
    CONSOLE_QUEUE_PREFIX: z.string().default('bull'),
    CONSOLE_EVENTS_NAMESPACE: z.string().default(''),
    // The services' own key lists (the root .env holds them); the console sends the first of each.
    DATA_BANK_API_KEY: z.string().default(''),
    TURKIC_API_KEYS: csvList(),
    TRANSCRIPT_API_KEYS: csvList(),
    HANDWRITING_API_KEYS: csvList(),
    HANDWRITING_READ_KEYS: csvList(),
    TRAINER_API_KEYS: csvList(),
    MUSIC_API_KEYS: csvList(),
  })
  .superRefine(checkRedisTopology);

type Raw = z.output<typeof schema>;

export interface Config extends BaseConfig {
  trustProxy: boolean;
  /** Keys that open an admin session (everything, bull-board, deletes). Empty: nobody can log in. */
  adminKeys: string[];
  /** Keys that open a viewer session (every page, no deletes, no bull-board, no training starts). */
  viewerKeys: string[];
  /** HMAC secret of the session cookie; undefined: a random one per process (sessions end with a restart). */
  sessionSecret: string | undefined;
  sessionTtlS: number;
  /** The user id that jobs started from the console are queued for (a decimal string). */
  userId: string;
  /** Built web assets (vite build web); undefined: web/dist of this package. */
  webDir: string | undefined;
  /** BullMQ key prefix of the queues shown on /queues, the overview and the job pages. */
  queuePrefix: string;
  /** Namespace of the event channels and streams (tests use their own). */
  eventsNamespace: string;
  /** Per-service base URLs: explicit, else {API_GATEWAY_URL}/{prefix}, else 127.0.0.1:{port}. */
  upstreams: Record<ServiceName, string>;
  /** The X-API-Key sent to each service (the first of its own list); undefined: none. */
  serviceKeys: Record<ServiceName, string | undefined>;
  /** handwriting-ai's reading route has a key list of its own. */
  handwritingReadKey: string | undefined;
}

function upstreamsOf(raw: Raw): Record<ServiceName, string> {
  const gateway = raw.API_GATEWAY_URL;
  return Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const explicit = raw[SERVICES[name].urlVariable];
      return [name, serviceUrl(name, { ...(explicit && { explicit }), ...(gateway && { gateway }) })];
    }),
  ) as Record<ServiceName, string>;
}

function serviceKeysOf(raw: Raw): Record<ServiceName, string | undefined> {
  return {
    'data-bank-api': raw.DATA_BANK_API_KEY || undefined,
    'turkic-api': raw.TURKIC_API_KEYS[0],
    'qr-api': undefined,
    'transcript-api': raw.TRANSCRIPT_API_KEYS[0],
    'handwriting-ai': raw.HANDWRITING_API_KEYS[0],
    'model-trainer': raw.TRAINER_API_KEYS[0],
    'music-wrapped-api': raw.MUSIC_API_KEYS[0],
  };
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(schema, env);
  return {
    ...baseConfig(raw),
    trustProxy: raw.TRUST_PROXY,
    adminKeys: raw.CONSOLE_ADMIN_KEYS,
    viewerKeys: raw.CONSOLE_VIEWER_KEYS,
    sessionSecret: raw.CONSOLE_SESSION_SECRET,
    sessionTtlS: raw.CONSOLE_SESSION_TTL_S,
    userId: raw.CONSOLE_USER_ID,
    webDir: raw.CONSOLE_WEB_DIR,
    queuePrefix: raw.CONSOLE_QUEUE_PREFIX,
    eventsNamespace: raw.CONSOLE_EVENTS_NAMESPACE,
    upstreams: upstreamsOf(raw),
    serviceKeys: serviceKeysOf(raw),
    handwritingReadKey: raw.HANDWRITING_READ_KEYS[0],
  };
}
