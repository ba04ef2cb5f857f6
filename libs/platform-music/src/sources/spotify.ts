import { AppError, HttpClient, HttpError } from '@platform/core';
import { callUpstream } from './upstream.js';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CredentialsError } from '../errors.js';
import type { HistorySource, PlayRecord } from '../model.js';

export const SPOTIFY_SCOPES = ['user-read-recently-played', 'user-top-read'];

export interface SpotifyOptions {
  /** `https://accounts.spotify.com` and `https://api.spotify.com` in production. */
  accountsUrl: string;
  apiUrl: string;
  clientId: string;
  retry?: { retries?: number; baseDelayMs?: number };
}

export interface SpotifyTokens {
  access_token: string;
  refresh_token: string;
  /** Epoch ms. */
  expires_at: number;
}

const TokenAnswer = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number(),
});

/** PKCE: a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function spotifyAuthorizeUrl(options: SpotifyOptions, params: { redirectUri: string; state: string; challenge: string }): string {
  const url = new URL('/authorize', options.accountsUrl);
  url.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: params.redirectUri,
    code_challenge_method: 'S256',
    code_challenge: params.challenge,
    state: params.state,
    scope: SPOTIFY_SCOPES.join(' '),
  }).toString();
  return url.toString();
}

async function tokenRequest(options: SpotifyOptions, form: Record<string, string>, previousRefresh?: string): Promise<SpotifyTokens> {
  const http = new HttpClient({ baseUrl: options.accountsUrl, timeoutMs: 15_000, retry: { retries: 0 } });
  const answer = await callUpstream('Spotify', async () => {
    try {
      return await http.json('/api/token', TokenAnswer, {
        method: 'POST',
        body: new URLSearchParams({ ...form, client_id: options.clientId }),
      });
    } catch (error) {
      // invalid_grant / invalid_client: the code or refresh token is no longer good.
      if (error instanceof HttpError && (error.status === 400 || error.status === 401))
        throw new CredentialsError('Spotify refused the grant: connect the account again');
      throw error;
    }
  });
  const refresh = answer.refresh_token ?? previousRefresh;
  if (refresh === undefined) throw new AppError('EXTERNAL_SERVICE_ERROR', 'Spotify answered without a refresh token');
  return {
    access_token: answer.access_token,
    refresh_token: refresh,
    expires_at: Date.now() + answer.expires_in * 1000,
  };
}

/** Authorization code + PKCE: the callback's code becomes tokens. */
export function exchangeSpotifyCode(
  options: SpotifyOptions,
  params: { code: string; redirectUri: string; verifier: string },
): Promise<SpotifyTokens> {
  return tokenRequest(options, {
    grant_type: 'authorization_code',
    code: params.code,
    redirect_uri: params.redirectUri,
    code_verifier: params.verifier,
  });
}

export function refreshSpotifyTokens(options: SpotifyOptions, refreshToken: string): Promise<SpotifyTokens> {
  return tokenRequest(options, { grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
}

const Artist = z.object({ name: z.string() });
const Track = z.object({
  id: z.string().nullable(),
  name: z.string(),
  duration_ms: z.number(),
  artists: z.array(Artist).min(1),
  album: z.object({ name: z.string() }).optional(),
});
const RecentlyPlayed = z.object({
  items: z.array(z.object({ track: Track, played_at: z.string() })),
  cursors: z.object({ before: z.string().optional() }).nullable().optional(),
});

/** Web API calls with a bearer token that is refreshed when expired (or refused once with 401). */
export class SpotifyApi {
  private readonly http: HttpClient;

  constructor(
    private readonly options: SpotifyOptions,
    private tokens: SpotifyTokens,
    private readonly onRefresh: (tokens: SpotifyTokens) => Promise<void> = () => Promise.resolve(),
  ) {
    this.http = new HttpClient({
      baseUrl: options.apiUrl,
      timeoutMs: 20_000,
      retry: { retries: 4, baseDelayMs: 500, ...options.retry },
    });
  }

  private async refresh(): Promise<void> {
    this.tokens = await refreshSpotifyTokens(this.options, this.tokens.refresh_token);
    await this.onRefresh(this.tokens);
  }

  async get<S extends z.ZodType>(path: string, schema: S, query: Record<string, string>, signal?: AbortSignal): Promise<z.output<S>> {
    if (this.tokens.expires_at < Date.now() + 30_000) await this.refresh();
    for (let attempt = 0; ; attempt++) {
      const { access_token: token } = this.tokens;
      const answer = await callUpstream(
        'Spotify',
        async () => {
          const response = await this.http.request(path, {
            query,
            headers: { authorization: `Bearer ${token}` },
            acceptStatus: [401],
            ...(signal && { signal }),
          });
          if (response.status === 401) {
            await response.body?.cancel();
            return undefined;
          }
          const body: unknown = await response.json();
          return { body };
        },
        signal,
      );
      if (answer !== undefined) {
        const parsed = schema.safeParse(answer.body);
        if (!parsed.success) throw new AppError('EXTERNAL_SERVICE_ERROR', `Spotify ${path} answered in an unexpected form`);
        return parsed.data;
      }
      if (attempt > 0) throw new CredentialsError('Spotify refused the access token');
      await this.refresh();
    }
  }

  /** The most recent plays (Spotify keeps about the last 50), newest first, paged with `before`. */
  async *recentlyPlayed(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncGenerator<PlayRecord> {
    let before = String(range.toMs);
    for (;;) {
      const page = await this.get('/v1/me/player/recently-played', RecentlyPlayed, { limit: '50', before }, signal);
      for (const item of page.items) {
        const playedAt = Date.parse(item.played_at);
        if (playedAt < range.fromMs) return;
        const { track } = item;
        yield {
          service: 'spotify',
          // Spotify's played_at is when the play ended (as in the exports).
          played_at_ms: playedAt - track.duration_ms,
          track: track.name,
          artists: track.artists.map((artist) => artist.name),
          ...(track.album && { album: track.album.name }),
          duration_ms: track.duration_ms,
          ids: track.id ? { spotify: `spotify:track:${track.id}` } : {},
        };
      }
      const next = page.cursors?.before;
      if (page.items.length === 0 || next === undefined || next === before) return;
      before = next;
    }
  }

  /** The user's top artists or tracks over a time range. */
  top(
    kind: 'artists' | 'tracks',
    timeRange: 'short_term' | 'medium_term' | 'long_term' = 'long_term',
  ): Promise<{ items: { name: string }[] }> {
    return this.get(`/v1/me/top/${kind}`, z.object({ items: z.array(z.object({ name: z.string() })) }), {
      time_range: timeRange,
      limit: '50',
    });
  }
}

/** A connected Spotify account as a history source (recent plays only: exports cover the full year). */
export class SpotifySource implements HistorySource {
  readonly service = 'spotify' as const;

  constructor(private readonly api: SpotifyApi) {}

  plays(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncIterable<PlayRecord> {
    return this.api.recentlyPlayed(range, signal);
  }
}
