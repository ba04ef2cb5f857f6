import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import type { PlatformApp } from '@platform/core';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelFlags } from '../src/services/cancel.js';
import { CORPUS_QUEUE, corpusJob } from '../src/workers/corpus.js';
import { ENGLISH, freePort, KAZAKH, parquetShard, serveBytes, startServer, wikipediaDump } from './fixtures.js';
import { catalog, detector, logger, testApp } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const API_KEY = 'turkic-test-key';
const prefix = `test-turkic-${randomUUID()}`;
const namespace = `${prefix}:`;

let root: string;
let dataBank: DataBankProcess;
let sources: { server: Server; base: string };
let redis: Redis;
let queue: Queue;
let worker: WorkerHandle;
let app: PlatformApp;

interface Status {
  job_id: string;
  status: string;
  progress: number;
  result: { file_id: string; seen: number; kept: number; rejected: Record<string, number>; report: Record<string, unknown> } | null;
  result_id: string | null;
  result_bytes: number | null;
  error: { kind: string; message: string } | null;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'turkic-corpus-test-'));
  const shard = parquetShard();
  sources = await startServer({
    '/dumps/kkwiki/latest/kkwiki-latest-pages-articles.xml.bz2': serveBytes(wikipediaDump(), 'application/x-bzip2'),
    '/hub/api/datasets/test/oscar/parquet/kk/train': (_request, response, base) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([`${base}/shards/kk-0000.parquet`]));
    },
    '/shards/kk-0000.parquet': serveBytes(shard, 'application/octet-stream'),
    '/corpus.jsonl': serveBytes(Buffer.from([...KAZAKH, ENGLISH].map((text) => JSON.stringify({ content: text })).join('\n')), 'application/jsonl'),
    '/broken.txt': (_request, response) => response.writeHead(503).end('down'),
    // Sends the headers and one line, then never ends: a job reading it runs until cancelled.
    '/endless.txt': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(`${KAZAKH[0] ?? ''}\n`);
    },
  });
  dataBank = await startDataBankProcess({ apiKey: API_KEY });
  const client = dataBank.client;

  redis = createRedis(REDIS_URL, 'command');
  queue = createQueue({ connection: redis, queue: CORPUS_QUEUE, prefix });
  const cancel = new CancelFlags(redis, `${prefix}:cancel:`);
  const job = corpusJob({
    catalog, detector, cancel, dataBank: client, logger,
    wikipediaDumpsUrl: `${sources.base}/dumps`,
    hfEndpoint: `${sources.base}/hub`,
    workDir: root,
    attempts: 1,
    progressIntervalMs: 0,
    cancelPollMs: 100,
  });
  worker = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: CORPUS_QUEUE,
    prefix,
    jobs: [job],
    publisher: new EventPublisher(redis, { namespace }),
    logger,
  });
  app = await testApp({ corpus: { queue, job, catalog, dataBank: client, cancel } });
});

afterAll(async () => {
  await app.close();
  await worker.close(1000);
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}*`);
  const streams = await redis.keys(`${namespace}*`);
  if (keys.length + streams.length > 0) await redis.del(...keys, ...streams);
  await closeRedis(redis);
  await dataBank.stop();
  sources.server.closeAllConnections();
  await new Promise((resolve) => sources.server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

async function start(body: Record<string, unknown>): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/corpus-jobs', payload: { user_id: '123456789012345678', ...body } });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ job_id: string }>().job_id;
}

async function status(jobId: string): Promise<Status> {
  return (await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}` })).json<Status>();
}

async function finished(jobId: string): Promise<Status> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const current = await status(jobId);
    if (current.status === 'completed' || current.status === 'failed') return current;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${current.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function events(jobId: string): Promise<Record<string, unknown>[]> {
  const entries = await redis.xrange(`${namespace}events:turkic`, '-', '+');
  return entries
    .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as Record<string, unknown>)
    .filter((event) => event.job_id === jobId);
}

