// The real API and worker entries (src/main.ts, src/worker.ts) as child processes under one
// TRANSCRIPT_QUEUE_PREFIX and TRANSCRIPT_EVENTS_NAMESPACE: a job queued by the one is run by the other,
// and its events are published under the namespace.
import { jobEventType } from '@platform/core';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { closeRedis, createRedis, eventNames } from '@platform/workers';
import { isolatedRedisPrefix, spawnSource, startServiceProcess, waitFor, type SourceProcess } from '@platform/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPT_QUEUE } from '../src/jobs/transcribe.js';
import { fakeStt, type FakeStt } from '../testing/index.js';
import { steadyTone } from './helpers/audio.js';
import { REDIS_URL } from './helpers/service.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = 'processes-test-key';

let dir: string;
let bank: DataBankProcess;
let stt: FakeStt;
let redis: Redis;
const keys = isolatedRedisPrefix('transcript-processes');
const namespace = `${keys.prefix}:`;
const processes: SourceProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-processes-'));
  [bank, stt] = await Promise.all([startDataBankProcess(), fakeStt()]);
  redis = createRedis(REDIS_URL, 'command');
});

afterAll(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  await Promise.all([bank.stop(), stt.close()]);
  await keys.cleanup(redis);
  await closeRedis(redis);
  await rm(dir, { recursive: true, force: true });
});

describe('the API and worker entries under a queue prefix and event namespace', () => {
  it('queue, run and report a job under them', async () => {
    const env = {
      REDIS_URL,
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: bank.apiKey,
      TRANSCRIPT_API_KEYS: API_KEY,
      TRANSCRIPT_TMP_DIR: join(dir, 'scratch'),
      TRANSCRIPT_QUEUE_PREFIX: keys.prefix,
      TRANSCRIPT_EVENTS_NAMESPACE: namespace,
      STT_PROVIDER: 'openai',
      STT_BASE_URL: `${stt.url}/v1`,
      STT_API_KEY: 'sk-test',
      LOG_LEVEL: 'silent',
    };
    const api = await startServiceProcess({ cwd: serviceDir, env });
    processes.push(api, spawnSource('src/worker.ts', { cwd: serviceDir, env }));

    const form = new FormData();
    form.append('file', new Blob([await readFile(await steadyTone(dir, 'tone.wav', 2))], { type: 'audio/wav' }), 'tone.wav');
    const queued = await fetch(`${api.url}/v1/transcriptions`, { method: 'POST', headers: { 'x-api-key': API_KEY }, body: form });
    expect(queued.status).toBe(202);
    const { job_id: jobId } = (await queued.json()) as { job_id: string };

    let status = '';
    await waitFor(
      async () => {
        const answer = await fetch(`${api.url}/v1/jobs/${jobId}`, { headers: { 'x-api-key': API_KEY } });
        status = ((await answer.json()) as { status: string }).status;
        return status === 'completed' || status === 'failed';
      },
      45_000,
      'the worker to finish the job',
    );
    expect(status).toBe('completed');
    expect(stt.calls).toHaveLength(1);

    expect(await redis.exists(`${keys.prefix}:${TRANSCRIPT_QUEUE}:${jobId}`)).toBe(1);
    const events = await redis.xrange(eventNames('transcript', namespace).stream, '-', '+');
    const published = events.map(([, [, json]]) => JSON.parse(json ?? '{}') as { type: string; job_id: string });
    expect(published).toContainEqual(expect.objectContaining({ type: jobEventType('transcript', 'completed'), job_id: jobId }));
  }, 90_000);
});
