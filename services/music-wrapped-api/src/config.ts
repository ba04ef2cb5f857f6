import { csvList, dataBankEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, url, type Env } from '@platform/core';
import { z } from 'zod';

const schema = z.object({
  ...sharedEnv,
  ...dataBankEnv,
  PORT: port(8006),
  /** Keys of trusted callers (the bot, the gateway); empty disables auth (logged at start). */
  MUSIC_API_KEYS: csvList(),
  /** 32 bytes, base64 or hex: encrypts stored OAuth tokens (AES-256-GCM). OAuth routes answer 503 without it. */
  MUSIC_TOKEN_KEY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex digits or base64' });
        return z.NEVER;
      }
      return key;
    }),
  MUSIC_MAX_UPLOAD_BYTES: positiveInt(1024 ** 3),
  MUSIC_TMP_DIR: z.string().optional(),
  SPOTIFY_CLIENT_ID: z.string().optional(),
  SPOTIFY_REDIRECT_URI: url().optional(),
  SPOTIFY_ACCOUNTS_URL: url().default('https://accounts.spotify.com'),
  SPOTIFY_API_URL: url().default('https://api.spotify.com'),
  LASTFM_API_KEY: z.string().optional(),
  LASTFM_API_SECRET: z.string().optional(),
  LASTFM_CALLBACK_URL: url().optional(),
  LASTFM_API_URL: url().default('https://ws.audioscrobbler.com/2.0/'),
  LASTFM_AUTH_URL: url().default('https://www.last.fm/api/auth/'),
});

export interface Config {
  host: string;
  port: number;
  logLevel: z.output<typeof sharedEnv.LOG_LEVEL>;
  redisUrl: string;
  dataBankUrl: string;
  dataBankApiKey: string;
  apiKeys: string[];
  tokenKey: Buffer | undefined;
  maxUploadBytes: number;
  tmpDir: string | undefined;
  spotify: { clientId: string | undefined; redirectUri: string | undefined; accountsUrl: string; apiUrl: string };
  lastfm: { apiKey: string | undefined; apiSecret: string | undefined; callbackUrl: string | undefined; apiUrl: string; authUrl: string };
}

export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(schema, env);
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    redisUrl: parsed.REDIS_URL,
    dataBankUrl: serviceUrl('data-bank-api', { ...(parsed.DATA_BANK_URL && { explicit: parsed.DATA_BANK_URL }), ...(parsed.API_GATEWAY_URL && { gateway: parsed.API_GATEWAY_URL }) }),
    dataBankApiKey: parsed.DATA_BANK_API_KEY,
    apiKeys: parsed.MUSIC_API_KEYS,
    tokenKey: parsed.MUSIC_TOKEN_KEY,
    maxUploadBytes: parsed.MUSIC_MAX_UPLOAD_BYTES,
    tmpDir: parsed.MUSIC_TMP_DIR,
    spotify: {
      clientId: parsed.SPOTIFY_CLIENT_ID,
      redirectUri: parsed.SPOTIFY_REDIRECT_URI,
      accountsUrl: parsed.SPOTIFY_ACCOUNTS_URL,
      apiUrl: parsed.SPOTIFY_API_URL,
    },
    lastfm: {
      apiKey: parsed.LASTFM_API_KEY,
      apiSecret: parsed.LASTFM_API_SECRET,
      callbackUrl: parsed.LASTFM_CALLBACK_URL,
      apiUrl: parsed.LASTFM_API_URL,
      authUrl: parsed.LASTFM_AUTH_URL,
    },
  };
}
