import { boolFlag, csvList, loadConfig, port, positiveInt, serviceUrl, sharedEnv, SERVICES, url, type Env, type ServiceName } from '@platform/core';
import { checkRedisTopology, redisTarget, redisTopologyEnv, type RedisTarget } from '@platform/workers';
import { z } from 'zod';

const schema = z.object({
  ...sharedEnv,
  ...redisTopologyEnv,
  PORT: port(8080),
  TRUST_PROXY: boolFlag(false),
  /** Keys that open an admin session (everything, bull-board, deletes). Empty: nobody can log in. */
  CONSOLE_ADMIN_KEYS: csvList(),
  /** Keys that open a viewer session (every page, no deletes, no bull-board). */
  CONSOLE_VIEWER_KEYS: csvList(),
  /** HMAC secret of the session cookie; unset: a random one per process (sessions end with a restart). */
  CONSOLE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CONSOLE_SESSION_TTL_S: positiveInt(12 * 60 * 60),
  /** The user id that jobs started from the console are queued for (a decimal string). */
  CONSOLE_USER_ID: z.string().regex(/^\d{1,20}$/, 'must be a decimal string').default('0'),
  /** Built web assets (vite build web). */
  CONSOLE_WEB_DIR: z.string().optional(),
  /** BullMQ key prefix of the queues shown on /queues and the overview. */
  CONSOLE_QUEUE_PREFIX: z.string().default('bull'),
  /** Namespace of the event channels and streams (tests use their own). */
  CONSOLE_EVENTS_NAMESPACE: z.string().default(''),
  /** Per-service base URLs: explicit, else {API_GATEWAY_URL}/{prefix}, else 127.0.0.1:{port}. */
  DATA_BANK_URL: url().optional(),
  TURKIC_API_URL: url().optional(),
  QR_API_URL: url().optional(),
  TRANSCRIPT_API_URL: url().optional(),
  HANDWRITING_AI_URL: url().optional(),
  MODEL_TRAINER_URL: url().optional(),
  MUSIC_WRAPPED_API_URL: url().optional(),
  // The services' own key lists (the root .env holds them); the console sends the first of each.
  DATA_BANK_API_KEY: z.string().default(''),
  TURKIC_API_KEYS: csvList(),
  TRANSCRIPT_API_KEYS: csvList(),
  HANDWRITING_API_KEYS: csvList(),
  HANDWRITING_READ_KEYS: csvList(),
  TRAINER_API_KEYS: csvList(),
  MUSIC_API_KEYS: csvList(),
}).superRefine(checkRedisTopology);

type Raw = z.output<typeof schema>;

export interface ConsoleConfig extends Raw {
  upstreams: Record<ServiceName, string>;
  /** REDIS_URL, or the Sentinel / Cluster nodes when those are set. */
  redis: RedisTarget;
}

/** `{NAME}_URL` (turkic-api: TURKIC_API_URL), except data-bank's shared DATA_BANK_URL. */
const urlVariable = (name: ServiceName): keyof Raw =>
  (name === 'data-bank-api' ? 'DATA_BANK_URL' : `${name.toUpperCase().replaceAll('-', '_')}_URL`) as keyof Raw;

export function loadConsoleConfig(env: Env = process.env): ConsoleConfig {
  const raw = loadConfig(schema, env);
  const gateway = raw.API_GATEWAY_URL;
  const upstreams = Object.fromEntries(
    (Object.keys(SERVICES) as ServiceName[]).map((name) => {
      const explicit = raw[urlVariable(name)] as string | undefined;
      return [name, serviceUrl(name, { ...(explicit && { explicit }), ...(gateway && { gateway }) })];
    }),
  ) as Record<ServiceName, string>;
  return { ...raw, upstreams, redis: redisTarget(raw) };
}
