import { AppError } from '@platform/core';
import { AppleMusicApi, pkcePair, spotifyAuthorizeUrl } from '@platform/music';
import type { RedisConnection } from '@platform/workers';
import type { Config } from '../config.js';
import { linkAccount, notConfigured, requireProvider, type LinkedAccount } from './account-links.js';
import { APPLE_TOKEN_TTL_SECONDS, appleOptions, spotifyOptions } from './live-sources.js';
import { OAuthStates, STATE_TTL_SECONDS, type OAuthProvider } from './oauth-states.js';
import type { Provider, TokenStore } from './token-store.js';

const APPLE_SETTINGS = 'Apple Music (APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID, APPLE_MUSIC_PRIVATE_KEY)';

export interface StartedFlow {
  authorize_url: string;
  state: string;
  expires_in: number;
}

interface AuthorizedFlowAnswer {
  status: 'authorized';
  provider: OAuthProvider;
  state: string;
  confirmation: string;
  expires_in: number;
}

/** Where the browser goes after a callback: back to the trusted caller's page, or nowhere (shown the answer). */
export interface AuthorizedOutcome {
  answer: AuthorizedFlowAnswer;
  redirectTo: string | undefined;
}

export interface AppleConnection {
  connected: 'apple_music';
  user_id: string;
  storefront: string;
}

/**
 * Connecting accounts (README, "Connecting an account"): OAuth for Spotify (authorization code + PKCE)
 * and Last.fm (web auth), bound to the browser that started it: `start` (trusted caller) → the provider
 * → the public `authorize` callback, which only stores the grant and gives that browser a confirmation →
 * `confirm` (trusted caller, for the user signed in to that browser) exchanges the grant and stores the
 * tokens. Apple Music has no redirect flow: MusicKit JS in the user's browser, configured with the
 * developer token, yields a Music User Token, which the trusted caller hands over (`connectApple`).
 */
export class AccountConnections {
  private readonly states: OAuthStates;

  constructor(
    private readonly config: Config,
    private readonly tokens: TokenStore,
    redis: RedisConnection,
  ) {
    this.states = new OAuthStates(redis, `${config.keyPrefix}:oauth:`);
  }

  async startSpotify(userId: string): Promise<StartedFlow> {
    requireProvider(this.config, this.tokens, 'spotify');
    const spotify = spotifyOptions(this.config);
    const redirectUri = this.config.spotify.redirectUri;
    if (!spotify || !redirectUri) throw notConfigured('Spotify');
    const { verifier, challenge } = pkcePair();
    const state = await this.states.begin('spotify', { user_id: userId, verifier });
    return {
      authorize_url: spotifyAuthorizeUrl(spotify, { redirectUri, state, challenge }),
      state,
      expires_in: STATE_TTL_SECONDS,
    };
  }

  async startLastfm(userId: string): Promise<StartedFlow> {
    requireProvider(this.config, this.tokens, 'lastfm');
    const { callbackUrl, apiKey, authUrl } = this.config.lastfm;
    if (!callbackUrl || !apiKey) throw notConfigured('Last.fm');
    const state = await this.states.begin('lastfm', { user_id: userId });
    const callback = new URL(callbackUrl);
    callback.searchParams.set('state', state);
    const url = new URL(authUrl);
    url.searchParams.set('api_key', apiKey);
    url.searchParams.set('cb', callback.toString());
    return { authorize_url: url.toString(), state, expires_in: STATE_TTL_SECONDS };
  }

  /** The provider's redirect back: `grant` undefined (the user declined) ends the flow with a 400. */
  async authorize(provider: OAuthProvider, state: string, grant: string | undefined): Promise<AuthorizedOutcome> {
    const confirmation = await this.states.authorize(provider, state, grant);
    if (confirmation === undefined) throw new AppError('INVALID_INPUT', `${provider} authorization was not granted`);
    const answer = {
      status: 'authorized' as const,
      provider,
      state,
      confirmation,
      expires_in: STATE_TTL_SECONDS,
    };
    const { authReturnUrl } = this.config;
    if (authReturnUrl === undefined) return { answer, redirectTo: undefined };
    const target = new URL(authReturnUrl);
    for (const name of ['provider', 'state', 'confirmation'] as const) target.searchParams.set(name, answer[name]);
    return { answer, redirectTo: target.toString() };
  }

  async confirm(provider: OAuthProvider, state: string, userId: string, confirmation: string): Promise<LinkedAccount> {
    requireProvider(this.config, this.tokens, provider);
    const flow = await this.states.confirm(provider, state, userId, confirmation);
    return linkAccount(this.config, this.tokens, provider, flow);
  }

  /** A developer token for MusicKit JS (shared by every user, cached until near expiry). */
  async appleDeveloperToken(): Promise<{ token: string; expiresAtMs: number }> {
    const apple = appleOptions(this.config);
    if (!apple) throw notConfigured(APPLE_SETTINGS);
    return apple.developerToken.get();
  }

  async connectApple(userId: string, musicUserToken: string): Promise<AppleConnection> {
    const apple = appleOptions(this.config);
    if (!apple) throw notConfigured(APPLE_SETTINGS);
    this.tokens.cipherKey();
    // Proves the token before keeping it: a refused one is 401 INVALID_CREDENTIALS now, not a failed job later.
    const storefront = await new AppleMusicApi(apple, musicUserToken).storefront();
    await this.tokens.put('apple_music', userId, { music_user_token: musicUserToken, storefront }, APPLE_TOKEN_TTL_SECONDS);
    return { connected: 'apple_music', user_id: userId, storefront };
  }

  async disconnect(provider: Provider, userId: string): Promise<void> {
    await this.tokens.delete(provider, userId);
  }
}
