import { csvList, loadConfig, port, positiveInt, sharedEnv, url, type Env, type ServiceName } from '@platform/core';
import { hostname } from 'node:os';
import { checkRedisTopology, redisTarget, redisTopologyEnv, type RedisTarget } from '@platform/workers';
import { z } from 'zod';

const snowflakes = () => csvList().pipe(z.array(z.string().regex(/^\d{17,20}$/, 'must be Discord ids (17 to 20 digits), comma-separated')));

/** A service's URL; unset, it is `{API_GATEWAY_URL}/{prefix}` or the local port; `off` turns it off. */
const serviceUrlVar = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.union([z.literal('off'), url()]).optional());

/** Every domain whose workers publish job events (DESIGN.md section 5). */
const EVENT_DOMAINS = ['turkic', 'data_bank', 'qr', 'transcript', 'digits', 'trainer', 'music_wrapped'];

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    DISCORD_TOKEN: z.string().min(1, 'is required (the bot token from the Developer Portal)'),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'must be the application id (17 to 20 digits)'),
    DISCORD_PUBLIC_KEY: z.string().default(''),
    DISCORD_API_BASE_URL: url().default('https://discord.com/api'),
    /** Attachments are downloaded only from these origins (Discord's CDN), never from any URL. */
    DISCORD_CDN_ORIGINS: csvList('https://cdn.discordapp.com,https://media.discordapp.net'),
    DISCORD_TRANSPORT: z.enum(['gateway', 'http']).default('gateway'),
    DISCORD_HTTP_PORT: port(8090),
    /** Discord's global limit for a bot (50 requests/s unless Discord raised it for yours). */
    DISCORD_GLOBAL_REQUESTS_PER_S: positiveInt(50),
    DISCORD_GUILD_IDS: snowflakes(),
    DISCORD_ADMIN_ROLE_IDS: snowflakes(),
    DISCORD_ADMIN_USER_IDS: snowflakes(),
    DISCORD_RATE_LIMIT_MAX: positiveInt(10),
    DISCORD_RATE_LIMIT_WINDOW_S: positiveInt(60),
    DISCORD_EVENT_DOMAINS: csvList(EVENT_DOMAINS.join(',')),
    DISCORD_EVENT_MAX_ATTEMPTS: positiveInt(8),
    DISCORD_EVENT_RETRY_MS: positiveInt(1000),
    DISCORD_CONSUMER_GROUP: z.string().min(1).default('discord-bot'),
    DISCORD_CONSUMER_NAME: z.string().min(1).default(hostname()),
    /** Prefix of the bot's own Redis keys; the events namespace is the services' (both for tests). */
    DISCORD_KEY_PREFIX: z.string().default('discord:'),
    EVENTS_NAMESPACE: z.string().default(''),
    DISCORD_SERVICE_TIMEOUT_MS: positiveInt(25_000),
    DISCORD_MAX_ATTACHMENT_BYTES: positiveInt(25 * 1024 * 1024),
    TURKIC_API_URL: serviceUrlVar(),
    TURKIC_API_KEY: z.string().default(''),
    QR_API_URL: serviceUrlVar(),
    TRANSCRIPT_API_URL: serviceUrlVar(),
    TRANSCRIPT_API_KEY: z.string().default(''),
    HANDWRITING_AI_URL: serviceUrlVar(),
    HANDWRITING_API_KEY: z.string().default(''),
    HANDWRITING_READ_KEY: z.string().default(''),
    MODEL_TRAINER_URL: serviceUrlVar(),
    TRAINER_API_KEY: z.string().default(''),
    MUSIC_WRAPPED_API_URL: serviceUrlVar(),
    MUSIC_API_KEY: z.string().default(''),
    DATA_BANK_URL: serviceUrlVar(),
    DATA_BANK_API_KEY: z.string().default(''),
  })
  // `when`: checked even when other variables are wrong, so the one error lists this problem too.
  .refine(
    (env: { DISCORD_TRANSPORT?: unknown; DISCORD_PUBLIC_KEY?: unknown }) =>
      env.DISCORD_TRANSPORT !== 'http' || (typeof env.DISCORD_PUBLIC_KEY === 'string' && /^[0-9a-fA-F]{64}$/.test(env.DISCORD_PUBLIC_KEY)),
    {
      path: ['DISCORD_PUBLIC_KEY'],
      error: 'must be the 64-hex public key when DISCORD_TRANSPORT=http',
      when: () => true,
    },
  )
  .superRefine(checkRedisTopology);

