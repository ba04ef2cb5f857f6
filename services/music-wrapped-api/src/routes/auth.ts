import { type PlatformApp, requestUser } from '@platform/core';
import { z } from 'zod';
import type { AccountConnections } from '../services/connections.js';
import { OAUTH_PROVIDERS } from '../services/oauth-states.js';
import { PROVIDERS } from '../services/token-store.js';

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

/** Connecting accounts: the flows are AccountConnections' (services/connections.ts). */
export function authRoutes(app: PlatformApp, connections: AccountConnections): void {
  app.post(
    '/v1/auth/spotify/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Spotify account', response: { 200: StartResponse } },
    },
    (request) => connections.startSpotify(requestUser(request)),
  );

  app.post(
    '/v1/auth/lastfm/start',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Start connecting a Last.fm account', response: { 200: StartResponse } },
    },
    (request) => connections.startLastfm(requestUser(request)),
  );

  app.get(
    '/v1/auth/spotify/callback',
    {
      config: { auth: 'public' },
      schema: {
        summary: "Spotify's redirect back (public: stores the code for the trusted caller to confirm)",
        querystring: z.object({
          state: State,
          code: z.string().min(1).max(2000).optional(),
          error: z.string().max(200).optional(),
        }),
        response: { 200: AuthorizedResponse },
      },
    },
    async (request, reply) => {
      const { state, code, error } = request.query;
      const outcome = await connections.authorize('spotify', state, error === undefined ? code : undefined);
      reply.header('cache-control', 'no-store');
      return outcome.redirectTo === undefined ? outcome.answer : reply.redirect(outcome.redirectTo, 303);
    },
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
    async (request, reply) => {
      const outcome = await connections.authorize('lastfm', request.query.state, request.query.token);
      reply.header('cache-control', 'no-store');
      return outcome.redirectTo === undefined ? outcome.answer : reply.redirect(outcome.redirectTo, 303);
    },
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
    (request) => connections.confirm(request.params.provider, request.body.state, requestUser(request), request.body.confirmation),
  );

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
      const { token, expiresAtMs } = await connections.appleDeveloperToken();
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
    (request) => connections.connectApple(requestUser(request), request.body.music_user_token),
  );

  app.delete(
    '/v1/auth/:provider',
    {
      config: { auth: 'api', user: true },
      schema: { summary: 'Forget a connected account', params: z.object({ provider: z.enum(PROVIDERS) }) },
    },
    async (request, reply) => {
      await connections.disconnect(request.params.provider, requestUser(request));
      return reply.status(204).send();
    },
  );
}
