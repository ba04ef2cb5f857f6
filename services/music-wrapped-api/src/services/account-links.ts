import { AppError } from '@platform/core';
import { exchangeSpotifyCode } from '@platform/music';
import type { Config } from '../config.js';
import { LASTFM_TOKEN_TTL_SECONDS, lastfmClient, SPOTIFY_TOKEN_TTL_SECONDS, spotifyOptions } from './live-sources.js';
import type { AuthorizedFlow, OAuthProvider } from './oauth-states.js';
import type { TokenStore } from './token-store.js';

export interface LinkedAccount {
  connected: OAuthProvider;
  user_id: string;
  account?: string;
}

const SETTINGS: Record<OAuthProvider, string> = {
  spotify: 'Spotify (SPOTIFY_CLIENT_ID, SPOTIFY_REDIRECT_URI)',
  lastfm: 'Last.fm (LASTFM_API_KEY, LASTFM_API_SECRET, LASTFM_CALLBACK_URL)',
};

export const notConfigured = (what: string) => new AppError('SERVICE_UNAVAILABLE', `${what} is not configured on this server`);

/** 503 unless the provider's flow can run here: its settings, and the token key (tokens could not be stored otherwise). */
export function requireProvider(config: Config, tokens: TokenStore, provider: OAuthProvider): void {
  const ready =
    provider === 'spotify'
      ? spotifyOptions(config) !== undefined && config.spotify.redirectUri !== undefined
      : lastfmClient(config) !== undefined && config.lastfm.callbackUrl !== undefined;
  if (!ready) throw notConfigured(SETTINGS[provider]);
  tokens.cipherKey();
}

/** Turns a confirmed flow's grant into tokens (Spotify's code + PKCE verifier, Last.fm's token) and stores them sealed. */
export async function linkAccount(
  config: Config,
  tokens: TokenStore,
  provider: OAuthProvider,
  flow: AuthorizedFlow,
): Promise<LinkedAccount> {
  const spotify = spotifyOptions(config);
  const redirectUri = config.spotify.redirectUri;
  if (provider === 'spotify' && spotify && redirectUri) {
    const fresh = await exchangeSpotifyCode(spotify, { code: flow.grant, redirectUri, verifier: flow.verifier ?? '' });
    await tokens.put('spotify', flow.user_id, fresh, SPOTIFY_TOKEN_TTL_SECONDS);
    return { connected: 'spotify', user_id: flow.user_id };
  }
  const lastfm = lastfmClient(config);
  if (provider === 'lastfm' && lastfm) {
    const session = await lastfm.session(flow.grant);
    await tokens.put('lastfm', flow.user_id, { session_key: session.key, username: session.name }, LASTFM_TOKEN_TTL_SECONDS);
    return { connected: 'lastfm', user_id: flow.user_id, account: session.name };
  }
  throw notConfigured(SETTINGS[provider]);
}
