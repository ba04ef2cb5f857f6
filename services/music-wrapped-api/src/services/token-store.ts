import { AppError } from '@platform/core';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export const PROVIDERS = ['spotify', 'lastfm', 'apple_music'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * OAuth tokens per user and provider in Redis, sealed with AES-256-GCM (random 12-byte IV, the key name
 * as associated data so a blob cannot be moved to another user), with the Redis TTL as expiry.
 */
export class TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: Buffer | undefined,
    private readonly prefix = 'music:token:',
  ) {}

  /** Throws 503 SERVICE_UNAVAILABLE when no MUSIC_TOKEN_KEY is configured. */
  cipherKey(): Buffer {
    if (!this.key) throw new AppError('SERVICE_UNAVAILABLE', 'token storage is not configured (MUSIC_TOKEN_KEY)');
    return this.key;
  }

  async put(provider: Provider, userId: string, value: object, ttlSeconds: number): Promise<void> {
    const name = `${this.prefix}${provider}:${userId}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.cipherKey(), iv);
    cipher.setAAD(Buffer.from(name));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
    const blob = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    await this.redis.set(name, blob, 'EX', Math.max(1, Math.floor(ttlSeconds)));
  }

  async get(provider: Provider, userId: string): Promise<Record<string, unknown> | undefined> {
    const name = `${this.prefix}${provider}:${userId}`;
    const blob = await this.redis.get(name);
    if (blob === null) return undefined;
    const raw = Buffer.from(blob, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.cipherKey(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  }

  async delete(provider: Provider, userId: string): Promise<void> {
    await this.redis.del(`${this.prefix}${provider}:${userId}`);
  }
}
