import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppleDeveloperToken, AppleMusicApi, AppleMusicSource, CredentialsError, type PlayRecord } from '../src/index.js';
import { startFakeAppleMusic, type FakeAppleTrack, type FakeServer } from '../src/testing/index.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function keyPair(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

async function all(plays: AsyncIterable<PlayRecord>): Promise<PlayRecord[]> {
  const out: PlayRecord[] = [];
  for await (const play of plays) out.push(play);
  return out;
}

const key = keyPair();
const FETCHED_AT = Date.parse('2023-12-20T18:00:00Z');
const tracks: FakeAppleTrack[] = Array.from({ length: 70 }, (_, i) => ({
  id: String(1_000_000 + i),
  name: `Song ${i % 7}`,
  artist: `Artist ${i % 3}`,
  ...(i % 2 === 0 && { album: 'Album' }),
  duration_ms: 200_000 + i * 1000,
  library: i % 5 === 0,
}));

describe('Apple Music developer token', () => {
  it('signs an ES256 JWT with kid, iss and exp, and caches it until shortly before it expires', async () => {
    let now = Date.parse('2023-06-01T00:00:00Z');
    const tokens = new AppleDeveloperToken({
      teamId: 'TEAM123456',
      keyId: 'KEY1234567',
      privateKey: key.privateKey,
      lifetimeSeconds: 3600,
      now: () => now,
    });
    const [first, concurrent] = await Promise.all([tokens.get(), tokens.get()]);
    expect(concurrent).toBe(first);
    expect(decodeProtectedHeader(first.token)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    expect(decodeJwt(first.token)).toEqual({ iss: 'TEAM123456', iat: now / 1000, exp: now / 1000 + 3600 });
    expect(first.expiresAtMs).toBe(now + 3_600_000);
    now += 3_600_000 - 301_000; // 5 min 1 s before expiry: still good
    expect((await tokens.get()).token).toBe(first.token);
    now += 2_000; // inside the renewal window
    const renewed = await tokens.get();
    expect(renewed.token).not.toBe(first.token);
    expect(decodeJwt(renewed.token).exp).toBe(Math.floor(now / 1000) + 3600);
  });

  it('refuses lifetimes Apple would refuse and keys that are not P-256 PKCS#8', async () => {
    expect(() => new AppleDeveloperToken({ teamId: 't', keyId: 'k', privateKey: key.privateKey, lifetimeSeconds: 15_777_001 })).toThrow(
      RangeError,
    );
    const broken = new AppleDeveloperToken({
      teamId: 't',
      keyId: 'k',
      privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----',
    });
    await expect(broken.get()).rejects.toThrow();
  });
});

describe('Apple Music recently played tracks', () => {
  const options = (url: string, privateKey = key.privateKey, now = () => Date.now()) => ({
    apiUrl: url,
    developerToken: new AppleDeveloperToken({ teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey, now }),
    retry: { baseDelayMs: 1 },
    now: () => FETCHED_AT,
  });

  it('pages with limit/offset, retries a 429, and places plays back-to-back before the fetch', async () => {
    const server = await startFakeAppleMusic({
      teamId: 'TEAM123456',
      keyId: 'KEY1234567',
      publicKey: key.publicKey,
      userTokens: ['mut-1'],
      tracks,
      rateLimitOn: [2],
    });
    servers.push(server);
    const source = new AppleMusicSource(new AppleMusicApi(options(server.url), 'mut-1'));
    const plays = await all(source.plays({ fromMs: Date.parse('2023-01-01T00:00:00Z'), toMs: Date.parse('2024-01-01T00:00:00Z') }));
    expect(plays).toHaveLength(70);
    expect(plays[0]).toEqual({
      service: 'apple_music',
      played_at_ms: FETCHED_AT - 200_000,
      played_at_approximate: true,
      track: 'Song 0',
      artists: ['Artist 0'],
      album: 'Album',
      duration_ms: 200_000,
      ids: { apple_music: '1000000' }, // a library song: its catalog id
    });
    expect(plays[1]).toMatchObject({ played_at_ms: FETCHED_AT - 200_000 - 201_000, ids: { apple_music: '1000001' } });
    expect(plays[1]?.album).toBeUndefined();
    expect(plays.at(-1)?.played_at_ms).toBe(FETCHED_AT - tracks.reduce((sum, track) => sum + track.duration_ms, 0));

    const recent = server.requests.filter((request) => request.url.pathname === '/v1/me/recent/played/tracks');
    expect(recent.map((request) => request.url.searchParams.get('offset'))).toEqual(['0', '30', '30', '60']); // the second call met a 429
    expect(recent.every((request) => request.url.searchParams.get('limit') === '30')).toBe(true);
    expect(recent[0]?.headers['music-user-token']).toBe('mut-1');
    expect(recent[0]?.headers.authorization).toMatch(/^Bearer ey/);
  });

  it('stops at the start of the range and leaves out plays after its end', async () => {
    const server = await startFakeAppleMusic({
      teamId: 'TEAM123456',
      keyId: 'KEY1234567',
      publicKey: key.publicKey,
      userTokens: ['mut-1'],
      tracks,
    });
    servers.push(server);
    const api = new AppleMusicApi(options(server.url), 'mut-1');
    // Tracks 0..9 end within the last ~35 minutes; a range ending 20 minutes before the fetch and
    // starting an hour before it keeps only the plays that started in between.
    const range = { fromMs: FETCHED_AT - 3_600_000, toMs: FETCHED_AT - 1_200_000 };
    const plays = await all(api.recentTracks(range));
    expect(plays.length).toBeGreaterThan(5);
    expect(plays.every((play) => play.played_at_ms >= range.fromMs && play.played_at_ms < range.toMs)).toBe(true);
    expect(server.requests).toHaveLength(1); // the first page already reaches back past the range
  });

  it('reports refused tokens as bad credentials and finds the storefront with good ones', async () => {
    const server = await startFakeAppleMusic({
      teamId: 'TEAM123456',
      keyId: 'KEY1234567',
      publicKey: key.publicKey,
      userTokens: ['mut-1'],
      tracks,
    });
    servers.push(server);
    expect(await new AppleMusicApi(options(server.url), 'mut-1').storefront()).toBe('us');
    const range = { fromMs: 0, toMs: Date.now() };
    await expect(all(new AppleMusicApi(options(server.url), 'revoked').recentTracks(range))).rejects.toThrow(
      new CredentialsError('Apple Music refused the music user token: connect the account again'),
    );
    const otherKey = keyPair().privateKey;
    await expect(new AppleMusicApi(options(server.url, otherKey), 'mut-1').storefront()).rejects.toThrow(
      new CredentialsError('Apple Music refused the developer token'),
    );
    const longAgo = () => Date.now() - 86_400_000; // signed a day ago with a 12-hour lifetime: expired
    await expect(new AppleMusicApi(options(server.url, key.privateKey, longAgo), 'mut-1').storefront()).rejects.toBeInstanceOf(
      CredentialsError,
    );
    const wrongKid = {
      ...options(server.url),
      developerToken: new AppleDeveloperToken({ teamId: 'TEAM123456', keyId: 'OTHERKEY00', privateKey: key.privateKey }),
    };
    await expect(new AppleMusicApi(wrongKid, 'mut-1').storefront()).rejects.toBeInstanceOf(CredentialsError);
    const wrongTeam = {
      ...options(server.url),
      developerToken: new AppleDeveloperToken({ teamId: 'OTHERTEAM0', keyId: 'KEY1234567', privateKey: key.privateKey }),
    };
    await expect(new AppleMusicApi(wrongTeam, 'mut-1').storefront()).rejects.toBeInstanceOf(CredentialsError);
  });
});
