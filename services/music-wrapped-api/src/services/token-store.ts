import { AppError } from '@platform/core';
import { withRedisDeadline, type RedisConnection } from '@platform/workers';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { z } from 'zod';

export const PROVIDERS = ['spotify', 'lastfm', 'apple_music'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where a user (re)connects an account: the redirect flows start, Apple's token is handed over. */
export const connectHow = (provider: Provider) =>
  provider === 'apple_music' ? 'PUT /v1/auth/apple_music' : `POST /v1/auth/${provider}/start`;

/** A stored token that cannot be read (tampered, sealed under another key, an old shape): the user connects again. */
function unreadableToken(provider: Provider): AppError {
  return new AppError(
    'RECONNECT_REQUIRED',
    `the stored ${provider} connection cannot be used any more: connect the account again through ${connectHow(provider)}`,
    { status: 409 },
  );
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * OAuth tokens per user and provider in Redis, sealed with AES-256-GCM (random 12-byte IV, the key name
 * as associated data so a blob cannot be moved to another user), with the Redis TTL as expiry. Redis
 * calls answer 503 when Redis does not answer in time.
 */
export class TokenStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly key: Buffer | undefined,
    private readonly prefix = 'music:token:',
  ) {}

  /** Throws 503 SERVICE_UNAVAILABLE when no MUSIC_TOKEN_KEY is configured. */
  cipherKey(): Buffer {
    if (!this.key) throw new AppError('SERVICE_UNAVAILABLE', 'token storage is not configured (MUSIC_TOKEN_KEY)');
    return this.key;
  }

  private name(provider: Provider, userId: string): string {
    return `${this.prefix}${provider}:${userId}`;
  }

  async put(provider: Provider, userId: string, value: object, ttlSeconds: number): Promise<void> {
    const name = this.name(provider, userId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.cipherKey(), iv);
    cipher.setAAD(Buffer.from(name));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
    const blob = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    await withRedisDeadline(() => this.redis.set(name, blob, 'EX', Math.max(1, Math.floor(ttlSeconds))));
  }

  /** The user's tokens in the provider's stored shape; undefined when none; 409 RECONNECT_REQUIRED when unreadable. */
  async get<S extends z.ZodType>(provider: Provider, userId: string, shape: S): Promise<z.output<S> | undefined> {
    const name = this.name(provider, userId);
    const blob = await withRedisDeadline(() => this.redis.get(name));
    if (blob === null) return undefined;
    const key = this.cipherKey();
    let value: unknown;
    try {
      const raw = Buffer.from(blob, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      value = JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'));
    } catch {
      throw unreadableToken(provider);
    }
    const parsed = shape.safeParse(value);
    if (!parsed.success) throw unreadableToken(provider);
    return parsed.data;
  }

  async delete(provider: Provider, userId: string): Promise<void> {
    await withRedisDeadline(() => this.redis.del(this.name(provider, userId)));
  }
}
