import {
  AppleDeveloperToken,
  AppleMusicApi,
  AppleMusicSource,
  CredentialsError,
  LastfmClient,
  LastfmSource,
  SpotifyApi,
  SpotifySource,
  type AppleMusicOptions,
  type HistorySource,
  type SpotifyOptions,
} from '@platform/music';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Provider, TokenStore } from './token-store.js';

export const SPOTIFY_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;
export const LASTFM_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;
/** Music User Tokens last about six months and cannot be refreshed: the user hands over a new one. */
export const APPLE_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;

const SpotifyStored = z.object({ access_token: z.string(), refresh_token: z.string(), expires_at: z.number() });
const LastfmStored = z.object({ session_key: z.string(), username: z.string() });
const AppleStored = z.object({ music_user_token: z.string(), storefront: z.string() });

/** What is sealed in the token store per provider. */
export const STORED_TOKENS = { spotify: SpotifyStored, lastfm: LastfmStored, apple_music: AppleStored } as const;

export function spotifyOptions(config: Config): SpotifyOptions | undefined {
  const { clientId, accountsUrl, apiUrl } = config.spotify;
  return clientId ? { clientId, accountsUrl, apiUrl } : undefined;
}

export function lastfmClient(config: Config): LastfmClient | undefined {
  const { apiKey, apiSecret, apiUrl } = config.lastfm;
  return apiKey && apiSecret ? new LastfmClient({ apiKey, apiSecret, apiUrl }) : undefined;
}

// One developer token serves every user, so one signer (and its cache) per configuration.
const appleSigners = new WeakMap<Config, AppleDeveloperToken>();

export function appleOptions(config: Config): AppleMusicOptions | undefined {
  const { credentials, apiUrl, tokenTtlSeconds } = config.apple;
  if (!credentials) return undefined;
  let developerToken = appleSigners.get(config);
  if (!developerToken) {
    developerToken = new AppleDeveloperToken({ ...credentials, lifetimeSeconds: tokenTtlSeconds });
    appleSigners.set(config, developerToken);
  }
  return { apiUrl, developerToken };
}

/** Builds the live history source of a user's connected account from the stored (encrypted) tokens. */
export function liveSources(config: Config, tokens: TokenStore) {
  const missing = (service: Provider) => new CredentialsError(`no connected ${service} account`);
  return async (service: Provider, userId: string): Promise<HistorySource> => {
    if (service === 'lastfm') {
      const client = lastfmClient(config);
      if (!client) throw new CredentialsError('Last.fm is not configured on this server');
      const session = await tokens.get(service, userId, LastfmStored);
      if (!session) throw missing(service);
      return new LastfmSource(client, session.username, session.session_key);
    }
    if (service === 'apple_music') {
      const options = appleOptions(config);
      if (!options) throw new CredentialsError('Apple Music is not configured on this server');
      const stored = await tokens.get(service, userId, AppleStored);
      if (!stored) throw missing(service);
      return new AppleMusicSource(new AppleMusicApi(options, stored.music_user_token));
    }
    const options = spotifyOptions(config);
    if (!options) throw new CredentialsError('Spotify is not configured on this server');
    const stored = await tokens.get(service, userId, SpotifyStored);
    if (!stored) throw missing(service);
    const api = new SpotifyApi(options, stored, (fresh) => tokens.put('spotify', userId, fresh, SPOTIFY_TOKEN_TTL_SECONDS));
    return new SpotifySource(api);
  };
}
