import { ConfigError } from '@platform/core';
import { startFakeAppleMusic, type FakeServer } from '@platform/music/testing';
import { jwtVerify } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { headers, startDataBank, startService, type DataBankProcess, type Harness } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const userTokens = ['mut-good', 'mut-soon-revoked'];
const tracks = Array.from({ length: 40 }, (_, i) => ({
  id: String(500 + i),
  name: `Song ${i % 6}`,
  artist: `Artist ${i % 4}`,
  album: 'LP',
  duration_ms: 200_000,
}));

let bank: DataBankProcess;
let service: Harness;
let apple: FakeServer;

beforeAll(async () => {
  apple = await startFakeAppleMusic({ teamId: 'TEAMID0001', keyId: 'KEYID00001', publicKey, userTokens, tracks });
  bank = await startDataBank();
  service = await startService(bank.client, {
    APPLE_MUSIC_TEAM_ID: 'TEAMID0001',
    APPLE_MUSIC_KEY_ID: 'KEYID00001',
    APPLE_MUSIC_PRIVATE_KEY: PEM.replaceAll('\n', '\\n'), // as a one-line .env value
    APPLE_MUSIC_API_URL: apple.url,
  });
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
  await apple.close();
});

const send = (method: string, path: string, body?: unknown, user = '42') =>
  fetch(`${service.url}${path}`, {
    method,
    headers: { ...headers(user), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

async function waitFor(
  jobId: string,
  user = '42',
): Promise<{ status: string; error: { kind: string; message: string } | null; result: { plays: number } | null }> {
  for (let i = 0; i < 300; i++) {
    const status = (await (await send('GET', `/v1/wrapped/${jobId}`, undefined, user)).json()) as Awaited<ReturnType<typeof waitFor>>;
    if (status.status === 'completed' || status.status === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('job did not finish');
}

/** A zone where it is at least 4 am now, so the last hours of plays fall in today's local year. */
function zoneAndYear(): { time_zone: string; year: number } {
  const time_zone = new Date().getUTCHours() < 12 ? 'Asia/Tokyo' : 'America/Los_Angeles';
  return { time_zone, year: Number(new Intl.DateTimeFormat('en', { timeZone: time_zone, year: 'numeric' }).format(new Date())) };
}

describe('Apple Music', () => {
  it('hands MusicKit JS a developer token signed with the configured key, the same one until near expiry', async () => {
    const response = await send('GET', '/v1/auth/apple_music/developer-token');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { developer_token: string; expires_at: string };
    const { payload, protectedHeader } = await jwtVerify(body.developer_token, publicKey, { algorithms: ['ES256'], issuer: 'TEAMID0001' });
    expect(protectedHeader.kid).toBe('KEYID00001');
    expect(payload.exp).toBe(Date.parse(body.expires_at) / 1000);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 3600);
    const again = (await (await send('GET', '/v1/auth/apple_music/developer-token')).json()) as { developer_token: string };
    expect(again.developer_token).toBe(body.developer_token);
    expect((await fetch(`${service.url}/v1/auth/apple_music/developer-token`)).status).toBe(401);
  });

  it('checks a Music User Token with Apple before storing it sealed, and refuses a bad one', async () => {
    const refused = await send('PUT', '/v1/auth/apple_music', { music_user_token: 'mut-forged' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await service.redis.exists(`${service.namespace}token:apple_music:42`)).toBe(0);
    expect((await send('PUT', '/v1/auth/apple_music', { music_user_token: '' })).status).toBe(400);

    const done = await send('PUT', '/v1/auth/apple_music', { music_user_token: 'mut-good' });
    expect(await done.json()).toEqual({ connected: 'apple_music', user_id: '42', storefront: 'us' });
    const raw = await service.redis.get(`${service.namespace}token:apple_music:42`);
    expect(raw).not.toBeNull();
    expect(Buffer.from(raw ?? '', 'base64').toString('latin1')).not.toContain('mut-good');
    expect(await service.redis.ttl(`${service.namespace}token:apple_music:42`)).toBeGreaterThan(170 * 86_400);
  });

  it('builds a wrapped report from the live recent plays, honest about their approximate times', async () => {
    expect((await send('PUT', '/v1/auth/apple_music', { music_user_token: 'mut-good' })).status).toBe(200);
    const { time_zone, year } = zoneAndYear();
    const started = await send('POST', '/v1/wrapped', { year, time_zone, sources: [{ service: 'apple_music', live: true }] });
    expect(started.status).toBe(202);
    const { job_id } = (await started.json()) as { job_id: string };
    expect(await waitFor(job_id)).toMatchObject({ status: 'completed', result: { plays: 40 } });

    const report = (await (await send('GET', `/v1/wrapped/${job_id}/result`)).json()) as {
      services: string[];
      totals: { plays: number; minutes: number; plays_with_approximate_time: number };
      by_hour: number[];
      longest_streak: unknown;
      top_artists: { name: string; plays: number }[];
    };
    expect(report.services).toEqual(['apple_music']);
    expect(report.totals).toMatchObject({ plays: 40, minutes: 133.3, plays_with_approximate_time: 40 });
    expect(report.by_hour.reduce((a, b) => a + b)).toBe(0);
    expect(report.longest_streak).toBeNull();
    expect(report.top_artists[0]).toEqual({ name: 'Artist 0', plays: 10, minutes: 33.3 });
    const html = await (await send('GET', `/v1/wrapped/${job_id}/report.html`)).text();
    expect(html).toContain('leave out 40 plays with only an approximate time');
    expect((await send('GET', `/v1/wrapped/${job_id}/card.png`)).headers.get('content-type')).toBe('image/png');

    const pages = apple.requests.filter((request) => request.url.pathname === '/v1/me/recent/played/tracks');
    expect(pages.map((request) => request.url.searchParams.get('offset'))).toEqual(['0', '30']);
  });

  it("fails the job as the user's error when Apple no longer accepts the stored token", async () => {
    expect((await send('PUT', '/v1/auth/apple_music', { music_user_token: 'mut-soon-revoked' }, '77')).status).toBe(200);
    userTokens.splice(userTokens.indexOf('mut-soon-revoked'), 1);
    const { time_zone, year } = zoneAndYear();
    const { job_id } = (await (
      await send('POST', '/v1/wrapped', { year, time_zone, sources: [{ service: 'apple_music', live: true }] }, '77')
    ).json()) as { job_id: string };
    expect(await waitFor(job_id, '77')).toMatchObject({
      status: 'failed',
      error: { kind: 'user', message: 'Apple Music refused the music user token: connect the account again' },
    });
  });

  it('needs a connected account for a live source, not alongside an Apple export, and forgets one on DELETE', async () => {
    const missing = await send('POST', '/v1/wrapped', { year: 2023, sources: [{ service: 'apple_music', live: true }] }, '5');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain('PUT /v1/auth/apple_music');
    const both = await send(
      'POST',
      '/v1/wrapped',
      {
        year: 2023,
        sources: [
          { service: 'apple_music', live: true },
          { service: 'apple_music', import_id: `imp_${'0'.repeat(32)}` },
        ],
      },
      '5',
    );
    expect(both.status).toBe(400);
    expect(((await both.json()) as { message: string }).message).toContain('not both');
    expect((await send('PUT', '/v1/auth/apple_music', { music_user_token: 'mut-good' }, '6')).status).toBe(200);
    expect((await send('DELETE', '/v1/auth/apple_music', undefined, '6')).status).toBe(204);
    expect(await service.redis.exists(`${service.namespace}token:apple_music:6`)).toBe(0);
  });

  it('answers 503 when Apple Music is not configured', async () => {
    const bare = await startService(bank.client);
    try {
      expect((await fetch(`${bare.url}/v1/auth/apple_music/developer-token`, { headers: headers() })).status).toBe(503);
      const put = await fetch(`${bare.url}/v1/auth/apple_music`, {
        method: 'PUT',
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ music_user_token: 'mut-good' }),
      });
      expect(put.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});

describe('Apple Music configuration', () => {
  const base = { APPLE_MUSIC_TEAM_ID: 'T', APPLE_MUSIC_KEY_ID: 'K' };

  it('reads the key inline or from a file, with the API URL and token lifetime', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'music-apple-key-'));
    try {
      const path = join(dir, 'AuthKey_K.p8');
      await writeFile(path, PEM);
      const fromFile = readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY_PATH: path, APPLE_MUSIC_TOKEN_TTL_SECONDS: '3600' });
      expect(fromFile.apple).toEqual({
        credentials: { teamId: 'T', keyId: 'K', privateKey: PEM },
        apiUrl: 'https://api.music.apple.com',
        tokenTtlSeconds: 3600,
      });
      expect(readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY: PEM }).apple.credentials?.privateKey).toBe(PEM);
      expect(readConfig({}).apple.credentials).toBeUndefined();
      expect(() => readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY: PEM, APPLE_MUSIC_PRIVATE_KEY_PATH: path })).toThrow(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses half a configuration, a key that is not P-256 PKCS#8, a missing file and a lifetime Apple refuses', () => {
    expect(() => readConfig({ APPLE_MUSIC_TEAM_ID: 'T' })).toThrow(/go together/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY: rsa })).toThrow(/EC P-256/);
    expect(() => readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY: 'not a key' })).toThrow(/EC P-256/);
    expect(() => readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY_PATH: '/nonexistent/AuthKey.p8' })).toThrow(/cannot read/);
    expect(() => readConfig({ ...base, APPLE_MUSIC_PRIVATE_KEY: PEM, APPLE_MUSIC_TOKEN_TTL_SECONDS: '99999999' })).toThrow(ConfigError);
  });
});
