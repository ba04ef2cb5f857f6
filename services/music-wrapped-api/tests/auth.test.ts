import { startFakeLastfm, startFakeServer, startFakeSpotify, type FakeServer } from '@platform/music/testing';
import { TokenStore } from '../src/services/token-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY,
  headers,
  lastfmEnv,
  SPOTIFY_REDIRECT,
  spotifyEnv,
  startDataBank,
  startService,
  type DataBankProcess,
  type Harness,
} from './helpers.js';

let bank: DataBankProcess;
let service: Harness;
let lastfm: FakeServer;
let spotify: FakeServer & { refreshes: () => number };
const codes: Record<string, { challenge: string; redirectUri: string }> = {};
const REDIRECT = SPOTIFY_REDIRECT;

beforeAll(async () => {
  const scrobbles = Array.from({ length: 250 }, (_, i) => ({
    uts: Date.parse('2023-06-01T00:00:00Z') / 1000 + i * 7200,
    track: `T${i % 5}`,
    artist: `A${i % 3}`,
  }));
  lastfm = await startFakeLastfm({
    apiKey: 'lf-key',
    apiSecret: 'lf-secret',
    scrobbles,
    tokens: { 'lf-token': { name: 'alice', key: 'lf-session' } },
    sessionKeys: ['lf-session'],
  });
  spotify = await startFakeSpotify({ clientId: 'sp-client', codes, plays: [] });
  bank = await startDataBank();
  service = await startService(bank.client, { ...spotifyEnv(spotify.url), ...lastfmEnv(lastfm.url) });
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
  await lastfm.close();
  await spotify.close();
});

