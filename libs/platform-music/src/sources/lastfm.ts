import { AppError, HttpClient } from '@platform/core';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CredentialsError } from '../errors.js';
import { callUpstream } from './upstream.js';
import type { HistorySource, PlayRecord } from '../model.js';

export interface LastfmOptions {
  /** `https://ws.audioscrobbler.com/2.0/` in production. */
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  retry?: { retries?: number; baseDelayMs?: number };
}

/** Last.fm's signature: parameters sorted by name, name+value concatenated, the secret appended, MD5. */
export function lastfmSignature(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'format' && name !== 'callback')
    .sort()
    .map((name) => `${name}${params[name] ?? ''}`)
    .join('');
  return createHash('md5')
    .update(text + secret, 'utf8')
    .digest('hex');
}

/** Error codes that mean the key or session is no good (https://www.last.fm/api/errorcodes). */
const CREDENTIAL_ERRORS = new Set([4, 9, 10, 14, 15, 26]);

/** Last.fm's documented meanings, said in our words: its own message is never passed on. */
const ERROR_MEANINGS: Record<number, string> = {
  4: 'Invalid authentication token',
  9: 'Invalid session key',
  10: 'Invalid API key',
  11: 'Service offline',
  13: 'Invalid method signature',
  14: 'Token not authorized',
  15: 'Token expired',
  16: 'Temporarily unavailable',
  26: 'API key suspended',
  29: 'Rate limit exceeded',
};

/** Last.fm answers an error as `{error, message}`, with HTTP 200 as often as not. */
const ErrorAnswer = z.object({ error: z.number() });

const SessionAnswer = z.object({ session: z.object({ key: z.string(), name: z.string() }) });

const Track = z.object({
  name: z.string().optional(),
  mbid: z.string().optional(),
  artist: z.object({ '#text': z.string().optional(), name: z.string().optional() }).optional(),
  album: z.object({ '#text': z.string().optional() }).optional(),
  date: z.object({ uts: z.string().optional() }).optional(),
  '@attr': z.object({ nowplaying: z.string().optional() }).optional(),
});
type Track = z.infer<typeof Track>;

/** One page of user.getRecentTracks; a single scrobble comes as an object, not a list of one. */
const RecentTracksAnswer = z.object({
  recenttracks: z.object({
    track: z.union([Track, z.array(Track)]).optional(),
    '@attr': z.object({ totalPages: z.string().optional() }).optional(),
  }),
});

export class LastfmClient {
  private readonly http: HttpClient;

  constructor(private readonly options: LastfmOptions) {
    this.http = new HttpClient({
      baseUrl: options.apiUrl,
      timeoutMs: 20_000,
      retry: { retries: 4, baseDelayMs: 500, ...options.retry },
    });
  }

  /**
   * Calls a method (signed ones carry `api_sig`) and reads its answer with `schema`: an error answer is
   * thrown (refused credentials as CredentialsError), an answer of another shape is a 502.
   */
  async call<S extends z.ZodType>(
    method: string,
    params: Record<string, string>,
    schema: S,
    options: { signed?: boolean; signal?: AbortSignal } = {},
  ): Promise<z.output<S>> {
    const query: Record<string, string> = { method, api_key: this.options.apiKey, ...params };
    if (options.signed) query.api_sig = lastfmSignature(query, this.options.apiSecret);
    query.format = 'json';
    const body = await callUpstream(
      'Last.fm',
      async (): Promise<unknown> => {
        const response = await this.http.request('', {
          query,
          acceptStatus: [400, 403],
          ...(options.signal && { signal: options.signal }),
        });
        return response.json();
      },
      options.signal,
    );
    const failure = ErrorAnswer.safeParse(body);
    if (failure.success) {
      const code = failure.data.error;
      const message = `Last.fm ${method}: ${ERROR_MEANINGS[code] ?? 'failed'} (error ${String(code)})`;
      if (CREDENTIAL_ERRORS.has(code)) throw new CredentialsError(message);
      throw new AppError('EXTERNAL_SERVICE_ERROR', message);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new AppError('EXTERNAL_SERVICE_ERROR', `Last.fm ${method} answered in an unexpected form`);
    return parsed.data;
  }

  /** The web auth flow's last step: a token from the callback becomes a session key. */
  async session(token: string): Promise<{ key: string; name: string }> {
    const { session } = await this.call('auth.getSession', { token }, SessionAnswer, { signed: true });
    return { key: session.key, name: session.name };
  }

  /** Every scrobble of a user between two instants, page by page (200 each), skipping now-playing. */
  async *recentTracks(
    user: string,
    range: { fromMs: number; toMs: number },
    options: { sessionKey?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<PlayRecord> {
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page++) {
      const params: Record<string, string> = {
        user,
        from: String(Math.floor(range.fromMs / 1000)),
        to: String(Math.ceil(range.toMs / 1000)),
        limit: '200',
        page: String(page),
      };
      if (options.sessionKey) params.sk = options.sessionKey;
      const { recenttracks: recent } = await this.call('user.getRecentTracks', params, RecentTracksAnswer, {
        signed: options.sessionKey !== undefined,
        ...(options.signal && { signal: options.signal }),
      });
      totalPages = Number(recent['@attr']?.totalPages ?? '1') || 1;
      const tracks = recent.track === undefined ? [] : Array.isArray(recent.track) ? recent.track : [recent.track];
      for (const track of tracks) {
        const play = decodeScrobble(track);
        if (play) yield play;
      }
    }
  }
}

function decodeScrobble(track: Track): PlayRecord | undefined {
  if (track['@attr']?.nowplaying === 'true' || track.date?.uts === undefined) return undefined;
  const artist = track.artist?.['#text'] ?? track.artist?.name;
  if (!track.name || !artist) return undefined;
  const album = track.album?.['#text'];
  return {
    service: 'lastfm',
    played_at_ms: Number(track.date.uts) * 1000,
    track: track.name,
    artists: [artist],
    ...(album ? { album } : {}),
    ids: track.mbid ? { lastfm: track.mbid } : {},
  };
}

/** A connected Last.fm account as a history source. */
export class LastfmSource implements HistorySource {
  readonly service = 'lastfm' as const;

  constructor(
    private readonly client: LastfmClient,
    private readonly user: string,
    private readonly sessionKey?: string,
  ) {}

  plays(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncIterable<PlayRecord> {
    return this.client.recentTracks(this.user, range, {
      ...(this.sessionKey && { sessionKey: this.sessionKey }),
      ...(signal && { signal }),
    });
  }
}
