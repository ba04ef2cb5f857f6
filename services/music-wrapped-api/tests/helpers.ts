import { deleteKeys } from '@platform/testing';
import { createLogger, createScratchArea, type DataBankClient, type PlatformApp } from '@platform/core';
import { createCardRenderer } from '@platform/music';
import type { Config } from '../src/config.js';
import { readConfig } from '../src/config.js';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { QUEUE } from '../src/models/wrapped.js';
import { ImportStore } from '../src/services/import-store.js';
import { liveSources } from '../src/services/live-sources.js';
import { TokenStore } from '../src/services/token-store.js';
import { wrappedHandler } from '../src/workers/wrapped.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const API_KEY = 'music-test-key';
export const TOKEN_KEY = randomBytes(32).toString('hex');

export { startDataBankProcess as startDataBank, type DataBankProcess } from 'data-bank-api/testing';

export interface Harness {
  app: PlatformApp;
  url: string;
  redis: Redis;
  queue: Queue;
  namespace: string;
  config: Config;
  /** MUSIC_TMP_DIR of this harness: the API's scratch is `api/`, the worker's `worker/`. */
  tmpDir: string;
  close(): Promise<void>;
}

/** The API and a worker in this process, on a unique queue prefix and event namespace. */
export async function startService(dataBank: DataBankClient, env: Record<string, string> = {}): Promise<Harness> {
  const tmpDir = await mkdtemp(join(tmpdir(), 'music-api-test-'));
  const prefix = `music-test-${randomBytes(6).toString('hex')}`;
  const namespace = `${prefix}:`;
  const config = readConfig({
    REDIS_URL,
    MUSIC_API_KEYS: API_KEY,
    MUSIC_TOKEN_KEY: TOKEN_KEY,
    MUSIC_TMP_DIR: tmpDir,
    MUSIC_MAX_UPLOAD_BYTES: String(50 * 1024 * 1024),
    MUSIC_KEY_PREFIX: prefix,
    MUSIC_QUEUE_PREFIX: prefix,
    MUSIC_EVENTS_NAMESPACE: namespace,
    ...env,
  });
  const logger = createLogger({ service: 'music-test', level: 'silent' });
  const redis = createRedis(REDIS_URL, 'command');
  const blocking = createRedis(REDIS_URL, 'blocking');
  const queue = createQueue({ connection: redis, queue: QUEUE, prefix: config.queuePrefix });
  const imports = new ImportStore(redis, `${config.keyPrefix}:import:`);
  const tokens = new TokenStore(redis, config.tokenKey, `${config.keyPrefix}:token:`);
  const cards = createCardRenderer();
  const handler = wrappedHandler({
    imports,
    dataBank,
    liveSource: liveSources(config, tokens),
    scratch: createScratchArea(join(tmpDir, 'worker')),
    cards,
    zipLimits: config.zipLimits,
  });
  const worker: WorkerHandle = startWorker({
    connection: blocking,
    queue: QUEUE,
    prefix: config.queuePrefix,
    handlers: [handler],
    publisher: new EventPublisher(redis, { namespace: config.eventsNamespace }),
    logger,
  });
  const app = await buildApp({ config, logger, redis, queue, imports, tokens, dataBank, scratch: createScratchArea(join(tmpDir, 'api')) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    redis,
    queue,
    namespace,
    config,
    tmpDir,
    close: async () => {
      await app.close();
      await worker.close(1000);
      await cards.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await deleteKeys(redis, `${namespace}*`);
      await closeRedis(blocking);
      await closeRedis(redis);
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}

/** A Spotify extended streaming history of `count` plays over the year, by three artists. */
export function spotifyExport(count: number, year = 2023): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      ts: new Date(Date.UTC(year, i % 12, (i % 27) + 1, 20, 0, 0)).toISOString(),
      ms_played: 200_000,
      master_metadata_track_name: `Song ${i % 7}`,
      master_metadata_album_artist_name: ['Björk', 'Sigur Rós', 'Daft Punk'][i % 3],
      master_metadata_album_album_name: 'Album',
      spotify_track_uri: `spotify:track:${i % 7}`,
    })),
    null,
    2,
  );
}

export function headers(user = '42'): Record<string, string> {
  return { 'x-api-key': API_KEY, 'x-user-id': user };
}

export const SPOTIFY_REDIRECT = 'http://127.0.0.1:9/v1/auth/spotify/callback';

/** Spotify settings pointing at a local fake (`@platform/music/testing`). */
export const spotifyEnv = (url: string) => ({
  SPOTIFY_CLIENT_ID: 'sp-client',
  SPOTIFY_REDIRECT_URI: SPOTIFY_REDIRECT,
  SPOTIFY_ACCOUNTS_URL: url,
  SPOTIFY_API_URL: url,
});

/** Last.fm settings pointing at a local fake. */
export const lastfmEnv = (url: string) => ({
  LASTFM_API_KEY: 'lf-key',
  LASTFM_API_SECRET: 'lf-secret',
  LASTFM_API_URL: `${url}/2.0/`,
  LASTFM_AUTH_URL: 'https://www.last.fm/api/auth/',
  LASTFM_CALLBACK_URL: 'http://127.0.0.1:9/v1/auth/lastfm/callback',
});