const post = (path: string, user = '42', body?: unknown) =>
  fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { ...headers(user), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const get = (path: string) => fetch(`${service.url}${path}`);

interface Authorized {
  status: 'authorized';
  provider: string;
  state: string;
  confirmation: string;
}

/** The trusted caller starts a Last.fm flow for `user`; the returned URL is what a browser would open after Last.fm. */
async function startLastfm(user: string): Promise<{ state: string; callback: string }> {
  const start = (await (await post('/v1/auth/lastfm/start', user)).json()) as { authorize_url: string; state: string };
  const callback = new URL(new URL(start.authorize_url).searchParams.get('cb') ?? '');
  callback.searchParams.set('token', 'lf-token');
  return { state: start.state, callback: `/v1/auth/lastfm/callback${callback.search}` };
}

const tokenKey = (provider: string, user: string) => `${service.namespace}token:${provider}:${user}`;

describe('Last.fm web auth', () => {
  it('connects an account through the callback and a confirmation from the trusted caller, then builds a report from it', async () => {
    const start = (await (await post('/v1/auth/lastfm/start')).json()) as { authorize_url: string; state: string };
    const authorize = new URL(start.authorize_url);
    expect(authorize.searchParams.get('api_key')).toBe('lf-key');
    const callback = new URL(authorize.searchParams.get('cb') ?? '');
    expect(callback.searchParams.get('state')).toBe(start.state);

    const back = await get(`/v1/auth/lastfm/callback?state=${start.state}&token=lf-token`);
    const authorized = (await back.json()) as Authorized;
    expect(authorized).toMatchObject({ status: 'authorized', provider: 'lastfm', state: start.state });
    expect(back.headers.get('cache-control')).toBe('no-store');
    expect(await service.redis.exists(tokenKey('lastfm', '42'))).toBe(0); // nothing linked before the confirmation
    expect((await get(`/v1/auth/lastfm/callback?state=${start.state}&token=lf-token`)).status).toBe(400);

    const done = await post('/v1/auth/lastfm/confirm', '42', { state: start.state, confirmation: authorized.confirmation });
    expect(await done.json()).toEqual({ connected: 'lastfm', user_id: '42', account: 'alice' });
    expect((await post('/v1/auth/lastfm/confirm', '42', { state: start.state, confirmation: authorized.confirmation })).status).toBe(400);
    const stored = await service.redis.get(tokenKey('lastfm', '42'));
    expect(stored).not.toBeNull();
    expect(Buffer.from(stored ?? '', 'base64').toString('latin1')).not.toContain('lf-session');
    expect(await service.redis.ttl(tokenKey('lastfm', '42'))).toBeGreaterThan(0);

    const job = await post('/v1/wrapped', '42', { year: 2023, time_zone: 'UTC', sources: [{ service: 'lastfm', live: true }] });
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

  it('rejects a callback with an unknown state, and a token Last.fm refuses at the confirmation', async () => {
    expect((await get('/v1/auth/lastfm/callback?state=forged&token=lf-token')).status).toBe(400);
    const start = (await (await post('/v1/auth/lastfm/start', '7')).json()) as { state: string };
    const authorized = (await (await get(`/v1/auth/lastfm/callback?state=${start.state}&token=bad`)).json()) as Authorized;
    const refused = await post('/v1/auth/lastfm/confirm', '7', { state: start.state, confirmation: authorized.confirmation });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});

describe('login CSRF: an attacker sends the authorize link of their own flow to a victim', () => {
  const ATTACKER = '666';
  const VICTIM = '42';

  it("links nothing when the victim's browser comes back and the trusted caller confirms for the victim", async () => {
    await service.redis.del(tokenKey('lastfm', ATTACKER), tokenKey('lastfm', VICTIM));
    const attack = await startLastfm(ATTACKER);
    // The victim signs in at Last.fm; their browser lands on the callback and goes on to the trusted caller.
    const victimBrowser = (await (await get(attack.callback)).json()) as Authorized;
    const confirmed = await post('/v1/auth/lastfm/confirm', VICTIM, {
      state: victimBrowser.state,
      confirmation: victimBrowser.confirmation,
    });
    expect(confirmed.status).toBe(403);
    expect(await confirmed.json()).toMatchObject({ code: 'FORBIDDEN' });
    // The flow is spent: the attacker cannot finish it afterwards, even with the victim's confirmation.
    const late = await post('/v1/auth/lastfm/confirm', ATTACKER, { state: attack.state, confirmation: victimBrowser.confirmation });
    expect(late.status).toBe(400);
    expect(await service.redis.exists(tokenKey('lastfm', ATTACKER), tokenKey('lastfm', VICTIM))).toBe(0);
  });

  it('links nothing when the attacker, who knows the state but not the confirmation, confirms first', async () => {
    await service.redis.del(tokenKey('lastfm', ATTACKER));
    const attack = await startLastfm(ATTACKER);
    expect((await get(attack.callback)).status).toBe(200); // the victim's browser, which keeps the confirmation
    const guessed = await post('/v1/auth/lastfm/confirm', ATTACKER, { state: attack.state, confirmation: attack.state });
    expect(guessed.status).toBe(403);
    expect(await service.redis.exists(tokenKey('lastfm', ATTACKER))).toBe(0);
  });

  it("keeps a state presented to another provider's callback or confirmation intact", async () => {
    const flow = await startLastfm('43');
    expect((await get(`/v1/auth/spotify/callback?state=${flow.state}&code=c`)).status).toBe(400);
    const authorized = (await (await get(flow.callback)).json()) as Authorized;
    expect((await post('/v1/auth/spotify/confirm', '43', { state: flow.state, confirmation: authorized.confirmation })).status).toBe(400);
    const done = await post('/v1/auth/lastfm/confirm', '43', { state: flow.state, confirmation: authorized.confirmation });
    expect(await done.json()).toMatchObject({ connected: 'lastfm', user_id: '43' });
  });
});

describe('Spotify authorization code with PKCE', () => {
  it('connects through the callback, the confirmation and the PKCE exchange and stores the tokens sealed', async () => {
    const start = (await (await post('/v1/auth/spotify/start')).json()) as { authorize_url: string; state: string };
    const authorize = new URL(start.authorize_url);
    expect(authorize.origin + authorize.pathname).toBe(`${spotify.url}/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT);
    const denied = await get(`/v1/auth/spotify/callback?state=${start.state}&error=access_denied`);
    expect(denied.status).toBe(400);
    expect((await get(`/v1/auth/spotify/callback?state=${start.state}&code=late`)).status).toBe(400);

    const again = (await (await post('/v1/auth/spotify/start')).json()) as { authorize_url: string; state: string };
    codes['code-2'] = { challenge: new URL(again.authorize_url).searchParams.get('code_challenge') ?? '', redirectUri: REDIRECT };
    const authorized = (await (await get(`/v1/auth/spotify/callback?state=${again.state}&code=code-2`)).json()) as Authorized;
    const done = await post('/v1/auth/spotify/confirm', '42', { state: again.state, confirmation: authorized.confirmation });
    expect(await done.json()).toEqual({ connected: 'spotify', user_id: '42' });
    const raw = await service.redis.get(tokenKey('spotify', '42'));
    expect(Buffer.from(raw ?? '', 'base64').toString('latin1')).not.toContain('refresh-');

    const forget = await fetch(`${service.url}/v1/auth/spotify`, { method: 'DELETE', headers: headers() });
    expect(forget.status).toBe(204);
    expect(await service.redis.exists(tokenKey('spotify', '42'))).toBe(0);
  });

  it('needs the API key and a user to start', async () => {
    expect((await fetch(`${service.url}/v1/auth/spotify/start`, { method: 'POST', headers: { 'x-user-id': '1' } })).status).toBe(401);
    expect((await fetch(`${service.url}/v1/auth/spotify/start`, { method: 'POST', headers: { 'x-api-key': API_KEY } })).status).toBe(401);
  });
});

describe('stored tokens', () => {
  it('asks to reconnect (409) when a stored token is tampered with or sealed under another key', async () => {
    const otherKey = new TokenStore(service.redis, Buffer.alloc(32, 7), `${service.namespace}token:`);
    await otherKey.put('lastfm', '44', { session_key: 's', username: 'u' }, 60);
    const wrapped = { year: 2023, sources: [{ service: 'lastfm', live: true }] };
    const foreign = await post('/v1/wrapped', '44', wrapped);
    expect(foreign.status).toBe(409);
    expect(await foreign.json()).toMatchObject({
      code: 'RECONNECT_REQUIRED',
      message: expect.stringContaining('POST /v1/auth/lastfm/start') as string,
    });
    for (const blob of ['garbage', Buffer.alloc(40, 1).toString('base64'), '']) {
      await service.redis.set(tokenKey('lastfm', '44'), blob);
      expect((await post('/v1/wrapped', '44', wrapped)).status).toBe(409);
    }
  });
});

describe('an unexpected answer from Spotify', () => {
  it('is a 502 that names no URL and no upstream body, whether HTML, garbage, missing fields or a 500', async () => {
    const answers: Record<string, [number, string, string]> = {
      html: [200, 'text/html', '<html><body>secret-upstream-page</body></html>'],
      garbage: [200, 'application/json', '{"access_token": 5, "secret-upstream-field": true}'],
      missing: [200, 'application/json', '{}'],
      broken: [500, 'text/plain', 'secret-upstream-trace'],
    };
    const accounts = await startFakeServer((request, response) => {
      const [status, type, body] = answers[new URLSearchParams(request.body).get('code') ?? ''] ?? [404, 'text/plain', ''];
      response.writeHead(status, { 'content-type': type }).end(body);
    });
    const odd = await startService(bank.client, {
      SPOTIFY_CLIENT_ID: 'sp-client',
      SPOTIFY_REDIRECT_URI: REDIRECT,
      SPOTIFY_ACCOUNTS_URL: accounts.url,
    });
    try {
      for (const code of Object.keys(answers)) {
        const started = (await (await fetch(`${odd.url}/v1/auth/spotify/start`, { method: 'POST', headers: headers() })).json()) as {
          state: string;
        };
        const authorized = (await (
          await fetch(`${odd.url}/v1/auth/spotify/callback?state=${started.state}&code=${code}`)
        ).json()) as Authorized;
        const confirmed = await fetch(`${odd.url}/v1/auth/spotify/confirm`, {
          method: 'POST',
          headers: { ...headers(), 'content-type': 'application/json' },
          body: JSON.stringify({ state: started.state, confirmation: authorized.confirmation }),
        });
        expect(confirmed.status, code).toBe(502);
        const text = await confirmed.text();
        expect(JSON.parse(text)).toMatchObject({ code: 'EXTERNAL_SERVICE_ERROR' });
        expect(text).not.toMatch(/secret-upstream|127\.0\.0\.1|api\/token/);
      }
    } finally {
      await odd.close();
      await accounts.close();
    }
  });
});

describe('MUSIC_AUTH_RETURN_URL', () => {
  it("sends the browser back to the trusted caller's page with the state and confirmation", async () => {
    const returning = await startService(bank.client, {
      ...lastfmEnv(lastfm.url),
      MUSIC_AUTH_RETURN_URL: 'https://console.example/music/connected',
    });
    try {
      const start = (await (await fetch(`${returning.url}/v1/auth/lastfm/start`, { method: 'POST', headers: headers() })).json()) as {
        state: string;
      };
      const back = await fetch(`${returning.url}/v1/auth/lastfm/callback?state=${start.state}&token=lf-token`, { redirect: 'manual' });
      expect(back.status).toBe(303);
      const location = new URL(back.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe('https://console.example/music/connected');
      expect(location.searchParams.get('provider')).toBe('lastfm');
      expect(location.searchParams.get('state')).toBe(start.state);
      const confirmation = location.searchParams.get('confirmation') ?? '';
      const done = await fetch(`${returning.url}/v1/auth/lastfm/confirm`, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ state: start.state, confirmation }),
      });
      expect(await done.json()).toMatchObject({ connected: 'lastfm', user_id: '42' });
    } finally {
      await returning.close();
    }
  });
});

describe('without MUSIC_TOKEN_KEY', () => {
  it('answers 503 instead of starting a flow whose tokens could not be stored', async () => {
    const bare = await startService(bank.client, {
      MUSIC_TOKEN_KEY: '',
      LASTFM_API_KEY: 'k',
      LASTFM_API_SECRET: 's',
      LASTFM_CALLBACK_URL: 'http://x/cb',
    });
    try {
      const response = await fetch(`${bare.url}/v1/auth/lastfm/start`, { method: 'POST', headers: headers() });
      expect(response.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
