import { createHash } from 'node:crypto';
import { sendJson } from '@platform/testing';
import { startFakeServer, type FakeServer } from './fake-server.js';

export interface FakeSpotifyOptions {
  clientId: string;
  /** Codes the authorize step handed out, with the PKCE challenge and redirect URI they were issued for. */
  codes: Record<string, { challenge: string; redirectUri: string }>;
  /** Plays, newest first: played_at is when the play ended (ISO). */
  plays: { played_at: string; id: string; name: string; artist: string; duration_ms: number }[];
  /** The access token the first code exchange gives; the API refuses it (401) to force a refresh. */
  expiredAccessToken?: boolean;
  /** Answer the n-th recently-played request (1-based) with 429 and Retry-After: 0 first. */
  rateLimitOn?: number[];
}

/**
 * Speaks the Spotify accounts service (`POST /api/token`: authorization_code with PKCE, refresh_token)
 * and the Web API's `GET /v1/me/player/recently-played` (cursor paging with `before`) and `/v1/me/top`.
 */
export function startFakeSpotify(options: FakeSpotifyOptions): Promise<FakeServer & { refreshes: () => number }> {
  let refreshes = 0;
  let issued = 0;
  let recentCalls = 0;
  const valid = new Set<string>();
  const used = new Set<string>();
  const refreshTokens = new Set<string>();
  return startFakeServer(({ method, url, body, headers }, response) => {
    if (method === 'POST' && url.pathname === '/api/token') {
      const form = new URLSearchParams(body);
      if (
        headers['content-type'] !== 'application/x-www-form-urlencoded;charset=UTF-8' &&
        headers['content-type'] !== 'application/x-www-form-urlencoded'
      ) {
        sendJson(response, 400, { error: 'invalid_request', error_description: 'form body required' });
        return;
      }
      if (form.get('client_id') !== options.clientId) {
        sendJson(response, 400, { error: 'invalid_client' });
        return;
      }
      if (form.get('grant_type') === 'authorization_code') {
        const codeName = form.get('code') ?? '';
        const code = used.has(codeName) ? undefined : options.codes[codeName];
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!code || code.challenge !== challenge || code.redirectUri !== form.get('redirect_uri')) {
          sendJson(response, 400, {
            error: 'invalid_grant',
            error_description: 'Invalid authorization code',
          });
          return;
        }
        used.add(codeName);
        const access = `access-${++issued}`;
        if (!options.expiredAccessToken) valid.add(access);
        const refresh = `refresh-${issued}`;
        refreshTokens.add(refresh);
        sendJson(response, 200, {
          access_token: access,
          token_type: 'Bearer',
          scope: 'user-read-recently-played user-top-read',
          expires_in: 3600,
          refresh_token: refresh,
        });
        return;
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token') ?? '')) {
          sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
          return;
        }
        refreshes++;
        const access = `access-${++issued}`;
        valid.add(access);
        sendJson(response, 200, {
          access_token: access,
          token_type: 'Bearer',
          scope: 'user-read-recently-played user-top-read',
          expires_in: 3600,
        });
        return;
      }
      sendJson(response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!token || !valid.has(token)) {
      sendJson(response, 401, { error: { status: 401, message: 'The access token expired' } });
      return;
    }
    if (url.pathname === '/v1/me/player/recently-played') {
      recentCalls++;
      if (options.rateLimitOn?.includes(recentCalls)) {
        response.setHeader('retry-after', '0');
        sendJson(response, 429, { error: { status: 429, message: 'API rate limit exceeded' } });
        return;
      }
      if (url.searchParams.has('before') && url.searchParams.has('after')) {
        sendJson(response, 400, { error: { status: 400, message: 'only one of before or after' } });
        return;
      }
      const limit = Math.min(50, Number(url.searchParams.get('limit') ?? 20));
      const before = Number(url.searchParams.get('before') ?? Number.MAX_SAFE_INTEGER);
      const page = options.plays.filter((play) => Date.parse(play.played_at) < before).slice(0, limit);
      const last = page.at(-1);
      sendJson(response, 200, {
        items: page.map((play) => ({
          track: {
            id: play.id,
            name: play.name,
            duration_ms: play.duration_ms,
            artists: [{ name: play.artist, id: 'a' }],
            album: { name: 'Album' },
          },
          played_at: play.played_at,
          context: null,
        })),
        next: null,
        cursors: last
          ? {
              after: String(Date.parse(page[0]?.played_at ?? '')),
              before: String(Date.parse(last.played_at)),
            }
          : null,
        limit,
      });
      return;
    }
    if (url.pathname.startsWith('/v1/me/top/')) {
      sendJson(response, 200, {
        items: [{ name: options.plays[0]?.artist ?? 'none' }],
        total: 1,
        limit: 50,
        offset: 0,
      });
      return;
    }
    sendJson(response, 404, { error: { status: 404, message: 'Service not found' } });
  }).then((server) => ({ ...server, refreshes: () => refreshes }));
}
