import { AppError, type PlatformApp, requestUser } from '@platform/core';
import { AppleMusicApi, pkcePair, spotifyAuthorizeUrl } from '@platform/music';
import type { FastifyReply } from 'fastify';
import type { RedisConnection } from '@platform/workers';
import { z } from 'zod';
import type { Config } from '../config.js';
import { linkAccount, notConfigured, requireProvider } from '../services/account-links.js';
import { APPLE_TOKEN_TTL_SECONDS, appleOptions, spotifyOptions } from '../services/live-sources.js';
import { OAUTH_PROVIDERS, OAuthStates, STATE_TTL_SECONDS, type OAuthProvider } from '../services/oauth-states.js';
import { PROVIDERS, type TokenStore } from '../services/token-store.js';

export interface AuthRoutesOptions {
  config: Config;
  redis: RedisConnection;
  tokens: TokenStore;
  statePrefix?: string;
}

const State = z.string().min(1).max(100);
const StartResponse = z.object({ authorize_url: z.string(), state: z.string(), expires_in: z.number() });
const AuthorizedResponse = z.object({
  status: z.literal('authorized'),
  provider: z.enum(OAUTH_PROVIDERS),
  state: z.string(),
  confirmation: z.string(),
  expires_in: z.number(),
});
const Connected = z.object({
  connected: z.enum(PROVIDERS),
  user_id: z.string(),
  account: z.string().optional(),
  storefront: z.string().optional(),
});
const DeveloperToken = z.object({ developer_token: z.string(), expires_at: z.string() });
const APPLE_SETTINGS = 'Apple Music (APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID, APPLE_MUSIC_PRIVATE_KEY)';

/**
 * OAuth for Spotify (authorization code + PKCE) and Last.fm (web auth), bound to the browser that
 * started it (README, "Connecting an account"): `start` (trusted caller) → the provider → the public
 * `callback`, which only stores the grant and gives that browser a confirmation → `confirm` (trusted
 * caller, for the user signed in to that browser) exchanges the grant and stores the tokens.
 */
export function authRoutes(app: PlatformApp, options: AuthRoutesOptions): void {
  const { config, tokens } = options;
  const states = new OAuthStates(options.redis, options.statePrefix);

  /** The browser goes back to the trusted caller with what confirms the flow, or is shown it. */
  const authorized = async (reply: FastifyReply, provider: OAuthProvider, state: string, grant: string | undefined) => {
    const confirmation = await states.authorize(provider, state, grant);
    if (confirmation === undefined) throw new AppError('INVALID_INPUT', `${provider} authorization was not granted`);
    const answer = { status: 'authorized' as const, provider, state, confirmation, expires_in: STATE_TTL_SECONDS };
    if (config.authReturnUrl === undefined) return reply.header('cache-control', 'no-store').send(answer);
    const target = new URL(config.authReturnUrl);
    for (const name of ['provider', 'state', 'confirmation'] as const) target.searchParams.set(name, answer[name]);
    return reply.header('cache-control', 'no-store').redirect(target.toString(), 303);
  };

  app.post(
    '/v1/auth/spotify/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Spotify account', response: { 200: StartResponse } },
    },
    async (request) => {
      requireProvider(config, tokens, 'spotify');
      const spotify = spotifyOptions(config);
      const redirectUri = config.spotify.redirectUri;
      if (!spotify || !redirectUri) throw notConfigured('Spotify');
      const { verifier, challenge } = pkcePair();
      const state = await states.begin('spotify', { user_id: requestUser(request), verifier });
      return { authorize_url: spotifyAuthorizeUrl(spotify, { redirectUri, state, challenge }), state, expires_in: STATE_TTL_SECONDS };
    },
  );

  app.post(
    '/v1/auth/lastfm/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Last.fm account', response: { 200: StartResponse } },
    },
    async (request) => {
      requireProvider(config, tokens, 'lastfm');
      const { callbackUrl, apiKey } = config.lastfm;
      if (!callbackUrl || !apiKey) throw notConfigured('Last.fm');
      const state = await states.begin('lastfm', { user_id: requestUser(request) });
      const cb = new URL(callbackUrl);
      cb.searchParams.set('state', state);
      const url = new URL(config.lastfm.authUrl);
      url.searchParams.set('api_key', apiKey);
      url.searchParams.set('cb', cb.toString());
      return { authorize_url: url.toString(), state, expires_in: STATE_TTL_SECONDS };
    },
  );

  app.get(
    '/v1/auth/spotify/callback',
    {
      config: { auth: 'public' },
      schema: {
        summary: "Spotify's redirect back (public: stores the code for the trusted caller to confirm)",
        querystring: z.object({ state: State, code: z.string().min(1).max(2000).optional(), error: z.string().max(200).optional() }),
        response: { 200: AuthorizedResponse },
      },
    },
    (request, reply) => authorized(reply, 'spotify', request.query.state, request.query.error === undefined ? request.query.code : undefined),
  );

  app.get(
    '/v1/auth/lastfm/callback',
    {
      config: { auth: 'public' },
      schema: {
        summary: "Last.fm's redirect back (public: stores the token for the trusted caller to confirm)",
        querystring: z.object({ state: State, token: z.string().min(1).max(200) }),
        response: { 200: AuthorizedResponse },
      },
    },
    (request, reply) => authorized(reply, 'lastfm', request.query.state, request.query.token),
  );

  app.post(
    '/v1/auth/:provider/confirm',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary: 'Finish connecting an account: the user signed in to the browser that came back from the callback',
        params: z.object({ provider: z.enum(OAUTH_PROVIDERS) }),
        body: z.object({ state: State, confirmation: z.string().min(1).max(100) }).strict(),
        response: { 200: Connected },
      },
    },
    async (request) => {
      const { provider } = request.params;
      requireProvider(config, tokens, provider);
      const flow = await states.confirm(provider, request.body.state, requestUser(request), request.body.confirmation);
      return linkAccount(config, tokens, provider, flow);
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
    async (_request, reply) => {
      const apple = appleOptions(config);
      if (!apple) throw notConfigured(APPLE_SETTINGS);
      const { token, expiresAtMs } = await apple.developerToken.get();
      return reply.header('cache-control', 'no-store').send({ developer_token: token, expires_at: new Date(expiresAtMs).toISOString() });
    },
  );

  app.put(
    '/v1/auth/apple_music',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary: "Connect an Apple Music account with the user's Music User Token (from MusicKit JS authorize())",
        body: z.object({ music_user_token: z.string().min(1).max(4096) }).strict(),
        response: { 200: Connected },
      },
    },
    async (request) => {
      const userId = requestUser(request);
      const apple = appleOptions(config);
      if (!apple) throw notConfigured(APPLE_SETTINGS);
      tokens.cipherKey();
      // Proves the token before keeping it: a refused one is 401 INVALID_CREDENTIALS now, not a failed job later.
      const storefront = await new AppleMusicApi(apple, request.body.music_user_token).storefront();
      await tokens.put('apple_music', userId, { music_user_token: request.body.music_user_token, storefront }, APPLE_TOKEN_TTL_SECONDS);
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
