import { afterEach, describe, expect, it } from 'vitest';
import {
  CredentialsError,
  exchangeSpotifyCode,
  LastfmClient,
  LastfmSource,
  lastfmSignature,
  pkcePair,
  SpotifyApi,
  spotifyAuthorizeUrl,
  SpotifySource,
  type PlayRecord,
  type SpotifyTokens,
} from '../src/index.js';
import { sendJson } from '@platform/testing';
import { startFakeLastfm, startFakeServer, startFakeSpotify, type FakeServer } from '../src/testing/index.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function all(plays: AsyncIterable<PlayRecord>): Promise<PlayRecord[]> {
  const out: PlayRecord[] = [];
  for await (const play of plays) out.push(play);
  return out;
}

const YEAR = { fromMs: Date.parse('2023-01-01T00:00:00Z'), toMs: Date.parse('2024-01-01T00:00:00Z') };

describe('Last.fm', () => {
  const scrobbles: { uts: number; track: string; artist: string; album?: string }[] = Array.from({ length: 450 }, (_, i) => ({
    uts: Date.parse('2023-12-31T00:00:00Z') / 1000 - i * 3600,
    track: `T${i % 9}`,
    artist: `A${i % 4}`,
    album: 'LP',
  }));
  scrobbles.push({ uts: Date.parse('2022-06-01T00:00:00Z') / 1000, track: 'Old', artist: 'Past' });

  it('signs like Last.fm: sorted name+value pairs, secret appended, format left out', () => {
    // md5("api_keykmethodauth.getSessiontokent" + "s")
    expect(lastfmSignature({ method: 'auth.getSession', token: 't', api_key: 'k', format: 'json' }, 's')).toBe(
      '4b1fe62eb056c03672443be528ff2633',
    );
  });

  it('reads every page of the year with retries on 429 and 5xx, skipping now-playing', async () => {
    const server = await startFakeLastfm({
      apiKey: 'key',
      apiSecret: 'secret',
      scrobbles,
      sessionKeys: ['sk'],
      failures: { 2: 429, 3: 503 },
    });
    servers.push(server);
    const client = new LastfmClient({
      apiUrl: `${server.url}/2.0/`,
      apiKey: 'key',
      apiSecret: 'secret',
      retry: { baseDelayMs: 1 },
    });
    const plays = await all(new LastfmSource(client, 'alice', 'sk').plays(YEAR));
    expect(plays).toHaveLength(450);
    expect(plays.some((play) => play.track === 'Playing' || play.track === 'Old')).toBe(false);
    expect(plays[0]).toEqual({
      service: 'lastfm',
      played_at_ms: Date.parse('2023-12-31T00:00:00Z'),
      track: 'T0',
      artists: ['A0'],
      album: 'LP',
      ids: {},
    });
    const recent = server.requests.filter((request) => request.url.searchParams.get('method') === 'user.getRecentTracks');
    expect(recent.map((request) => request.url.searchParams.get('page'))).toEqual(['1', '2', '2', '2', '3']); // page 2: 429, then 503, then served
    expect(recent[0]?.url.searchParams.get('limit')).toBe('200');
    expect(recent[0]?.url.searchParams.get('from')).toBe(String(YEAR.fromMs / 1000));
    expect(recent[0]?.url.searchParams.get('api_sig')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('turns a token into a session and reports refused credentials', async () => {
    const server = await startFakeLastfm({
      apiKey: 'key',
      apiSecret: 'secret',
      scrobbles,
      tokens: { tok: { name: 'alice', key: 'sk-1' } },
    });
    servers.push(server);
    const client = new LastfmClient({ apiUrl: `${server.url}/2.0/`, apiKey: 'key', apiSecret: 'secret' });
    expect(await client.session('tok')).toEqual({ key: 'sk-1', name: 'alice' });
    await expect(client.session('nope')).rejects.toBeInstanceOf(CredentialsError);
    const wrongSecret = new LastfmClient({ apiUrl: `${server.url}/2.0/`, apiKey: 'key', apiSecret: 'other' });
    await expect(wrongSecret.session('tok')).rejects.toMatchObject({
      code: 'EXTERNAL_SERVICE_ERROR',
      message: expect.stringContaining('Invalid method signature') as string,
    });
    await expect(all(new LastfmSource(client, 'alice', 'revoked').plays(YEAR))).rejects.toBeInstanceOf(CredentialsError);
  });

  it('answers 502 for an answer of another shape, naming the method but not the URL', async () => {
    const server = await startFakeServer(({ url }, response) => {
      const method = url.searchParams.get('method');
      sendJson(response, 200, method === 'auth.getSession' ? { session: { key: 7 } } : { recenttracks: { track: [{ name: 3 }] } });
    });
    servers.push(server);
    const client = new LastfmClient({ apiUrl: `${server.url}/2.0/`, apiKey: 'key', apiSecret: 'secret' });
    await expect(client.session('tok')).rejects.toMatchObject({
      status: 502,
      message: 'Last.fm auth.getSession answered in an unexpected form',
    });
    await expect(all(new LastfmSource(client, 'alice', 'sk').plays(YEAR))).rejects.toMatchObject({
      status: 502,
      message: 'Last.fm user.getRecentTracks answered in an unexpected form',
    });
  });
});

describe('Spotify', () => {
  const plays = Array.from({ length: 120 }, (_, i) => ({
    played_at: new Date(Date.parse('2023-12-30T12:00:00Z') - i * 600_000).toISOString(),
    id: `id${i % 10}`,
    name: `Song ${i % 10}`,
    artist: `Artist ${i % 3}`,
    duration_ms: 180_000,
  }));

  it('runs the PKCE code exchange, refreshes a refused token and pages recently-played', async () => {
    const { verifier, challenge } = pkcePair();
    const server = await startFakeSpotify({
      clientId: 'cid',
      codes: { 'code-1': { challenge, redirectUri: 'http://app/cb' } },
      plays,
      expiredAccessToken: true,
      rateLimitOn: [2],
    });
    servers.push(server);
    const options = {
      accountsUrl: server.url,
      apiUrl: server.url,
      clientId: 'cid',
      retry: { baseDelayMs: 1 },
    };
    const authorize = new URL(spotifyAuthorizeUrl(options, { redirectUri: 'http://app/cb', state: 'st', challenge }));
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: challenge,
      state: 'st',
      scope: 'user-read-recently-played user-top-read',
    });
    await expect(exchangeSpotifyCode(options, { code: 'code-1', redirectUri: 'http://app/cb', verifier: 'wrong' })).rejects.toBeInstanceOf(
      CredentialsError,
    );
    const tokens = await exchangeSpotifyCode(options, {
      code: 'code-1',
      redirectUri: 'http://app/cb',
      verifier,
    });
    expect(tokens.refresh_token).toBe('refresh-1');
    const saved: SpotifyTokens[] = [];
    const api = new SpotifyApi(options, tokens, (fresh) => {
      saved.push(fresh);
      return Promise.resolve();
    });
    const got = await all(
      new SpotifySource(api).plays({
        fromMs: Date.parse('2023-12-30T00:00:00Z'),
        toMs: Date.parse('2023-12-31T00:00:00Z'),
      }),
    );
    expect(got).toHaveLength(73); // plays that ended from 12:00 back to 00:00 on Dec 30, every 10 minutes
    expect(got[0]).toMatchObject({
      service: 'spotify',
      track: 'Song 0',
      artists: ['Artist 0'],
      duration_ms: 180_000,
      played_at_ms: Date.parse('2023-12-30T11:57:00Z'),
      ids: { spotify: 'spotify:track:id0' },
    });
    expect(server.refreshes()).toBe(1);
    expect(saved.map((fresh) => fresh.refresh_token)).toEqual(['refresh-1']);
    expect((await api.top('artists')).items[0]?.name).toBe('Artist 0');
  });

  it('reports a refresh token Spotify no longer accepts as bad credentials', async () => {
    const server = await startFakeSpotify({ clientId: 'cid', codes: {}, plays });
    servers.push(server);
    const api = new SpotifyApi(
      { accountsUrl: server.url, apiUrl: server.url, clientId: 'cid' },
      { access_token: 'x', refresh_token: 'gone', expires_at: 0 },
    );
    await expect(all(new SpotifySource(api).plays(YEAR))).rejects.toBeInstanceOf(CredentialsError);
  });

  it('answers 502, like Apple Music, when an answer does not have the documented shape', async () => {
    const server = await startFakeServer(({ url }, response) => {
      if (url.pathname === '/api/token') {
        sendJson(response, 200, { access_token: 'a', expires_in: 'soon' });
        return;
      }
      sendJson(response, 200, {
        items: [{ track: { name: 'no artists' }, played_at: '2023-06-01T00:00:00Z' }],
      });
    });
    servers.push(server);
    const options = { accountsUrl: server.url, apiUrl: server.url, clientId: 'cid' };
    await expect(exchangeSpotifyCode(options, { code: 'c', redirectUri: 'http://app/cb', verifier: 'v' })).rejects.toMatchObject({
      status: 502,
      message: 'Spotify answered in an unexpected form',
    });
    const api = new SpotifyApi(options, {
      access_token: 'a',
      refresh_token: 'r',
      expires_at: Date.now() + 3_600_000,
    });
    await expect(all(new SpotifySource(api).plays(YEAR))).rejects.toMatchObject({
      status: 502,
      message: 'Spotify /v1/me/player/recently-played answered in an unexpected form',
    });
  });
});
