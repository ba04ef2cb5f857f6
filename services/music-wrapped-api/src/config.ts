import { ConfigError, csvList, dataBankEnv, loadConfig, port, positiveInt, serviceUrl, sharedEnv, url, type Env } from '@platform/core';
import { APPLE_MAX_TOKEN_SECONDS, DEFAULT_ZIP_LIMITS, type ZipLimits } from '@platform/music';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfig, checkRedisTopology, redisTopologyEnv, type BaseConfig } from '@platform/workers';
import { z } from 'zod';

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
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
    /** Scratch space of the API (uploads) and the worker (downloads); leftovers of a killed process are swept at start. */
    MUSIC_TMP_DIR: z.string().min(1).default(join(tmpdir(), 'music-wrapped')),
    /** The whole upload must arrive within this; the request timeout is raised to match. */
    MUSIC_UPLOAD_TIMEOUT_SECONDS: positiveInt(600),
    /** Checked before a zip export's directory is read (a zip of a million empty entries is refused at once). */
    MUSIC_MAX_ZIP_ENTRIES: positiveInt(DEFAULT_ZIP_LIMITS.maxEntries),
    MUSIC_MAX_ZIP_DIRECTORY_BYTES: positiveInt(DEFAULT_ZIP_LIMITS.maxDirectoryBytes),
    /** The trusted caller's page the OAuth callbacks send the browser to, with the state and confirmation. */
    MUSIC_AUTH_RETURN_URL: url().optional(),
    SPOTIFY_CLIENT_ID: z.string().optional(),
    SPOTIFY_REDIRECT_URI: url().optional(),
    SPOTIFY_ACCOUNTS_URL: url().default('https://accounts.spotify.com'),
    SPOTIFY_API_URL: url().default('https://api.spotify.com'),
    LASTFM_API_KEY: z.string().optional(),
    LASTFM_API_SECRET: z.string().optional(),
    LASTFM_CALLBACK_URL: url().optional(),
    LASTFM_API_URL: url().default('https://ws.audioscrobbler.com/2.0/'),
    LASTFM_AUTH_URL: url().default('https://www.last.fm/api/auth/'),
    APPLE_MUSIC_TEAM_ID: z.string().optional(),
    APPLE_MUSIC_KEY_ID: z.string().optional(),
    /** The MusicKit .p8 key as PEM text (`\n` escapes accepted), or its file in APPLE_MUSIC_PRIVATE_KEY_PATH. */
    APPLE_MUSIC_PRIVATE_KEY: z.string().optional(),
    APPLE_MUSIC_PRIVATE_KEY_PATH: z.string().optional(),
    APPLE_MUSIC_API_URL: url().default('https://api.music.apple.com'),
    APPLE_MUSIC_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(600)
      .max(APPLE_MAX_TOKEN_SECONDS)
      .default(12 * 3600),
    /** Prefix of this service's own keys (imports, tokens, OAuth states): `{prefix}:import:...`. */
    MUSIC_KEY_PREFIX: z.string().min(1).default('music'),
    /** BullMQ key prefix and event namespace: tests isolate themselves with their own. */
    MUSIC_QUEUE_PREFIX: z.string().default('bull'),
    MUSIC_EVENTS_NAMESPACE: z.string().default(''),
  })
  .superRefine(checkRedisTopology);

type Parsed = z.output<typeof schema>;

/** The MusicKit key, read and checked (a P-256 PKCS#8 key) at start rather than at the first request. */
function applePrivateKey(parsed: Parsed): string | undefined {
  const { APPLE_MUSIC_PRIVATE_KEY: inline, APPLE_MUSIC_PRIVATE_KEY_PATH: path } = parsed;
  if (inline !== undefined && path !== undefined)
    throw new ConfigError(['APPLE_MUSIC_PRIVATE_KEY and APPLE_MUSIC_PRIVATE_KEY_PATH: set one, not both']);
  let pem: string;
  if (path !== undefined) {
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError([`APPLE_MUSIC_PRIVATE_KEY_PATH: cannot read ${path}: ${(error as Error).message}`]);
    }
  } else if (inline !== undefined) pem = inline.replaceAll('\\n', '\n');
  else return undefined;
  const name = path === undefined ? 'APPLE_MUSIC_PRIVATE_KEY' : 'APPLE_MUSIC_PRIVATE_KEY_PATH';
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' && pem.includes('BEGIN PRIVATE KEY'))
      return pem;
  } catch {
    // reported below
  }
  throw new ConfigError([`${name}: must be the MusicKit .p8 key (PKCS#8 PEM, EC P-256)`]);
}

