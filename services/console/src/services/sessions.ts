import { ApiKeySet } from '@platform/core';
import { withRedisDeadline, type RedisConnection } from '@platform/workers';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export type Role = 'admin' | 'viewer';

export const Session = z.object({
  role: z.enum(['admin', 'viewer']),
  csrf_token: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
});
export type Session = z.infer<typeof Session>;

export interface SessionStoreOptions {
  redis: RedisConnection;
  prefix: string;
  ttlSeconds: number;
  adminKeys: readonly string[];
  viewerKeys: readonly string[];
}

const token = () => randomBytes(32).toString('base64url');

/**
 * Sessions live in Redis (503 within a few seconds when it is away) under a random id (the signed cookie carries only the id), so logging out
 * ends a session everywhere and several console processes share them.
 */
export class SessionStore {
  private readonly admins: ApiKeySet;
  private readonly viewers: ApiKeySet;

  constructor(private readonly options: SessionStoreOptions) {
    this.admins = new ApiKeySet(options.adminKeys);
    this.viewers = new ApiKeySet(options.viewerKeys);
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /** The role a key opens, checked in constant time against both lists; undefined for no match. */
  roleOf(key: string): Role | undefined {
    const admin = this.admins.matches(key);
    const viewer = this.viewers.matches(key);
    if (admin) return 'admin';
    return viewer ? 'viewer' : undefined;
  }

  async open(role: Role): Promise<{ id: string; session: Session }> {
    const id = token();
    const now = Date.now();
    const session: Session = {
      role,
      csrf_token: token(),
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + this.options.ttlSeconds * 1000).toISOString(),
    };
    await withRedisDeadline(() => this.options.redis.set(this.key(id), JSON.stringify(session), 'EX', this.options.ttlSeconds));
    return { id, session };
  }

  async get(id: string): Promise<Session | undefined> {
    const raw = await withRedisDeadline(() => this.options.redis.get(this.key(id)));
    if (raw === null) return undefined;
    const parsed = Session.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async close(id: string): Promise<void> {
    await withRedisDeadline(() => this.options.redis.del(this.key(id)));
  }

  private key(id: string): string {
    return `${this.options.prefix}${id}`;
  }
}
