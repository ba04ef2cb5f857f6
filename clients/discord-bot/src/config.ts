import { csvList, loadConfig, port, positiveInt, sharedEnv, url, type Env } from '@platform/core';
import { hostname } from 'node:os';
import { checkRedisTopology, redisTarget, redisTopologyEnv, type RedisTarget } from '@platform/workers';
import { z } from 'zod';

const snowflakes = () =>
  csvList().pipe(z.array(z.string().regex(/^\d{17,20}$/, 'must be Discord ids (17 to 20 digits), comma-separated')));

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
  .refine((env: { DISCORD_TRANSPORT?: unknown; DISCORD_PUBLIC_KEY?: unknown }) => env.DISCORD_TRANSPORT !== 'http' || (typeof env.DISCORD_PUBLIC_KEY === 'string' && /^[0-9a-fA-F]{64}$/.test(env.DISCORD_PUBLIC_KEY)), {
    path: ['DISCORD_PUBLIC_KEY'],
    error: 'must be the 64-hex public key when DISCORD_TRANSPORT=http',
    when: () => true,
  })
  .superRefine(checkRedisTopology);

export interface BotConfig extends z.output<typeof schema> {
  /** REDIS_URL, or the Sentinel / Cluster nodes when those are set. */
  redis: RedisTarget;
}

export function loadBotConfig(env: Env = process.env): BotConfig {
  const raw = loadConfig(schema, env);
  return { ...raw, redis: redisTarget(raw) };
}
