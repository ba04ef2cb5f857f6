import { createDataBankClient, createLogger, type DataBankClient, type PlatformApp } from '@platform/core';
import type { Config } from '../src/config.js';
import { readConfig } from '../src/config.js';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { QUEUE } from '../src/models/wrapped.js';
import { ImportStore } from '../src/services/import-store.js';
import { liveSources } from '../src/services/live-sources.js';
import { TokenStore } from '../src/services/token-store.js';
import { createWrappedJob } from '../src/workers/wrapped.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const API_KEY = 'music-test-key';
export const TOKEN_KEY = randomBytes(32).toString('hex');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DataBankProcess {
  url: string;
  client: DataBankClient;
  stop(): Promise<void>;
}

/** The real data-bank-api as a child process on a free port, storing in a temp dir. */
export async function startDataBank(): Promise<DataBankProcess> {
  const root = await mkdtemp(join(tmpdir(), 'music-data-bank-'));
  const port = await freePort();
  const key = 'music-bank-key';
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'services/data-bank-api/src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_BANK_ROOT: root, DATA_BANK_UPLOAD_KEYS: key, DATA_BANK_MIN_FREE_BYTES: '0', LOG_LEVEL: 'warn', REDIS_URL },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 150 || child.exitCode !== null) throw new Error('data-bank-api did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    client: createDataBankClient({ baseUrl: url, apiKey: key }),
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface Harness {
  app: PlatformApp;
  url: string;
  redis: Redis;
  queue: Queue;
  namespace: string;
  config: Config;
  close(): Promise<void>;
}

/** The API and a worker in this process, on a unique queue prefix and event namespace. */
export async function startService(dataBank: DataBankClient, env: Record<string, string> = {}): Promise<Harness> {
  const config = readConfig({ REDIS_URL, MUSIC_API_KEYS: API_KEY, MUSIC_TOKEN_KEY: TOKEN_KEY, ...env });
  const id = randomBytes(6).toString('hex');
  const prefix = `music-test-${id}`;
  const namespace = `${prefix}:`;
  const logger = createLogger({ service: 'music-test', level: 'silent' });
  const redis = createRedis(REDIS_URL, 'command');
  const blocking = createRedis(REDIS_URL, 'blocking');
  const queue = createQueue({ connection: redis, queue: QUEUE, prefix });
  const imports = new ImportStore(redis, `${namespace}import:`);
  const tokens = new TokenStore(redis, config.tokenKey, `${namespace}token:`);
  const job = createWrappedJob({ imports, dataBank, liveSource: liveSources(config, tokens) });
  const worker: WorkerHandle = startWorker({ connection: blocking, queue: QUEUE, prefix, jobs: [job], publisher: new EventPublisher(redis, { namespace }), logger });
  const app = await buildApp({ logger, redis, queue, job, imports, tokens, dataBank, apiKeys: config.apiKeys, maxUploadBytes: 50 * 1024 * 1024, config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    redis,
    queue,
    namespace,
    config,
    close: async () => {
      await app.close();
      await worker.close(1000);
      await queue.obliterate({ force: true });
      await queue.close();
      const keys = await redis.keys(`${namespace}*`);
      if (keys.length > 0) await redis.del(...keys);
      await closeRedis(blocking);
      await closeRedis(redis);
    },
  };
}

export function headers(user = '42'): Record<string, string> {
  return { 'x-api-key': API_KEY, 'x-user-id': user };
}
