import { jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { sendJson } from '@platform/testing';
import { startFakeServer, type FakeServer } from './fake-server.js';

export interface FakeAppleTrack {
  id: string;
  name: string;
  artist: string;
  album?: string;
  duration_ms: number;
  /** A library song (`library-songs`, id `i.…`, catalog id in playParams) rather than a catalog song. */
  library?: boolean;
}

export interface FakeAppleMusicOptions {
  teamId: string;
  keyId: string;
  /** The public half of the MusicKit key that signs developer tokens. */
  publicKey: CryptoKey | KeyObject;
  /** Music User Tokens the service accepts. */
  userTokens: string[];
  /** The user's recently played tracks, newest first. */
  tracks: FakeAppleTrack[];
  /** Answer the n-th recent-tracks request (1-based) with 429 and Retry-After: 0 first. */
  rateLimitOn?: number[];
}

const MAX_LIMIT = 30;

const errors = (status: number, title: string, detail: string) => ({
  errors: [{ id: `FAKE${status}`, title, detail, status: String(status), code: `${status}00` }],
});

/**
 * Speaks the Apple Music API's user endpoints as documented: `Authorization: Bearer <developer token>`
 * (an ES256 JWT with `kid`, `iss` = team id and `exp`, checked against the public key), the
 * `Music-User-Token` header, `GET /v1/me/recent/played/tracks` (limit 1..30, offset, `next`) and
 * `GET /v1/me/storefront`; errors as `{errors: [...]}`, 401 for the developer token, 403 for the user's.
 */
export function startFakeAppleMusic(options: FakeAppleMusicOptions): Promise<FakeServer> {
  let recentCalls = 0;
  return startFakeServer(async ({ url, headers }, response) => {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const verify = { algorithms: ['ES256'], issuer: options.teamId, requiredClaims: ['exp', 'iat'] };
    const verified = bearer
      ? // A token that does not verify (bad signature, expired, wrong issuer) gets Apple's 401 below.
        await jwtVerify(bearer, options.publicKey, verify).catch(() => undefined)
      : undefined;
    if (verified?.protectedHeader.kid !== options.keyId) {
      sendJson(response, 401, errors(401, 'Unauthorized', 'Invalid developer token'));
      return;
    }
    const userToken = headers['music-user-token'];
    if (typeof userToken !== 'string' || !options.userTokens.includes(userToken)) {
      sendJson(response, 403, errors(403, 'Forbidden', 'Invalid or expired music user token'));
      return;
    }
    if (url.pathname === '/v1/me/storefront') {
      sendJson(response, 200, {
        data: [
          {
            id: 'us',
            type: 'storefronts',
            href: '/v1/storefronts/us',
            attributes: { name: 'United States' },
          },
        ],
      });
      return;
    }
    if (url.pathname === '/v1/me/recent/played/tracks') {
      recentCalls++;
      if (options.rateLimitOn?.includes(recentCalls)) {
        response.setHeader('retry-after', '0');
        sendJson(response, 429, errors(429, 'Too Many Requests', 'Rate limit exceeded'));
        return;
      }
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || !Number.isInteger(offset) || offset < 0) {
        sendJson(response, 400, errors(400, 'Invalid Parameter Value', `limit must be 1..${MAX_LIMIT}`));
        return;
      }
      const page = options.tracks.slice(offset, offset + limit);
      const more = offset + limit < options.tracks.length;
      sendJson(response, 200, {
        ...(more && { next: `/v1/me/recent/played/tracks?offset=${offset + limit}` }),
        data: page.map((track) => ({
          id: track.library ? `i.${track.id}` : track.id,
          type: track.library ? 'library-songs' : 'songs',
          href: track.library ? `/v1/me/library/songs/i.${track.id}` : `/v1/catalog/us/songs/${track.id}`,
          attributes: {
            name: track.name,
            artistName: track.artist,
            ...(track.album !== undefined && { albumName: track.album }),
            durationInMillis: track.duration_ms,
            genreNames: ['Pop'],
            trackNumber: 1,
            playParams: track.library
              ? { id: `i.${track.id}`, kind: 'song', isLibrary: true, catalogId: track.id }
              : { id: track.id, kind: 'song' },
          },
        })),
        meta: { total: options.tracks.length },
      });
      return;
    }
    sendJson(response, 404, errors(404, 'Resource Not Found', 'No such endpoint'));
  });
}
