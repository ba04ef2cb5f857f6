// The real API and worker entries (src/main.ts, src/worker.ts) as child processes under one
// MUSIC_QUEUE_PREFIX, MUSIC_EVENTS_NAMESPACE and MUSIC_KEY_PREFIX: an import and a Wrapped job queued by
// the one are run by the other.
import { jobEventType } from '@platform/core';
import { closeRedis, createRedis, eventNames } from '@platform/workers';
import { isolatedRedisPrefix, spawnSource, startServiceProcess, waitFor, type SourceProcess } from '@platform/testing';
import type { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, QUEUE } from '../src/models/wrapped.js';
import { API_KEY, headers, REDIS_URL, spotifyExport, startDataBank, type DataBankProcess } from './helpers.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const keys = isolatedRedisPrefix('music-processes');
const namespace = `${keys.prefix}:`;
const processes: SourceProcess[] = [];

let dir: string;
let bank: DataBankProcess;
let redis: Redis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'music-processes-'));
  bank = await startDataBank();
  redis = createRedis(REDIS_URL, 'command');
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  await bank.stop();
  await keys.cleanup(redis);
  await closeRedis(redis);
  await rm(dir, { recursive: true, force: true });
});

describe('the API and worker entries under a queue prefix, event namespace and key prefix', () => {
  it('import, queue, run and report a Wrapped job under them', async () => {
    const env = {
      REDIS_URL,
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: bank.apiKey,
      MUSIC_API_KEYS: API_KEY,
      MUSIC_TMP_DIR: dir,
      MUSIC_KEY_PREFIX: keys.prefix,
      MUSIC_QUEUE_PREFIX: keys.prefix,
      MUSIC_EVENTS_NAMESPACE: namespace,
      LOG_LEVEL: 'silent',
    };
    const api = await startServiceProcess({ cwd: serviceDir, env });
    processes.push(api, spawnSource('src/worker.ts', { cwd: serviceDir, env }));

    const form = new FormData();
    form.append('file', new Blob([spotifyExport(40)], { type: 'application/json' }), 'Streaming_History_Audio_2023.json');
    const imported = await fetch(`${api.url}/v1/imports`, { method: 'POST', headers: headers(), body: form });
    expect(imported.status).toBe(201);
    const { import_id: importId } = (await imported.json()) as { import_id: string };
    expect(await redis.exists(`${keys.prefix}:import:${importId}`)).toBe(1);

    const started = await fetch(`${api.url}/v1/wrapped`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2023, sources: [{ service: 'spotify', import_id: importId }] }),
    });
    expect(started.status).toBe(202);
    const { job_id: jobId } = (await started.json()) as { job_id: string };

    let status = '';
    await waitFor(
      async () => {
        status = ((await (await fetch(`${api.url}/v1/wrapped/${jobId}`, { headers: headers() })).json()) as { status: string }).status;
        return status === 'completed' || status === 'failed';
      },
      60_000,
      'the worker to finish the job',
    );
    expect(status).toBe('completed');

    expect(await redis.exists(`${keys.prefix}:${QUEUE}:${jobId}`)).toBe(1);
    expect(await redis.exists(`music:import:${importId}`)).toBe(0);
    const events = await redis.xrange(eventNames(DOMAIN, namespace).stream, '-', '+');
    const published = events.map(([, [, json]]) => JSON.parse(json ?? '{}') as { type: string; job_id: string });
    expect(published).toContainEqual(expect.objectContaining({ type: jobEventType(DOMAIN, 'completed'), job_id: jobId }));
  }, 120_000);
});
