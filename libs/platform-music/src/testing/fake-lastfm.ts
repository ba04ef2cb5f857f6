import { lastfmSignature } from '../sources/lastfm.js';
import { sendJson } from '@platform/testing';
import { startFakeServer, type FakeServer } from './fake-server.js';

export interface FakeLastfmOptions {
  apiKey: string;
  apiSecret: string;
  /** Scrobbles the user has (unix seconds), newest first as Last.fm lists them. */
  scrobbles: { uts: number; track: string; artist: string; album?: string }[];
  /** Tokens that auth.getSession accepts, with the session they give. */
  tokens?: Record<string, { name: string; key: string }>;
  /** Session keys user.getRecentTracks accepts when signed. */
  sessionKeys?: string[];
  /** Answer the n-th recent-tracks request (1-based) with this status first (429 carries Retry-After: 0). */
  failures?: Record<number, number>;
}

/**
 * Speaks Last.fm's API 2.0 as documented: `?method=...&format=json`, MD5 `api_sig` on signed methods,
 * `{error, message}` bodies, user.getRecentTracks paging with `@attr.totalPages` and a now-playing entry.
 */
export function startFakeLastfm(options: FakeLastfmOptions): Promise<FakeServer> {
  let recentCalls = 0;
  return startFakeServer(({ url }, response) => {
    const params = Object.fromEntries(url.searchParams);
    const fail = (status: number, error: number, message: string) => {
      sendJson(response, status, { error, message });
    };
    if (params.api_key !== options.apiKey) {
      fail(403, 10, 'Invalid API key - You must be granted a valid key by last.fm');
      return;
    }
    if (params.api_sig !== undefined) {
      const { api_sig: signature, ...signed } = params;
      if (lastfmSignature(signed, options.apiSecret) !== signature) {
        fail(403, 13, 'Invalid method signature supplied');
        return;
      }
    }
    if (params.method === 'auth.getSession') {
      if (params.api_sig === undefined) {
        fail(403, 13, 'Invalid method signature supplied');
        return;
      }
      const session = options.tokens?.[params.token ?? ''];
      if (!session) {
        fail(403, 4, 'Invalid authentication token supplied');
        return;
      }
      sendJson(response, 200, { session: { ...session, subscriber: 0 } });
      return;
    }
    if (params.method === 'user.getRecentTracks') {
      recentCalls++;
      const failure = options.failures?.[recentCalls];
      if (failure !== undefined) {
        if (failure === 429) response.setHeader('retry-after', '0');
        sendJson(response, failure, { error: 29, message: 'Rate limit exceeded' });
        return;
      }
      if (params.sk !== undefined && !(options.sessionKeys ?? []).includes(params.sk)) {
        fail(403, 9, 'Invalid session key - Please re-authenticate');
        return;
      }
      const from = Number(params.from ?? 0);
      const to = Number(params.to ?? Number.MAX_SAFE_INTEGER);
      const limit = Math.min(200, Number(params.limit ?? 50));
      const page = Number(params.page ?? 1);
      const matching = options.scrobbles.filter((s) => s.uts >= from && s.uts <= to);
      const totalPages = Math.max(1, Math.ceil(matching.length / limit));
      const entry = (s: { uts: number; track: string; artist: string; album?: string }) => ({
        artist: { mbid: '', '#text': s.artist },
        streamable: '0',
        image: [],
        mbid: '',
        album: { mbid: '', '#text': s.album ?? '' },
        name: s.track,
        url: 'https://www.last.fm/music/x',
        date: { uts: String(s.uts), '#text': new Date(s.uts * 1000).toUTCString() },
      });
      const tracks: unknown[] = matching.slice((page - 1) * limit, page * limit).map(entry);
      if (page === 1)
        tracks.unshift({
          artist: { '#text': 'Now' },
          name: 'Playing',
          album: { '#text': '' },
          '@attr': { nowplaying: 'true' },
        });
      sendJson(response, 200, {
        recenttracks: {
          track: tracks,
          '@attr': {
            user: params.user,
            totalPages: String(totalPages),
            page: String(page),
            perPage: String(limit),
            total: String(matching.length),
          },
        },
      });
      return;
    }
    fail(400, 3, 'Invalid Method - No method with that name in this package');
  });
}
