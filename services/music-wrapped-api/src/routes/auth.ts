import { AppError, type PlatformApp, requestUser } from '@platform/core';
import { AppleMusicApi, exchangeSpotifyCode, pkcePair, spotifyAuthorizeUrl } from '@platform/music';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config.js';
import {
  APPLE_TOKEN_TTL_SECONDS,
  appleOptions,
  LASTFM_TOKEN_TTL_SECONDS,
  lastfmClient,
  SPOTIFY_TOKEN_TTL_SECONDS,
  spotifyOptions,
} from '../services/live-sources.js';
import { PROVIDERS, type Provider, type TokenStore } from '../services/token-store.js';

export interface AuthRoutesOptions {
  config: Config;
  redis: Redis;
  tokens: TokenStore;
  statePrefix?: string;
}

const STATE_TTL_SECONDS = 600;
const PendingState = z.object({
  provider: z.enum(['spotify', 'lastfm']),
  user_id: z.string(),
  verifier: z.string().optional(),
});
const StartResponse = z.object({ authorize_url: z.string(), state: z.string(), expires_in: z.number() });
const Connected = z.object({
  connected: z.enum(PROVIDERS),
  user_id: z.string(),
  account: z.string().optional(),
  storefront: z.string().optional(),
});
const DeveloperToken = z.object({ developer_token: z.string(), expires_at: z.string() });

const unavailable = (what: string) =>
  new AppError('SERVICE_UNAVAILABLE', `${what} is not configured on this server`);

/**
 * OAuth for Spotify (authorization code + PKCE) and Last.fm (web auth). `start` is called by the trusted
 * caller for a user; the provider sends the user's browser to `callback`, which only the single-use
 * `state` (10 minutes) ties to that user.
 */