/** The job's last event once it is of the given type: the failed/completed event follows the state change. */
async function lastEvent(jobId: string, type: string): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const last = (await events(jobId)).at(-1);
    if (last?.type === type || Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function resultText(jobId: string): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  return response.body.trimEnd().split('\n');
}

describe('corpus jobs end to end', () => {
  it('builds an IPA corpus from a bz2 Wikipedia dump, without markup, other languages, talk pages or duplicates', async () => {
    const jobId = await start({ source: 'wikipedia', language: 'kk', script: 'Cyrl', max_sentences: 100, min_confidence: 0.5, transform: 'ipa' });
    const done = await finished(jobId);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'completed', progress: 100 });
    expect(done.result).toMatchObject({ kept: 5, rejected: { duplicate: 1, script: 1 } });
    expect(done.result?.report).toMatchObject({ source: 'wikipedia', transform: 'ipa', complete: false });
    const lines = await resultText(jobId);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('qɑzɑqstɑn — ortɑləq ɑzɪjɑdɑʁə memleket, ɑstɑnɑsə ɑstɑnɑ qɑlɑsə.');
    expect(lines.join(' ')).not.toMatch(/[[\]{}'<>]|талқылау|ref/i);

    await lastEvent(jobId, 'turkic.job.completed.v1');
    const types = (await events(jobId)).map((event) => event.type);
    expect(types[0]).toBe('turkic.job.started.v1');
    expect(types).toContain('turkic.job.progress.v1');
    expect(types.at(-1)).toBe('turkic.job.completed.v1');
    const completed = (await events(jobId)).at(-1);
    expect(completed).toMatchObject({ result_id: done.result_id, result_bytes: done.result_bytes, user_id: '123456789012345678' });
    const progress = (await events(jobId)).find((event) => event.type === 'turkic.job.progress.v1');
    expect(progress?.payload).toMatchObject({ seen: expect.any(Number) as number, kept: expect.any(Number) as number });
  });

  it('reads a Hugging Face dataset from parquet shards and stops at max_sentences', async () => {
    const jobId = await start({ source: 'huggingface', dataset: 'test/oscar', language: 'kk', max_sentences: 3, min_confidence: 0.5, transform: 'latin' });
    const done = await finished(jobId);
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ kept: 3, report: { complete: true } });
    expect(await resultText(jobId)).toEqual([
      'Qazaqstan — Ortalyq Aziiadağy memleket, astanasy Astana qalasy.',
      'Qazaq tılı türkı tılderınıñ qypşaq tobyna jatady.',
      'Almaty qalasy eldıñ eñ ırı qalasy bolyp tabylady.',
    ]);
    await lastEvent(jobId, 'turkic.job.completed.v1');
    const percents = (await events(jobId)).filter((event) => event.type === 'turkic.job.progress.v1').map((event) => event.progress);
    // Reported while running, then once at the end (capped at 99 until the job completes).
    expect(percents).toEqual([33, 66, 99]);
  });

  it('reads jsonl from a URL and a stored data-bank file', async () => {
    const fromUrl = await start({ source: 'url', url: `${sources.base}/corpus.jsonl`, field: 'content', language: 'kk', min_confidence: 0.5 });
    const urlDone = await finished(fromUrl);
    expect(urlDone.result).toMatchObject({ kept: 5, rejected: { language: 1 } });

    const fileId = urlDone.result_id ?? '';
    const fromBank = await start({ source: 'data_bank', file_id: fileId, language: 'kk', min_confidence: 0.5, transform: 'ipa', max_sentences: 2 });
    const bankDone = await finished(fromBank);
    expect(bankDone.result?.kept).toBe(2);
    expect((await resultText(fromBank))[1]).toBe('qɑzɑq tɪlɪ tʏrkɪ tɪlderɪnɪŋ qəpʃɑq tobənɑ ʒɑtɑdə.');
  });

  it('fails with a clear message when a source cannot be fetched', async () => {
    const missing = await finished(await start({ source: 'url', url: `${sources.base}/missing.txt`, language: 'kk' }));
    expect(missing.error).toEqual({ kind: 'user', message: `GET ${sources.base}/missing.txt answered HTTP 404` });
    const down = await finished(await start({ source: 'url', url: `${sources.base}/broken.txt`, language: 'kk' }));
    expect(down.error).toEqual({ kind: 'system', message: `GET ${sources.base}/broken.txt answered HTTP 503` });
    const closed = `http://127.0.0.1:${await freePort()}/corpus.txt`;
    const unreachable = await finished(await start({ source: 'url', url: closed, language: 'kk' }));
    expect(unreachable.error).toEqual({ kind: 'user', message: expect.stringMatching(/^could not reach http.*ECONNREFUSED/) as string });
    const unknownFile = await finished(await start({ source: 'data_bank', file_id: 'f'.repeat(64), language: 'kk' }));
    expect(unknownFile.error).toEqual({ kind: 'user', message: `data-bank has no file ${'f'.repeat(64)}` });
    const nothing = await finished(await start({ source: 'url', url: `${sources.base}/corpus.jsonl`, field: 'content', language: 'tr' }));
    expect(nothing.error?.message).toContain('no sentence passed the filters');

    expect(await lastEvent(nothing.job_id, 'turkic.job.failed.v1')).toMatchObject({ type: 'turkic.job.failed.v1', error_kind: 'user' });
    const failedResult = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${nothing.job_id}/result` });
    expect(failedResult.statusCode).toBe(410);
    expect(failedResult.json()).toMatchObject({ code: 'JOB_FAILED', message: expect.stringContaining('no sentence passed') as string });
  });

  it('cancels a running job, which then fails as cancelled; the result answers 425 while it runs', async () => {
    const jobId = await start({ source: 'url', url: `${sources.base}/endless.txt`, language: 'kk', min_confidence: 0.5 });
    const deadline = Date.now() + 10_000;
    while ((await status(jobId)).status !== 'processing' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const early = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
    expect(early.statusCode).toBe(425);
    const cancelled = await app.inject({ method: 'DELETE', url: `/v1/corpus-jobs/${jobId}` });
    expect(cancelled.statusCode).toBe(202);
    const done = await finished(jobId);
    expect(done.error).toEqual({ kind: 'user', message: 'cancelled by the user' });
    expect(await lastEvent(jobId, 'turkic.job.failed.v1')).toMatchObject({ type: 'turkic.job.failed.v1', error_kind: 'user', message: 'cancelled by the user' });
    const gone = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
    expect(gone.statusCode).toBe(410);
    expect((await app.inject({ method: 'DELETE', url: `/v1/corpus-jobs/${jobId}` })).statusCode).toBe(409);
  });

  it('rejects bad requests before queueing', async () => {
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/corpus-jobs', payload });
    const noDataset = await post({ source: 'huggingface', language: 'kk' });
    expect(noDataset.statusCode).toBe(400);
    expect(noDataset.json<{ message: string }>().message).toContain('dataset is required');
    expect((await post({ source: 'wikipedia', language: 'xx' })).json<{ message: string }>().message).toContain('supported: kk');
    expect((await post({ source: 'wikipedia', language: 'tr', transform: 'latin' })).json<{ message: string }>().message).toContain('none, ipa');
    expect((await post({ source: 'wikipedia', language: 'kk', max_sentences: 1_000_001 })).statusCode).toBe(400);
    expect((await post({ source: 'wikipedia', language: 'kk', min_confidence: 1.5 })).statusCode).toBe(400);
    expect((await post({ source: 'ftp', language: 'kk' })).statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/v1/corpus-jobs/does-not-exist' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect((await app.inject({ method: 'GET', url: '/v1/corpus-jobs/does-not-exist/result' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/jobs/does-not-exist' })).statusCode).toBe(404);
  });
});
