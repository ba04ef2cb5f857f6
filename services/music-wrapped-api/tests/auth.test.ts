import { startFakeLastfm, startFakeSpotify, type FakeServer } from '@platform/music/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, headers, startDataBank, startService, type DataBankProcess, type Harness } from './helpers.js';

let bank: DataBankProcess;
let service: Harness;
let lastfm: FakeServer;
let spotify: FakeServer & { refreshes: () => number };
const codes: Record<string, { challenge: string; redirectUri: string }> = {};
const REDIRECT = 'http://127.0.0.1:9/v1/auth/spotify/callback';

beforeAll(async () => {
  const scrobbles = Array.from({ length: 250 }, (_, i) => ({ uts: Date.parse('2023-06-01T00:00:00Z') / 1000 + i * 7200, track: `T${i % 5}`, artist: `A${i % 3}` }));
  lastfm = await startFakeLastfm({ apiKey: 'lf-key', apiSecret: 'lf-secret', scrobbles, tokens: { 'lf-token': { name: 'alice', key: 'lf-session' } }, sessionKeys: ['lf-session'] });
  spotify = await startFakeSpotify({ clientId: 'sp-client', codes, plays: [] });
  bank = await startDataBank();
  service = await startService(bank.client, {
    SPOTIFY_CLIENT_ID: 'sp-client',
    SPOTIFY_REDIRECT_URI: REDIRECT,
    SPOTIFY_ACCOUNTS_URL: spotify.url,
    SPOTIFY_API_URL: spotify.url,
    LASTFM_API_KEY: 'lf-key',
    LASTFM_API_SECRET: 'lf-secret',
    LASTFM_API_URL: `${lastfm.url}/2.0/`,
    LASTFM_AUTH_URL: 'https://www.last.fm/api/auth/',
    LASTFM_CALLBACK_URL: 'http://127.0.0.1:9/v1/auth/lastfm/callback',
  });
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
  await lastfm.close();
  await spotify.close();
});

const post = (path: string, user = '42') => fetch(`${service.url}${path}`, { method: 'POST', headers: headers(user) });

describe('Last.fm web auth', () => {
  it('connects an account through state and a signed auth.getSession, then builds a report from it', async () => {
    const start = (await (await post('/v1/auth/lastfm/start')).json()) as { authorize_url: string; state: string };
    const authorize = new URL(start.authorize_url);
    expect(authorize.searchParams.get('api_key')).toBe('lf-key');
    const callback = new URL(authorize.searchParams.get('cb') ?? '');
    expect(callback.searchParams.get('state')).toBe(start.state);

    const done = await fetch(`${service.url}/v1/auth/lastfm/callback?state=${start.state}&token=lf-token`);
    expect(await done.json()).toEqual({ connected: 'lastfm', user_id: '42', account: 'alice' });
    const replay = await fetch(`${service.url}/v1/auth/lastfm/callback?state=${start.state}&token=lf-token`);
    expect(replay.status).toBe(400);
    const stored = await service.redis.get(`${service.namespace}token:lastfm:42`);
    expect(stored).not.toBeNull();
    expect(Buffer.from(stored ?? '', 'base64').toString('latin1')).not.toContain('lf-session');
    expect(await service.redis.ttl(`${service.namespace}token:lastfm:42`)).toBeGreaterThan(0);

    const job = await fetch(`${service.url}/v1/wrapped`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2023, time_zone: 'UTC', sources: [{ service: 'lastfm', live: true }] }),
    });
    expect(job.status).toBe(202);
    const { job_id } = (await job.json()) as { job_id: string };
    let status: { status: string; result: { plays: number } | null } = { status: 'queued', result: null };
    for (let i = 0; i < 200 && status.status !== 'completed' && status.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await (await fetch(`${service.url}/v1/wrapped/${job_id}`, { headers: headers() })).json()) as typeof status;
    }
    expect(status.status).toBe('completed');
    expect(status.result?.plays).toBe(250);
  });

  it('rejects a callback with an unknown state or a token Last.fm refuses', async () => {
    expect((await fetch(`${service.url}/v1/auth/lastfm/callback?state=forged&token=lf-token`)).status).toBe(400);
    const start = (await (await post('/v1/auth/lastfm/start', '7')).json()) as { state: string };
    const refused = await fetch(`${service.url}/v1/auth/lastfm/callback?state=${start.state}&token=bad`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});

describe('Spotify authorization code with PKCE', () => {
  it('connects through state and the PKCE exchange and stores the tokens sealed', async () => {
    const start = (await (await post('/v1/auth/spotify/start')).json()) as { authorize_url: string; state: string };
    const authorize = new URL(start.authorize_url);
    expect(authorize.origin + authorize.pathname).toBe(`${spotify.url}/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT);
    codes['code-ok'] = { challenge: authorize.searchParams.get('code_challenge') ?? '', redirectUri: REDIRECT };

    const denied = await fetch(`${service.url}/v1/auth/spotify/callback?state=${start.state}&error=access_denied`);
    expect(denied.status).toBe(400);
    const again = (await (await post('/v1/auth/spotify/start')).json()) as { authorize_url: string; state: string };
    codes['code-2'] = { challenge: new URL(again.authorize_url).searchParams.get('code_challenge') ?? '', redirectUri: REDIRECT };
    const done = await fetch(`${service.url}/v1/auth/spotify/callback?state=${again.state}&code=code-2`);
    expect(await done.json()).toEqual({ connected: 'spotify', user_id: '42' });
    const raw = await service.redis.get(`${service.namespace}token:spotify:42`);
    expect(Buffer.from(raw ?? '', 'base64').toString('latin1')).not.toContain('refresh-');

    const forget = await fetch(`${service.url}/v1/auth/spotify`, { method: 'DELETE', headers: headers() });
    expect(forget.status).toBe(204);
    expect(await service.redis.exists(`${service.namespace}token:spotify:42`)).toBe(0);
  });

  it('needs the API key and a user to start', async () => {
    expect((await fetch(`${service.url}/v1/auth/spotify/start`, { method: 'POST', headers: { 'x-user-id': '1' } })).status).toBe(401);
    expect((await fetch(`${service.url}/v1/auth/spotify/start`, { method: 'POST', headers: { 'x-api-key': API_KEY } })).status).toBe(401);
  });
});

describe('without MUSIC_TOKEN_KEY', () => {
  it('answers 503 instead of starting a flow whose tokens could not be stored', async () => {
    const bare = await startService(bank.client, { MUSIC_TOKEN_KEY: '', LASTFM_API_KEY: 'k', LASTFM_API_SECRET: 's', LASTFM_CALLBACK_URL: 'http://x/cb' });
    try {
      const response = await fetch(`${bare.url}/v1/auth/lastfm/start`, { method: 'POST', headers: headers() });
      expect(response.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
