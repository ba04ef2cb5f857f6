import { CredentialsError, LastfmClient, LastfmSource, SpotifyApi, SpotifySource, type HistorySource, type SpotifyOptions } from '@platform/music';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { TokenStore } from './token-store.js';

export const SPOTIFY_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;
export const LASTFM_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;

const SpotifyStored = z.object({ access_token: z.string(), refresh_token: z.string(), expires_at: z.number() });
const LastfmStored = z.object({ session_key: z.string(), username: z.string() });

export function spotifyOptions(config: Config): SpotifyOptions | undefined {
  const { clientId, accountsUrl, apiUrl } = config.spotify;
  return clientId ? { clientId, accountsUrl, apiUrl } : undefined;
}

export function lastfmClient(config: Config): LastfmClient | undefined {
  const { apiKey, apiSecret, apiUrl } = config.lastfm;
  return apiKey && apiSecret ? new LastfmClient({ apiKey, apiSecret, apiUrl }) : undefined;
}

/** Builds the live history source of a user's connected account from the stored (encrypted) tokens. */
export function liveSources(config: Config, tokens: TokenStore) {
  return async (service: 'lastfm' | 'spotify', userId: string): Promise<HistorySource> => {
    const stored = await tokens.get(service, userId);
    if (!stored) throw new CredentialsError(`no connected ${service} account`);
    if (service === 'lastfm') {
      const client = lastfmClient(config);
      if (!client) throw new CredentialsError('Last.fm is not configured on this server');
      const session = LastfmStored.parse(stored);
      return new LastfmSource(client, session.username, session.session_key);
    }
    const options = spotifyOptions(config);
    if (!options) throw new CredentialsError('Spotify is not configured on this server');
    const api = new SpotifyApi(options, SpotifyStored.parse(stored), (fresh) => tokens.put('spotify', userId, fresh, SPOTIFY_TOKEN_TTL_SECONDS));
    return new SpotifySource(api);
  };
}