function appleConfig(parsed: Parsed): Config['apple'] {
  const privateKey = applePrivateKey(parsed);
  const { APPLE_MUSIC_TEAM_ID: teamId, APPLE_MUSIC_KEY_ID: keyId } = parsed;
  const set = [teamId, keyId, privateKey].filter((value) => value !== undefined).length;
  if (set !== 0 && set !== 3) {
    throw new ConfigError([
      'APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID and APPLE_MUSIC_PRIVATE_KEY(_PATH) go together: set all three or none',
    ]);
  }
  const credentials = teamId !== undefined && keyId !== undefined && privateKey !== undefined ? { teamId, keyId, privateKey } : undefined;
  return { credentials, apiUrl: parsed.APPLE_MUSIC_API_URL, tokenTtlSeconds: parsed.APPLE_MUSIC_TOKEN_TTL_SECONDS };
}

export interface Config extends BaseConfig {
  dataBankUrl: string;
  dataBankApiKey: string;
  apiKeys: string[];
  tokenKey: Buffer | undefined;
  maxUploadBytes: number;
  uploadTimeoutMs: number;
  tmpDir: string;
  zipLimits: ZipLimits;
  /** Unset: the OAuth callbacks answer JSON with the confirmation instead of redirecting. */
  authReturnUrl: string | undefined;
  spotify: { clientId: string | undefined; redirectUri: string | undefined; accountsUrl: string; apiUrl: string };
  lastfm: { apiKey: string | undefined; apiSecret: string | undefined; callbackUrl: string | undefined; apiUrl: string; authUrl: string };
  /** Apple Music's live API; `credentials` unset: the Apple routes answer 503. */
  apple: { credentials: { teamId: string; keyId: string; privateKey: string } | undefined; apiUrl: string; tokenTtlSeconds: number };
  /** Prefix of this service's own Redis keys (imports, tokens, OAuth states). */
  keyPrefix: string;
  /** BullMQ key prefix and event namespace. */
  queuePrefix: string;
  eventsNamespace: string;
}

export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(schema, env);
  return {
    ...baseConfig(parsed),
    dataBankUrl: serviceUrl('data-bank-api', {
      ...(parsed.DATA_BANK_URL && { explicit: parsed.DATA_BANK_URL }),
      ...(parsed.API_GATEWAY_URL && { gateway: parsed.API_GATEWAY_URL }),
    }),
    dataBankApiKey: parsed.DATA_BANK_API_KEY,
    apiKeys: parsed.MUSIC_API_KEYS,
    tokenKey: parsed.MUSIC_TOKEN_KEY,
    maxUploadBytes: parsed.MUSIC_MAX_UPLOAD_BYTES,
    uploadTimeoutMs: parsed.MUSIC_UPLOAD_TIMEOUT_SECONDS * 1000,
    tmpDir: parsed.MUSIC_TMP_DIR,
    zipLimits: { maxEntries: parsed.MUSIC_MAX_ZIP_ENTRIES, maxDirectoryBytes: parsed.MUSIC_MAX_ZIP_DIRECTORY_BYTES },
    authReturnUrl: parsed.MUSIC_AUTH_RETURN_URL,
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
    apple: appleConfig(parsed),
    keyPrefix: parsed.MUSIC_KEY_PREFIX,
    queuePrefix: parsed.MUSIC_QUEUE_PREFIX,
    eventsNamespace: parsed.MUSIC_EVENTS_NAMESPACE,
  };
}