export function authRoutes(app: PlatformApp, options: AuthRoutesOptions): void {
  const { config, redis, tokens } = options;
  const prefix = options.statePrefix ?? 'music:oauth:';

  const newState = async (pending: z.infer<typeof PendingState>): Promise<string> => {
    const state = randomBytes(24).toString('base64url');
    await redis.set(prefix + state, JSON.stringify(pending), 'EX', STATE_TTL_SECONDS);
    return state;
  };
  const takeState = async (state: string, provider: Provider) => {
    const raw = await redis.getdel(prefix + state);
    const pending = raw === null ? undefined : PendingState.parse(JSON.parse(raw));
    if (pending?.provider !== provider)
      throw new AppError('INVALID_INPUT', 'unknown, expired or already used state');
    return pending;
  };

  app.post(
    '/v1/auth/spotify/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Spotify account', response: { 200: StartResponse } },
    },
    async (request) => {
      const userId = requestUser(request);
      const spotify = spotifyOptions(config);
      const redirectUri = config.spotify.redirectUri;
      if (!spotify || !redirectUri) throw unavailable('Spotify (SPOTIFY_CLIENT_ID, SPOTIFY_REDIRECT_URI)');
      tokens.cipherKey(); // no point sending the user off when the tokens cannot be stored
      const { verifier, challenge } = pkcePair();
      const state = await newState({ provider: 'spotify', user_id: userId, verifier });
      return {
        authorize_url: spotifyAuthorizeUrl(spotify, { redirectUri, state, challenge }),
        state,
        expires_in: STATE_TTL_SECONDS,
      };
    },
  );

  app.get(
    '/v1/auth/spotify/callback',
    {
      config: { auth: 'public' },
      schema: {
        summary: "Spotify's redirect back (public: authenticated by the state)",
        querystring: z.object({
          state: z.string().min(1).max(100),
          code: z.string().min(1).max(2000).optional(),
          error: z.string().max(200).optional(),
        }),
        response: { 200: Connected },
      },
    },
    async (request) => {
      const pending = await takeState(request.query.state, 'spotify');
      const spotify = spotifyOptions(config);
      const redirectUri = config.spotify.redirectUri;
      if (!spotify || !redirectUri) throw unavailable('Spotify');
      if (request.query.error !== undefined || request.query.code === undefined) {
        throw new AppError(
          'INVALID_INPUT',
          `Spotify authorization was not granted: ${request.query.error ?? 'no code'}`,
        );
      }
      const fresh = await exchangeSpotifyCode(spotify, {
        code: request.query.code,
        redirectUri,
        verifier: pending.verifier ?? '',
      });
      await tokens.put('spotify', pending.user_id, fresh, SPOTIFY_TOKEN_TTL_SECONDS);
      return { connected: 'spotify' as const, user_id: pending.user_id };
    },
  );

  app.post(
    '/v1/auth/lastfm/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Last.fm account', response: { 200: StartResponse } },
    },
    async (request) => {
      const userId = requestUser(request);
      const callback = config.lastfm.callbackUrl;
      if (!lastfmClient(config) || !callback || !config.lastfm.apiKey)
        throw unavailable('Last.fm (LASTFM_API_KEY, LASTFM_API_SECRET, LASTFM_CALLBACK_URL)');
      tokens.cipherKey();
      const state = await newState({ provider: 'lastfm', user_id: userId });
      const cb = new URL(callback);
      cb.searchParams.set('state', state);
      const url = new URL(config.lastfm.authUrl);
      url.searchParams.set('api_key', config.lastfm.apiKey);
      url.searchParams.set('cb', cb.toString());
      return { authorize_url: url.toString(), state, expires_in: STATE_TTL_SECONDS };
    },
  );

  app.get(
    '/v1/auth/lastfm/callback',
    {
      config: { auth: 'public' },
      schema: {
        summary: "Last.fm's redirect back (public: authenticated by the state)",
        querystring: z.object({ state: z.string().min(1).max(100), token: z.string().min(1).max(200) }),
        response: { 200: Connected },
      },
    },
    async (request) => {
      const pending = await takeState(request.query.state, 'lastfm');
      const client = lastfmClient(config);
      if (!client) throw unavailable('Last.fm');
      const session = await client.session(request.query.token);
      await tokens.put(
        'lastfm',
        pending.user_id,
        { session_key: session.key, username: session.name },
        LASTFM_TOKEN_TTL_SECONDS,
      );
      return { connected: 'lastfm' as const, user_id: pending.user_id, account: session.name };
    },
  );

  // Apple Music has no redirect flow: MusicKit JS in the user's browser, configured with the developer
  // token, authorizes the user and yields a Music User Token, which the trusted caller hands over here.
  app.get(
    '/v1/auth/apple_music/developer-token',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'A developer token for MusicKit JS (shared by every user, cached until near expiry)',
        response: { 200: DeveloperToken },
      },
    },
    async (request, reply) => {
      const apple = appleOptions(config);
      if (!apple)
        throw unavailable('Apple Music (APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID, APPLE_MUSIC_PRIVATE_KEY)');
      const { token, expiresAtMs } = await apple.developerToken.get();
      return reply
        .header('cache-control', 'no-store')
        .send({ developer_token: token, expires_at: new Date(expiresAtMs).toISOString() });
    },
  );

  app.put(
    '/v1/auth/apple_music',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary:
          "Connect an Apple Music account with the user's Music User Token (from MusicKit JS authorize())",
        body: z.object({ music_user_token: z.string().min(1).max(4096) }).strict(),
        response: { 200: Connected },
      },
    },
    async (request) => {
      const userId = requestUser(request);
      const apple = appleOptions(config);
      if (!apple)
        throw unavailable('Apple Music (APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID, APPLE_MUSIC_PRIVATE_KEY)');
      tokens.cipherKey();
      // Proves the token before keeping it: a refused one is 401 INVALID_CREDENTIALS now, not a failed job later.
      const storefront = await new AppleMusicApi(apple, request.body.music_user_token).storefront();
      await tokens.put(
        'apple_music',
        userId,
        { music_user_token: request.body.music_user_token, storefront },
        APPLE_TOKEN_TTL_SECONDS,
      );
      return { connected: 'apple_music' as const, user_id: userId, storefront };
    },
  );

  app.delete(
    '/v1/auth/:provider',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Forget a connected account', params: z.object({ provider: z.enum(PROVIDERS) }) },
    },
    async (request, reply) => {
      await tokens.delete(request.params.provider, requestUser(request));
      return reply.status(204).send();
    },
  );
}
