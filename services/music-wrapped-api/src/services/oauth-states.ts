import { AppError } from '@platform/core';
import { withRedisDeadline, type RedisConnection } from '@platform/workers';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const OAUTH_PROVIDERS = ['spotify', 'lastfm'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export const STATE_TTL_SECONDS = 600;

const Pending = z.object({ user_id: z.string(), verifier: z.string().optional() });
const Authorized = Pending.extend({ grant: z.string(), confirmation_sha256: z.string() });
export type AuthorizedFlow = z.infer<typeof Authorized>;

const secret = () => randomBytes(24).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest();

const unknownState = () => new AppError('INVALID_INPUT', 'unknown, expired or already used state');

/**
 * A connect flow in two single-use steps, each under a key of its provider (so a state presented to
 * another provider's callback is unknown there and stays intact):
 * `begin` (the trusted caller, for a user) → `authorize` (the provider's public redirect: stores the
 * grant and hands a confirmation secret to that browser only) → `confirm` (the trusted caller again,
 * for the user signed in to that browser, with the confirmation). A victim's browser that completes an
 * attacker's link gets the confirmation, but the trusted caller confirms it as the victim, which is
 * not the state's user; the attacker, the state's user, never sees the confirmation.
 */
export class OAuthStates {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'music:oauth:',
  ) {}

  private key(provider: OAuthProvider, step: 'pending' | 'authorized', state: string): string {
    return `${this.prefix}${provider}:${step}:${state}`;
  }

  private async take<S extends z.ZodType>(key: string, shape: S): Promise<z.output<S>> {
    const raw = await withRedisDeadline(() => this.redis.getdel(key));
    const parsed = raw === null ? undefined : shape.safeParse(JSON.parse(raw));
    if (!parsed?.success) throw unknownState();
    return parsed.data;
  }

  /** A new state for the user's flow (10 minutes). */
  async begin(provider: OAuthProvider, pending: z.infer<typeof Pending>): Promise<string> {
    const state = secret();
    await withRedisDeadline(() => this.redis.set(this.key(provider, 'pending', state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS));
    return state;
  }

  /** Ends the pending step (once); `grant` undefined (the user declined) just ends the flow. */
  async authorize(provider: OAuthProvider, state: string, grant: string | undefined): Promise<string | undefined> {
    const pending = await this.take(this.key(provider, 'pending', state), Pending);
    if (grant === undefined) return undefined;
    const confirmation = secret();
    const authorized: AuthorizedFlow = { ...pending, grant, confirmation_sha256: digest(confirmation).toString('hex') };
    await withRedisDeadline(() =>
      this.redis.set(this.key(provider, 'authorized', state), JSON.stringify(authorized), 'EX', STATE_TTL_SECONDS),
    );
    return confirmation;
  }

  /** Ends the flow (once, whatever the outcome): 403 unless it is the user's and the confirmation matches. */
  async confirm(provider: OAuthProvider, state: string, userId: string, confirmation: string): Promise<AuthorizedFlow> {
    const authorized = await this.take(this.key(provider, 'authorized', state), Authorized);
    const matches = timingSafeEqual(digest(confirmation), Buffer.from(authorized.confirmation_sha256, 'hex'));
    if (!matches || authorized.user_id !== userId) {
      throw new AppError('FORBIDDEN', 'this authorization was not started by this user in this browser; start again');
    }
    return authorized;
  }
}
