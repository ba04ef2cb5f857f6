import { AppError, HttpClient } from '@platform/core';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { CredentialsError } from '../errors.js';
import { callUpstream } from './upstream.js';
import type { HistorySource, PlayRecord } from '../model.js';

/** Apple refuses developer tokens that live longer than about six months. */
export const APPLE_MAX_TOKEN_SECONDS = 15_777_000;

export interface AppleDeveloperTokenOptions {
  teamId: string;
  keyId: string;
  /** The MusicKit private key (.p8, PKCS#8 PEM, P-256). */
  privateKey: string;
  /** How long each token is valid (default 12 hours, at most APPLE_MAX_TOKEN_SECONDS). */
  lifetimeSeconds?: number;
  /** A new token is signed this long before the cached one expires (default 5 minutes). */
  renewBeforeSeconds?: number;
  now?: () => number;
}

/**
 * The developer token of the Apple Music API: an ES256 JWT with the key id in its header, the team id as
 * issuer, and iat/exp. One token serves every user, so it is cached until shortly before it expires.
 */
export class AppleDeveloperToken {
  private readonly lifetimeSeconds: number;
  private readonly renewBeforeSeconds: number;
  private readonly now: () => number;
  private key: Promise<CryptoKey> | undefined;
  private current: { token: string; expiresAtMs: number } | undefined;
  private signing: Promise<{ token: string; expiresAtMs: number }> | undefined;

  constructor(private readonly options: AppleDeveloperTokenOptions) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? 12 * 3600;
    this.renewBeforeSeconds = Math.min(options.renewBeforeSeconds ?? 300, this.lifetimeSeconds / 2);
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.lifetimeSeconds) || this.lifetimeSeconds < 60 || this.lifetimeSeconds > APPLE_MAX_TOKEN_SECONDS) {
      throw new RangeError(`developer token lifetime must be 60..${APPLE_MAX_TOKEN_SECONDS} seconds`);
    }
  }

  /** A token valid for at least `renewBeforeSeconds` more, and when it expires (epoch ms). */
  get(): Promise<{ token: string; expiresAtMs: number }> {
    const current = this.current;
    if (current && current.expiresAtMs - this.renewBeforeSeconds * 1000 > this.now()) return Promise.resolve(current);
    // Concurrent callers share one signing; a failed signing is not kept.
    this.signing ??= this.sign()
      .then((fresh) => (this.current = fresh))
      .finally(() => {
        this.signing = undefined;
      });
    return this.signing;
  }

  private async sign(): Promise<{ token: string; expiresAtMs: number }> {
    this.key ??= importPKCS8(this.options.privateKey, 'ES256');
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.options.keyId })
      .setIssuer(this.options.teamId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAtMs: expiresAt * 1000 };
  }
}

export interface AppleMusicOptions {
  /** `https://api.music.apple.com` in production. */
  apiUrl: string;
  developerToken: AppleDeveloperToken;
  retry?: { retries?: number; baseDelayMs?: number };
  /** The fetch time that approximate play times count back from (default Date.now). */
  now?: () => number;
}

const Resource = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z
    .object({
      name: z.string(),
      artistName: z.string().optional(),
      albumName: z.string().optional(),
      durationInMillis: z.number().optional(),
      playParams: z.object({ catalogId: z.string().optional() }).optional(),
    })
    .optional(),
});
const Page = z.object({ data: z.array(Resource), next: z.string().optional() });
const Storefront = z.object({ data: z.array(z.object({ id: z.string() })) });

/** Apple's documented maximum page size of the recent-tracks endpoint. */
const PAGE_SIZE = 30;

/** The Apple Music API for one user: the developer token plus that user's Music User Token. */
export class AppleMusicApi {
  private readonly http: HttpClient;

  constructor(
    private readonly options: AppleMusicOptions,
    private readonly musicUserToken: string,
  ) {
    this.http = new HttpClient({ baseUrl: options.apiUrl, timeoutMs: 20_000, retry: { retries: 4, baseDelayMs: 500, ...options.retry } });
  }

  async get<S extends z.ZodType>(path: string, schema: S, query: Record<string, string> = {}, signal?: AbortSignal): Promise<z.output<S>> {
    const { token } = await this.options.developerToken.get();
    const response = await callUpstream(
      'Apple Music',
      () =>
        this.http.request(path, {
          query,
          headers: { authorization: `Bearer ${token}`, 'music-user-token': this.musicUserToken },
          acceptStatus: [401, 403],
          ...(signal && { signal }),
        }),
      signal,
    );
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      // 401: the developer token was refused; 403: the user's token is invalid, expired or revoked.
      throw new CredentialsError(
        response.status === 401
          ? 'Apple Music refused the developer token'
          : 'Apple Music refused the music user token: connect the account again',
      );
    }
    const parsed = schema.safeParse(await callUpstream('Apple Music', () => response.json(), signal));
    if (!parsed.success) throw new AppError('EXTERNAL_SERVICE_ERROR', `Apple Music ${path} answered in an unexpected form`);
    return parsed.data;
  }

  /** The user's storefront (country): a cheap call that proves both tokens are good. */
  async storefront(signal?: AbortSignal): Promise<string> {
    const answer = await this.get('/v1/me/storefront', Storefront, {}, signal);
    const id = answer.data[0]?.id;
    if (id === undefined) throw new AppError('EXTERNAL_SERVICE_ERROR', 'Apple Music answered without a storefront');
    return id;
  }

  /**
   * The recently played tracks (Apple keeps only the last few dozen), newest first, paged with
   * limit/offset. Apple gives no play times: each play is placed back-to-back before the fetch time
   * (the newest ends at the fetch, each earlier one ends where the next starts), flagged as approximate.
   */
  async *recentTracks(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncGenerator<PlayRecord> {
    let end = (this.options.now ?? Date.now)();
    for (let offset = 0; ;) {
      const page = await this.get('/v1/me/recent/played/tracks', Page, { limit: String(PAGE_SIZE), offset: String(offset) }, signal);
      for (const resource of page.data) {
        const play = decodeResource(resource, end);
        if (!play) continue;
        end = play.played_at_ms;
        if (play.played_at_ms < range.fromMs) return;
        if (play.played_at_ms < range.toMs) yield play;
      }
      if (page.data.length === 0 || page.next === undefined) return;
      offset += page.data.length;
    }
  }
}

function decodeResource(resource: z.infer<typeof Resource>, endMs: number): PlayRecord | undefined {
  const attributes = resource.attributes;
  if (!attributes?.artistName || !attributes.name) return undefined;
  const duration = attributes.durationInMillis;
  // Catalog songs carry their catalog id; library songs name it in playParams when they have one.
  const catalogId = resource.type === 'songs' || resource.type === 'music-videos' ? resource.id : attributes.playParams?.catalogId;
  return {
    service: 'apple_music',
    played_at_ms: endMs - (duration ?? 0),
    played_at_approximate: true,
    track: attributes.name,
    artists: [attributes.artistName],
    ...(attributes.albumName ? { album: attributes.albumName } : {}),
    ...(duration !== undefined ? { duration_ms: duration } : {}),
    ids: catalogId ? { apple_music: catalogId } : {},
  };
}

/** A connected Apple Music account as a history source (recent plays only: the export covers the year). */
export class AppleMusicSource implements HistorySource {
  readonly service = 'apple_music' as const;

  constructor(private readonly api: AppleMusicApi) {}

  plays(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncIterable<PlayRecord> {
    return this.api.recentTracks(range, signal);
  }
}