export interface Config {
  host: string;
  logLevel: z.output<typeof sharedEnv.LOG_LEVEL>;
  /** REDIS_URL, or the Sentinel / Cluster nodes when those are set. */
  redis: RedisTarget;
  discord: {
    token: string;
    applicationId: string;
    /** 64 hex characters; required with the http transport. */
    publicKey: string;
    apiBaseUrl: string;
    transport: 'gateway' | 'http';
    /** The http transport's port (also /healthz, /readyz, /metrics). */
    httpPort: number;
    globalRequestsPerS: number;
    /** Commands go to these guilds; none: globally. */
    guildIds: string[];
    /** Attachments are downloaded only from these origins. */
    cdnOrigins: string[];
  };
  /** Who may use admin commands. */
  admins: { roleIds: string[]; userIds: string[] };
  /** Uses per user per command per window (a command may have its own). */
  rateLimit: { max: number; windowS: number };
  /** The job events the consumer follows (`events:{domain}` under `namespace`) and how it delivers them. */
  events: { domains: string[]; namespace: string; group: string; consumer: string; maxAttempts: number; retryMs: number };
  /** Prefix of the bot's own Redis keys. */
  keyPrefix: string;
  /** Each service's URL variable (@platform/core's SERVICES): a URL, `off`, or unset (then the gateway's or the local port). */
  serviceUrls: Record<ServiceName, string | undefined>;
  apiGatewayUrl: string | undefined;
  /** The API key sent to each service (digits: reading; digitsAdmin: models). */
  apiKeys: { turkic: string; transcript: string; digits: string; digitsAdmin: string; trainer: string; music: string; dataBank: string };
  serviceTimeoutMs: number;
  maxAttachmentBytes: number;
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(schema, env);
  return {
    host: raw.HOST,
    logLevel: raw.LOG_LEVEL,
    redis: redisTarget(raw),
    discord: {
      token: raw.DISCORD_TOKEN,
      applicationId: raw.DISCORD_APPLICATION_ID,
      publicKey: raw.DISCORD_PUBLIC_KEY,
      apiBaseUrl: raw.DISCORD_API_BASE_URL,
      transport: raw.DISCORD_TRANSPORT,
      httpPort: raw.DISCORD_HTTP_PORT,
      globalRequestsPerS: raw.DISCORD_GLOBAL_REQUESTS_PER_S,
      guildIds: raw.DISCORD_GUILD_IDS,
      cdnOrigins: raw.DISCORD_CDN_ORIGINS,
    },
    admins: { roleIds: raw.DISCORD_ADMIN_ROLE_IDS, userIds: raw.DISCORD_ADMIN_USER_IDS },
    rateLimit: { max: raw.DISCORD_RATE_LIMIT_MAX, windowS: raw.DISCORD_RATE_LIMIT_WINDOW_S },
    events: {
      domains: raw.DISCORD_EVENT_DOMAINS,
      namespace: raw.EVENTS_NAMESPACE,
      group: raw.DISCORD_CONSUMER_GROUP,
      consumer: raw.DISCORD_CONSUMER_NAME,
      maxAttempts: raw.DISCORD_EVENT_MAX_ATTEMPTS,
      retryMs: raw.DISCORD_EVENT_RETRY_MS,
    },
    keyPrefix: raw.DISCORD_KEY_PREFIX,
    serviceUrls: {
      'turkic-api': raw.TURKIC_API_URL,
      'data-bank-api': raw.DATA_BANK_URL,
      'qr-api': raw.QR_API_URL,
      'transcript-api': raw.TRANSCRIPT_API_URL,
      'handwriting-ai': raw.HANDWRITING_AI_URL,
      'model-trainer': raw.MODEL_TRAINER_URL,
      'music-wrapped-api': raw.MUSIC_WRAPPED_API_URL,
    },
    apiGatewayUrl: raw.API_GATEWAY_URL,
    apiKeys: {
      turkic: raw.TURKIC_API_KEY,
      transcript: raw.TRANSCRIPT_API_KEY,
      digits: raw.HANDWRITING_READ_KEY,
      digitsAdmin: raw.HANDWRITING_API_KEY,
      trainer: raw.TRAINER_API_KEY,
      music: raw.MUSIC_API_KEY,
      dataBank: raw.DATA_BANK_API_KEY,
    },
    serviceTimeoutMs: raw.DISCORD_SERVICE_TIMEOUT_MS,
    maxAttachmentBytes: raw.DISCORD_MAX_ATTACHMENT_BYTES,
  };
}
